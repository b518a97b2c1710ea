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


def make_full_roadmap(**fields) -> Roadmap:
    """A published roadmap that uses every content shape the roadmap page shows:
    metadata, two steps with every item kind (links, weeks, capstone, skills),
    roadmap-wide items, checkpoints pinned to weeks, pace plans (one recommended),
    a weekly schedule and a sample week, every guidance list, a metric and
    the roadmap's own retrospective prompts. Titles are distinctive so tests
    can look for them in the page."""
    from roadmaps.models import ResourceKind, RetrospectivePrompt

    fields.setdefault("slug", f"full-roadmap-{next(_sequence)}")
    fields.setdefault("title", "Full roadmap")
    fields.setdefault("summary", "Every shape of content, for tests.")
    roadmap = Roadmap.objects.create(
        status=fields.pop("status", Status.PUBLISHED),
        description=fields.pop("description", "The **long description** of the roadmap."),
        audience=fields.pop("audience", "People who *like tests*."),
        prerequisites="Comfort with a terminal\nBasic Python",
        outcomes="Ship a small API\nRead a query plan",
        skill_level="intermediate",
        duration_weeks=8,
        weekly_hours=10,
        duration_note="About two months of evenings",
        author_name="Test Editors",
        featured=True,
        retrospective_interval_weeks=3,
        **fields,
    )
    tag, _ = Tag.objects.get_or_create(slug="python", defaults={"name": "Python"})
    roadmap.tags.add(tag)
    first = Step.objects.create(
        roadmap=roadmap, key="foundations", position=0, title="Foundations step", summary="Start at the start",
        goal="Learn the *goal text* of step one.", motto="Slow is smooth", duration_weeks=3,
        estimated_hours=Decimal("30"), weekly_goals="1: Set up the tools\n2: Write a first script",
        success_metric="You can explain the request cycle.",
    )
    second = Step.objects.create(
        roadmap=roadmap, key="apis", position=1, title="APIs step", duration_weeks=5, goal="Build APIs.",
    )
    Item.objects.bulk_create([
        Item(roadmap=roadmap, step=first, kind=ItemKind.TOPIC, key="http", position=0, title="HTTP topic",
             url="https://example.org/http", estimated_hours=Decimal("4.5"), body="Topic *body* text."),
        Item(roadmap=roadmap, step=first, kind=ItemKind.RESOURCE, key="book", position=0, title="Resource book",
             url="https://example.org/book", resource_kind=ResourceKind.BOOK, estimated_hours=Decimal(12),
             why="Explains the why-it-matters note."),
        Item(roadmap=roadmap, step=first, kind=ItemKind.PROJECT, key="cli", position=0, title="CLI project",
             body="Build a command-line tool.", skills="Python, Argparse"),
        Item(roadmap=roadmap, step=first, kind=ItemKind.CHECKPOINT, key="ran", position=0,
             title="Ran a script checkpoint", week=2),
        Item(roadmap=roadmap, step=second, kind=ItemKind.TOPIC, key="rest", position=0, title="REST topic"),
        Item(roadmap=roadmap, step=second, kind=ItemKind.CHECKPOINT, key="api-up", position=0,
             title="API online checkpoint", week=7),
        Item(roadmap=roadmap, kind=ItemKind.RESOURCE, key="forum", position=0, title="Community forum",
             url="https://example.org/forum", resource_kind=ResourceKind.COMMUNITY),
        Item(roadmap=roadmap, kind=ItemKind.PROJECT, key="capstone", position=0, title="Capstone project",
             is_capstone=True, estimated_hours=Decimal(40), skills="SQL, Deploys"),
        Item(roadmap=roadmap, kind=ItemKind.CHECKPOINT, key="week-four", position=0,
             title="Halfway review checkpoint", week=4),
        Item(roadmap=roadmap, kind=ItemKind.TOPIC, key="retired", position=1, title="Retired topic",
             retired_at=roadmap.created_at),
    ])
    PacePlan.objects.create(roadmap=roadmap, key="intensive", position=0, name="Intensive pace",
                            hours_per_week=30, duration_weeks=4, summary="Most days, long sessions")
    PacePlan.objects.create(roadmap=roadmap, key="balanced", position=1, name="Balanced pace",
                            hours_per_week=10, duration_weeks=8, is_recommended=True,
                            details="Weekends light\nOne project a month")
    Guidance.objects.bulk_create([
        Guidance(roadmap=roadmap, kind=GuidanceKind.SCHEDULE, position=0, day="mon", hours=3,
                 title="Concepts block", body="Read and take notes"),
        Guidance(roadmap=roadmap, kind=GuidanceKind.SCHEDULE, position=1, day="sat", hours=5, title="Build block"),
        Guidance(roadmap=roadmap, kind=GuidanceKind.SCHEDULE, position=2, day="tue", hours=2, week=1,
                 title="Sample tuesday"),
        Guidance(roadmap=roadmap, kind=GuidanceKind.TIP, position=0, title="Tip entry", url="https://example.org/tip"),
        Guidance(roadmap=roadmap, kind=GuidanceKind.MISTAKE, position=0, body="Mistake entry"),
        Guidance(roadmap=roadmap, kind=GuidanceKind.QUICK_WIN, position=0, title="Quick win entry"),
        Guidance(roadmap=roadmap, kind=GuidanceKind.LEVERAGE, position=0, title="Leverage entry"),
        Guidance(roadmap=roadmap, kind=GuidanceKind.NEXT_STEP, position=0, title="Next step entry"),
    ])
    MetricDefinition.objects.create(roadmap=roadmap, key="katas", name="Katas solved", unit="katas", target=40,
                                    position=0, description="Any small exercise counts.")
    RetrospectivePrompt.objects.create(roadmap=roadmap, position=0, text="Which prompt of this roadmap?")
    return roadmap
