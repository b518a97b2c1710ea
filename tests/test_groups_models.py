"""Study-group models: every invariant is a database constraint."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from groups.models import GroupDigest, GroupInvite, Membership, Nudge, SharedRetrospective, StudyGroup
from tests.factories import make_user
from tests.groups_helpers import add_member, make_group

pytestmark = pytest.mark.django_db


def raises_integrity(make) -> bool:
    try:
        with transaction.atomic():
            make()
    except IntegrityError:
        return True
    return False


def test_it_makes_the_creator_organiser_with_an_invite(learner):
    group = make_group(learner)
    membership = Membership.objects.get(group=group)
    assert membership.user == learner and membership.is_organiser
    invite = GroupInvite.objects.get(group=group)
    assert invite.is_active and len(invite.token) >= 43  # token_urlsafe(32)
    assert invite.token not in str(invite)


def test_it_allows_one_membership_per_user_and_group(learner):
    group = make_group(learner)
    assert raises_integrity(lambda: Membership.objects.create(group=group, user=learner))


def test_it_allows_one_active_invite_per_group(learner):
    group = make_group(learner)
    assert raises_integrity(lambda: GroupInvite.objects.create(group=group, token="another-token"))
    GroupInvite.objects.filter(group=group).update(revoked_at=timezone.now())
    GroupInvite.objects.create(group=group, token="another-token")  # a revoked one does not count


def test_it_keeps_tokens_unique_across_groups(learner):
    first, second = make_group(learner), make_group(learner, name="Two")
    token = GroupInvite.objects.get(group=first).token
    GroupInvite.objects.filter(group=second).update(revoked_at=timezone.now())
    assert raises_integrity(lambda: GroupInvite.objects.create(group=second, token=token))


def test_it_rejects_an_empty_name_and_an_unknown_role_or_visibility(learner):
    assert raises_integrity(lambda: StudyGroup.objects.create(name=""))
    assert raises_integrity(lambda: StudyGroup.objects.create(name="G", members_see="world"))
    group = make_group(learner)
    assert raises_integrity(lambda: Membership.objects.create(group=group, user=make_user(), role="king"))


def test_it_allows_one_nudge_per_member_and_week(learner):
    group = make_group(learner)
    member = add_member(group)
    Nudge.objects.create(membership=member, sender=learner, week=date(2026, 3, 2), message="Go")
    assert raises_integrity(lambda: Nudge.objects.create(membership=member, week=date(2026, 3, 2), message="Again"))
    Nudge.objects.create(membership=member, week=date(2026, 3, 9), message="Next week")
    assert raises_integrity(lambda: Nudge.objects.create(membership=member, week=date(2026, 3, 16), message=""))


def test_it_allows_one_digest_per_group_organiser_and_week(learner):
    group = make_group(learner)
    GroupDigest.objects.create(group=group, organiser=learner, week=date(2026, 3, 2))
    assert raises_integrity(lambda: GroupDigest.objects.create(group=group, organiser=learner, week=date(2026, 3, 2)))


def test_it_shares_a_retrospective_once_per_membership(learner, roadmap):
    from retrospectives.models import Retrospective
    from tests.progress_helpers import make_enrolment

    group = make_group(learner, roadmap=roadmap)
    enrolment = make_enrolment(learner, roadmap)
    retro = Retrospective.objects.create(enrolment=enrolment, cycle_start=enrolment.start_date, period_index=0,
                                         period_start=date(2026, 1, 1), period_end=date(2026, 1, 14))
    membership = Membership.objects.get(group=group, user=learner)
    SharedRetrospective.objects.create(membership=membership, retrospective=retro)
    assert raises_integrity(lambda: SharedRetrospective.objects.create(membership=membership, retrospective=retro))


def test_deleting_an_account_removes_its_memberships_and_what_they_shared(learner, other_learner):
    group = make_group(learner)
    member = add_member(group, other_learner)
    Nudge.objects.create(membership=member, sender=learner, week=date(2026, 3, 2), message="Go")
    other_learner.delete()
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert not Nudge.objects.exists()
    assert StudyGroup.objects.filter(pk=group.pk).exists()  # the group outlives a member
