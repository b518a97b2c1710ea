"""The group table's figures agree with the learner-state loader, stale
summaries included; members behind or quiet are marked in words."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from groups.board import load_board, sort_rows
from groups.models import Membership
from progress import summaries
from progress.enrolments.services import enrolment_change_pace
from progress.items.services import item_progress_set_state
from progress.models import Enrolment
from progress.state import load_state
from progress.studylog.services import study_entry_add
from roadmaps.services import roadmap_touch
from tests.factories import make_user
from tests.groups_helpers import add_member, enrol, make_group
from tests.progress_helpers import roadmap_items

pytestmark = pytest.mark.django_db


@pytest.fixture
def board_setup(learner, roadmap):
    group = make_group(learner, roadmap=roadmap)
    items = roadmap_items(roadmap)
    enrolments = []
    for n, (days_ago, done) in enumerate([(40, 0), (20, 3), (10, 6)]):
        user = make_user(display_name=f"M{n}")
        add_member(group, user)
        enrolment = enrol(user, roadmap, days_ago=days_ago, hours_per_week=3 + n)
        for item in items[:done]:
            item_progress_set_state(enrolment=enrolment, item=item, state="done")
        enrolments.append(enrolment)
    return group, Membership.objects.select_related("group__roadmap", "user").get(user=learner), enrolments


def assert_agrees(board, enrolments, today):
    by_user = {row.membership.user_id: row for row in board.rows}
    for enrolment in enrolments:
        state = load_state(Enrolment.objects.select_related("roadmap").get(pk=enrolment.pk),
                           today=today)
        row = by_user[enrolment.user_id]
        assert row.progress == state.progress and row.pace == state.pace


def test_its_figures_are_the_loaders(board_setup):
    group, viewer, enrolments = board_setup
    today = date.today()
    assert_agrees(load_board(viewer, today=today), enrolments, today)


def test_its_figures_are_the_loaders_after_a_pace_change(board_setup):
    group, viewer, enrolments = board_setup
    today = date.today()
    # The pace applies from today: the table must keep the weeks behind too.
    enrolment_change_pace(enrolment=enrolments[0], hours_per_week=Decimal(20), today=today)
    assert_agrees(load_board(viewer, today=today + timedelta(days=7)), enrolments, today + timedelta(days=7))


def test_its_figures_are_the_loaders_when_summaries_are_stale(board_setup, roadmap):
    group, viewer, enrolments = board_setup
    item = roadmap_items(roadmap)[-1]
    item.estimated_hours = 9
    item.save()
    roadmap_touch(roadmap=roadmap)  # no rebuild: the summaries are stale now
    roadmap.refresh_from_db()
    group.roadmap = roadmap
    viewer.group = group
    today = date.today()
    board = load_board(viewer, today=today)
    assert_agrees(board, enrolments, today)
    assert any(row.progress and row.progress.total_hours == 19 for row in board.rows)
    summaries.rebuild(enrolments=enrolments)


def test_it_marks_members_behind_or_quiet_and_sorts_by_progress(board_setup):
    group, viewer, enrolments = board_setup
    quiet = enrolments[0]
    study_entry_add(user=quiet.user, date=date.today() - timedelta(days=20), minutes=30, enrolment=quiet)
    board = load_board(viewer)
    rows = {row.name: row for row in board.rows}
    assert rows["M0"].is_behind and rows["M0"].is_quiet and rows["M0"].weeks_quiet == 2
    assert not rows["M2"].needs_attention
    ordered = [row.name for row in sort_rows(board.rows, "progress", True)]
    assert ordered[:3] == ["M2", "M1", "M0"]
    assert ordered[-1] == "Lea Learner"  # not enrolled: sorted last either way
    assert [row.name for row in sort_rows(board.rows, "progress", False)][-1] == "Lea Learner"
