"""Privacy: each sharing choice shows exactly what it says and nothing else;
notes, evidence links and study-log notes never appear; leaving and removal
take effect at once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from groups.models import Membership, SharedRetrospective, Visibility
from progress import summaries
from progress.items.services import item_progress_save_details, item_progress_set_state
from progress.studylog.services import study_entry_add
from retrospectives.models import Retrospective, RetrospectiveAnswer
from tests.factories import make_user
from tests.groups_helpers import add_member, enrol, make_group
from tests.progress_helpers import roadmap_items

pytestmark = pytest.mark.django_db

NOTE = "ZEBRA-private-note-7781"
LINK = "https://evidence.example.org/ZEBRA-link"
LOG_NOTE = "ZEBRA-log-note-5512"
ANSWER = "ZEBRA-answer-I-learnt-lifetimes"


@pytest.fixture
def setup(learner, other_learner, roadmap):
    """An organiser (learner) and a member (other_learner) two weeks into the
    group's roadmap: 2 of 6 items done with a note and a link, time logged
    today with a note, a submitted retrospective."""
    group = make_group(learner, roadmap=roadmap)
    member = add_member(group, other_learner, share_progress=False, share_hours=False, share_activity=False)
    enrolment = enrol(other_learner, roadmap, days_ago=20)
    items = roadmap_items(roadmap)
    for item in items[:2]:
        item_progress_set_state(enrolment=enrolment, item=item, state="done")
    item_progress_save_details(enrolment=enrolment, item=items[0], note=NOTE, evidence_url=LINK)
    study_entry_add(user=other_learner, date=date.today(), minutes=90, enrolment=enrolment, note=LOG_NOTE)
    retro = Retrospective.objects.create(
        enrolment=enrolment, cycle_start=enrolment.start_date, period_index=0, status="submitted",
        submitted_at=enrolment.created_at, period_start=enrolment.start_date,
        period_end=enrolment.start_date + timedelta(days=13),
    )
    RetrospectiveAnswer.objects.create(retrospective=retro, position=0, question="What went well?", text=ANSWER)
    summaries.rebuild(enrolments=[enrolment])
    return group, member, retro


def row_of(client, group, member) -> str:
    body = client.get(reverse("groups:detail", args=[group.pk])).content.decode()
    start = body.index(f'id="member-{member.pk}"')
    return body[start:body.index("</tr>", start)]


def set_sharing(member, **choices):
    Membership.objects.filter(pk=member.pk).update(**choices)


def test_nothing_shared_shows_only_the_name(learner_client, setup):
    group, member, _ = setup
    row = row_of(learner_client, group, member)
    assert "Otto Other" in row and row.count("Not shared") == 3
    assert "33%" not in row and "1.5" not in row and "Today" not in row


def test_progress_shows_progress_and_pace_only(learner_client, setup):
    group, member, _ = setup
    set_sharing(member, share_progress=True)
    row = row_of(learner_client, group, member)
    assert "33%" in row and "2/6 done" in row
    assert "Behind" in row or "On track" in row or "Ahead" in row
    assert "1.5" not in row and "Today" not in row and row.count("Not shared") == 2


def test_hours_show_this_weeks_hours_against_the_pace_only(learner_client, setup):
    group, member, _ = setup
    set_sharing(member, share_hours=True)
    row = row_of(learner_client, group, member)
    assert "1.5" in row and "of 10 h" in row
    assert "33%" not in row and "Today" not in row


def test_activity_shows_when_they_were_last_active_only(learner_client, setup):
    group, member, _ = setup
    set_sharing(member, share_activity=True)
    row = row_of(learner_client, group, member)
    assert "Today" in row and "33%" not in row and "1.5" not in row


def test_streaks_show_only_when_chosen(learner_client, setup):
    group, member, _ = setup
    url = reverse("groups:detail", args=[group.pk])
    assert "Streak" not in learner_client.get(url).content.decode()
    set_sharing(member, share_streaks=True)
    row = row_of(learner_client, group, member)
    assert "1 day" in row


def test_notes_links_and_log_notes_never_appear(learner_client, setup):
    group, member, retro = setup
    set_sharing(member, share_progress=True, share_hours=True, share_activity=True, share_streaks=True)
    SharedRetrospective.objects.create(membership=member, retrospective=retro)
    share = SharedRetrospective.objects.get()
    pages = [
        reverse("groups:detail", args=[group.pk]),
        reverse("groups:member", args=[group.pk, member.pk]),
        reverse("groups:shared_retrospective", args=[group.pk, share.pk]),
    ]
    for url in pages:
        body = learner_client.get(url).content.decode()
        assert "ZEBRA" not in body.replace(ANSWER, ""), url
    assert ANSWER in learner_client.get(pages[2]).content.decode()


def test_a_retrospective_is_shown_only_once_shared_and_until_unshared(client, learner_client, setup, other_learner):
    group, member, retro = setup
    detail = reverse("groups:detail", args=[group.pk])
    assert "Weeks 1–2" not in row_of(learner_client, group, member)
    client.force_login(other_learner)
    form = reverse("retrospectives:form", args=[retro.enrolment_id, 1])
    assert f"Share with {group.name}" in client.get(form).content.decode()
    share_url = reverse("groups:retrospective_share", args=[group.pk, retro.enrolment_id, 1])
    assert client.post(share_url, {"action": "share"})["Location"] == form + "#share"
    share = SharedRetrospective.objects.get()
    assert "Weeks 1–2" in row_of(learner_client, group, member)
    shared = reverse("groups:shared_retrospective", args=[group.pk, share.pk])
    assert ANSWER in learner_client.get(shared).content.decode()
    assert f"Stop sharing with {group.name}" in client.get(form).content.decode()
    client.post(share_url, {"action": "stop"})
    assert not SharedRetrospective.objects.exists()
    assert learner_client.get(shared).status_code == 404
    assert "Weeks 1–2" not in learner_client.get(detail).content.decode()


def test_only_a_submitted_retrospective_of_ones_own_can_be_shared(client, setup, other_learner, learner):
    group, member, retro = setup
    Retrospective.objects.filter(pk=retro.pk).update(status="draft")
    client.force_login(other_learner)
    client.post(reverse("groups:retrospective_share", args=[group.pk, retro.enrolment_id, 1]))
    assert not SharedRetrospective.objects.exists()
    client.force_login(learner)  # the organiser cannot share the member's
    assert client.post(reverse("groups:retrospective_share", args=[group.pk, retro.enrolment_id, 1])).status_code == 404


def test_members_see_others_only_when_the_group_and_the_member_allow(client, setup, learner):
    group, member, _ = setup
    third = add_member(group, make_user(display_name="Thea Third"))
    client.force_login(third.user)
    url = reverse("groups:detail", args=[group.pk])
    body = client.get(url).content.decode()
    assert "Otto Other" not in body and "Lea Learner" not in body and "Thea Third" in body
    group.members_see = Visibility.EVERYONE
    group.save()
    body = client.get(url).content.decode()
    assert "Otto Other" not in body  # the member did not agree
    assert "Lea Learner" in body  # the organiser did, when starting the group
    set_sharing(member, show_to_members=True)
    assert "Otto Other" in client.get(url).content.decode()


def test_leaving_removes_visibility_at_once(client, learner_client, setup, other_learner):
    group, member, retro = setup
    SharedRetrospective.objects.create(membership=member, retrospective=retro)
    share = SharedRetrospective.objects.get()
    client.force_login(other_learner)
    confirm = client.get(reverse("groups:leave", args=[group.pk]))
    assert confirm.status_code == 200 and "Leave the group" in confirm.content.decode()
    assert Membership.objects.filter(pk=member.pk).exists()  # a GET changes nothing
    assert client.post(reverse("groups:leave", args=[group.pk]))["Location"] == reverse("groups:list")
    assert "Otto Other" not in learner_client.get(reverse("groups:detail", args=[group.pk])).content.decode()
    assert learner_client.get(reverse("groups:shared_retrospective", args=[group.pk, share.pk])).status_code == 404
    assert client.get(reverse("groups:detail", args=[group.pk])).status_code == 404


def test_an_organiser_removes_a_member_at_once(client, learner_client, setup, other_learner):
    group, member, _ = setup
    remove = reverse("groups:remove", args=[group.pk, member.pk])
    assert "Remove from the group" in learner_client.get(remove).content.decode()
    learner_client.post(remove)
    assert not Membership.objects.filter(pk=member.pk).exists()
    client.force_login(other_learner)
    assert client.get(reverse("groups:detail", args=[group.pk])).status_code == 404


def test_the_last_organiser_must_hand_over_before_leaving(learner_client, setup, learner):
    group, member, _ = setup
    leave = reverse("groups:leave", args=[group.pk])
    assert "only organiser" in learner_client.get(leave).content.decode()
    response = learner_client.post(leave, follow=True)
    assert "make another member an organiser first" in response.content.decode()
    assert Membership.objects.filter(group=group, user=learner).exists()
    learner_client.post(reverse("groups:role", args=[group.pk, member.pk]), {"role": "organiser"})
    assert Membership.objects.get(pk=member.pk).is_organiser
    learner_client.post(leave)
    assert not Membership.objects.filter(group=group, user=learner).exists()


def test_the_last_organiser_cannot_step_down(learner_client, setup, learner):
    group, _, _ = setup
    me = Membership.objects.get(group=group, user=learner)
    response = learner_client.post(reverse("groups:role", args=[group.pk, me.pk]), {"role": "member"}, follow=True)
    assert "needs an organiser" in response.content.decode()
    assert Membership.objects.get(pk=me.pk).is_organiser


def test_the_only_member_leaving_deletes_the_group(learner_client, learner):
    group = make_group(learner)
    learner_client.post(reverse("groups:leave", args=[group.pk]))
    assert not type(group).objects.filter(pk=group.pk).exists()


def test_a_member_changes_what_they_share(client, setup, other_learner, learner_client):
    group, member, _ = setup
    client.force_login(other_learner)
    response = client.post(reverse("groups:sharing", args=[group.pk]), {"share_progress": "on"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.share_progress, member.share_hours, member.nudges_allowed) == (True, False, False)
    assert "33%" in row_of(learner_client, group, member)
