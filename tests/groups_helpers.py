"""Helpers for the study-group tests: a group with members, enrolled or not."""

from __future__ import annotations

from datetime import date, timedelta

from groups import services
from groups.models import Membership, Role, StudyGroup, Visibility
from tests.factories import make_user
from tests.progress_helpers import make_enrolment


def make_group(organiser, *, roadmap=None, name="Rust club", members_see=Visibility.ORGANISERS) -> StudyGroup:
    return services.group_create(user=organiser, name=name, roadmap=roadmap, members_see=members_see)


def add_member(group, user=None, *, role=Role.MEMBER, **sharing) -> Membership:
    user = user or make_user()
    return Membership.objects.create(group=group, user=user, role=role, **sharing)


def enrol(user, roadmap, *, days_ago=0, hours_per_week=10):
    return make_enrolment(user, roadmap, start_date=date.today() - timedelta(days=days_ago),
                          hours_per_week=hours_per_week)


def invite_url(group) -> str:
    invite = services.active_invite(group)
    return f"/groups/join/?token={invite.token}"
