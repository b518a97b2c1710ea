"""Download my data, delete my account and the admin, for study groups."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.urls import reverse

from accounts.userdata import export_user_data
from groups.models import GroupInvite, Membership, Nudge, StudyGroup
from tests.groups_helpers import add_member, make_group

pytestmark = pytest.mark.django_db


def test_download_my_data_lists_memberships_choices_and_nudges(learner_client, learner, other_learner, roadmap):
    group = make_group(other_learner, roadmap=roadmap, name="Data club")
    membership = add_member(group, learner, share_streaks=True)
    Nudge.objects.create(membership=membership, sender=other_learner, week=date(2026, 3, 2), message="Go on!")
    make_group(other_learner, name="Not mine")
    data = json.loads(learner_client.post(reverse("accounts:data_export_download")).content)
    [entry] = data["study_groups"]
    assert entry["group"] == "Data club" and entry["roadmap"] == roadmap.slug and entry["role"] == "member"
    assert entry["sharing"]["streaks"] is True and entry["sharing"]["progress"] is True
    assert entry["nudges_received"] == [
        {"week": "2026-03-02", "sent_at": entry["nudges_received"][0]["sent_at"], "message": "Go on!",
         "from": "Otto Other"}
    ]
    assert "token" not in json.dumps(entry)
    assert export_user_data(other_learner)["study_groups"][0]["role"] == "organiser"


def test_deleting_my_account_removes_my_memberships(learner, other_learner):
    group = make_group(other_learner)
    add_member(group, learner)
    learner.delete()
    assert list(Membership.objects.values_list("user", flat=True)) == [other_learner.pk]
    assert StudyGroup.objects.filter(pk=group.pk).exists()


def test_staff_see_groups_memberships_and_invites_read_only(client, learner, other_learner):
    from accounts.models import User

    staff = User.objects.create_superuser("root@example.com", "a-long-test-password")
    client.force_login(staff)
    group = make_group(learner, name="Admin club")
    member = add_member(group, other_learner)
    invite = GroupInvite.objects.get(group=group)
    for url in [
        reverse("admin:groups_studygroup_changelist"), reverse("admin:groups_studygroup_change", args=[group.pk]),
        reverse("admin:groups_membership_changelist"), reverse("admin:groups_membership_change", args=[member.pk]),
        reverse("admin:groups_groupinvite_changelist"), reverse("admin:groups_groupinvite_change", args=[invite.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert invite.token not in response.content.decode(), url
    change = client.get(reverse("admin:groups_membership_change", args=[member.pk])).content.decode()
    assert 'name="share_progress"' not in change  # read-only: shown, not editable
    assert client.post(reverse("admin:groups_membership_change", args=[member.pk]),
                       {"role": "organiser"}).status_code == 403
    assert Membership.objects.get(pk=member.pk).role == "member"
    assert client.get(reverse("admin:groups_membership_add")).status_code == 403
