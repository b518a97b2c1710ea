"""Small factories for tests: plain functions with sensible defaults."""

from __future__ import annotations

from decimal import Decimal
from itertools import count

from roadmaps.models import (
    Guidance,
    GuidanceKind,
    Item,
    ItemKind,
    MetricDefinition,
    PacePlan,
    Roadmap,
    Status,
    Step,
    Tag,
)

_sequence = count(1)

ITEM_KINDS = [ItemKind.TOPIC, ItemKind.RESOURCE, ItemKind.PROJECT, ItemKind.CHECKPOINT]


def make_user(email: str | None = None, password: str = "a-long-test-password", **fields):
    from accounts.models import User

    email = email or f"user{next(_sequence)}@example.com"
    return User.objects.create_user(email=email, password=password, **fields)


def make_roadmap(
    *,
    steps: int = 2,
    items_per_step: int = 3,
    status: str = Status.PUBLISHED,
    tags: list[str] | None = None,
    **fields,
) -> Roadmap:
    """A roadmap with `steps` steps of `items_per_step` items each, cycling
    through the four item kinds, plus a pace plan, guidance and a metric."""
    n = next(_sequence)
    fields.setdefault("slug", f"roadmap-{n}")
    fields.setdefault("title", f"Roadmap {n}")
    fields.setdefault("summary", "A roadmap for tests.")
    roadmap = Roadmap.objects.create(status=status, **fields)
    for name in tags or []:
        tag, _ = Tag.objects.get_or_create(slug=name.lower(), defaults={"name": name})
        roadmap.tags.add(tag)
    new_items = []
    for s in range(steps):
        step = Step.objects.create(roadmap=roadmap, key=f"step-{s}", position=s, title=f"Step {s}", duration_weeks=2)
        for i in range(items_per_step):
            kind = ITEM_KINDS[i % 4]
            new_items.append(
                Item(
                    roadmap=roadmap,
                    step=step,
                    kind=kind,
                    key=f"s{s}-i{i}",
                    position=i,
                    title=f"Item {s}.{i}",
                    estimated_hours=Decimal(2),
                    resource_kind="course" if kind == ItemKind.RESOURCE else "",
                )
            )
    Item.objects.bulk_create(new_items)
    PacePlan.objects.create(roadmap=roadmap, key="balanced", name="Balanced", hours_per_week=10, position=0)
    Guidance.objects.create(roadmap=roadmap, kind=GuidanceKind.TIP, title="Build something", position=0)
    MetricDefinition.objects.create(roadmap=roadmap, key="challenges", name="Challenges solved", position=0)
    return roadmap
