"""The group page costs the same few queries for 3 members and for 200."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from groups.models import Membership, Role, SharedRetrospective, Visibility
from progress import summaries
from progress.models import Enrolment, ItemProgress, StudyEntry
from retrospectives.models import Retrospective
from tests.factories import make_roadmap
from tests.groups_helpers import make_group

pytestmark = pytest.mark.django_db

GROUP_PAGE_BOUND = 15


def group_of(size: int, *, seed: int = 3):
    """A group on a 10-step roadmap with `size` members (the organiser among
    them), every one enrolled with progress, study time, a due retrospective;
    some share streaks, some shared a retrospective."""
    rng = random.Random(seed)
    roadmap = make_roadmap(steps=10, items_per_step=8)
    items = list(roadmap.items.order_by("pk"))
    users = User.objects.bulk_create(
        User(email=f"m{size}-{n}@example.com", display_name=f"Member {n:03d}") for n in range(size)
    )
    organiser = users[0]
    group = make_group(organiser, roadmap=roadmap, members_see=Visibility.EVERYONE)
    memberships = Membership.objects.bulk_create(
        Membership(group=group, user=user, role=Role.MEMBER, share_streaks=n % 3 == 1, show_to_members=True)
        for n, user in enumerate(users[1:], 1)
    )
    today = date.today()
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(user=user, roadmap=roadmap, hours_per_week=rng.choice([3, 6, 10]),
                  start_date=today - timedelta(days=rng.randrange(20, 90)))
        for user in users
    )
    ItemProgress.objects.bulk_create(
        ItemProgress(enrolment=enrolment, item=item, state=rng.choice(["done", "in_progress", "skipped"]),
                     note="private")
        for enrolment in enrolments for item in rng.sample(items, rng.randrange(0, 30))
    )
    StudyEntry.objects.bulk_create(
        StudyEntry(user=enrolment.user, enrolment=enrolment, date=today - timedelta(days=rng.randrange(30)),
                   minutes=rng.randrange(10, 120))
        for enrolment in enrolments for _ in range(rng.randrange(0, 8))
    )
    summaries.rebuild(enrolments=enrolments)
    for membership, enrolment in zip(memberships[::4], enrolments[1::4], strict=False):
        retro = Retrospective.objects.create(
            enrolment=enrolment, cycle_start=enrolment.start_date, period_index=0, status="submitted",
            submitted_at=enrolment.created_at, period_start=enrolment.start_date,
            period_end=enrolment.start_date + timedelta(days=13),
        )
        SharedRetrospective.objects.create(membership=membership, retrospective=retro)
    return group, organiser, users[1]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(("viewer", "sort"), [
    ("organiser", ""), ("member", "?sort=-progress"), ("organiser", "?sort=activity&page=2"),
])
def test_the_group_page_costs_the_same_queries_for_3_and_200_members(viewer, sort, django_assert_max_num_queries):
    counts = {}
    for size in (3, 200):
        group, organiser, member = group_of(size)
        client = signed_in(organiser if viewer == "organiser" else member)
        url = reverse("groups:detail", args=[group.pk]) + sort
        with django_assert_max_num_queries(GROUP_PAGE_BOUND), CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        counts[size] = [query["sql"] for query in captured.captured_queries]
    assert len(counts[3]) == len(counts[200]), "\n\n".join("\n".join(sql) for sql in counts.values())
    # The big group's page shows the big group: 50 rows a page, figures filled in.
    board = response.context["board"]
    assert len(board.rows) == 200
    assert len(response.context["page"].object_list) == 50
    assert any(row.progress and row.progress.done_count for row in board.rows)
    assert "private" not in response.content.decode().replace("privacy", "")
