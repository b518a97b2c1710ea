"""Every study-group view: anonymous → sign-in, outsider → 404, member on an
organiser's action → 403, wrong method → 405, and the happy paths."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from groups.models import GroupInvite, Membership, Role, StudyGroup, Visibility
from progress.models import Enrolment
from retrospectives.models import Retrospective
from tests.factories import make_user
from tests.groups_helpers import add_member, invite_url, make_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(learner, roadmap):
    return make_group(learner, roadmap=roadmap)


@pytest.fixture
def member(group, other_learner):
    return add_member(group, other_learner)


@pytest.fixture
def retro(other_learner, roadmap):
    enrolment = Enrolment.objects.create(user=other_learner, roadmap=roadmap, hours_per_week=10,
                                         start_date=date.today() - timedelta(weeks=3))
    return Retrospective.objects.create(
        enrolment=enrolment, cycle_start=enrolment.start_date, period_index=0, status="submitted",
        submitted_at=enrolment.created_at, period_start=enrolment.start_date,
        period_end=enrolment.start_date + timedelta(days=13),
    )


def group_urls(group, member, retro) -> list[tuple[str, str, bool]]:
    """(url, method, organisers only) for every URL that names the group."""
    pk, mpk = group.pk, member.pk
    return [
        (reverse("groups:detail", args=[pk]), "get", False),
        (reverse("groups:sharing", args=[pk]), "get", False),
        (reverse("groups:sharing", args=[pk]), "post", False),
        (reverse("groups:leave", args=[pk]), "get", False),
        (reverse("groups:leave", args=[pk]), "post", False),
        (reverse("groups:settings", args=[pk]), "get", True),
        (reverse("groups:settings", args=[pk]), "post", True),
        (reverse("groups:invite", args=[pk]) + "?action=off", "get", True),
        (reverse("groups:invite", args=[pk]), "post", True),
        (reverse("groups:member", args=[pk, mpk]), "get", True),
        (reverse("groups:nudge", args=[pk, mpk]), "post", True),
        (reverse("groups:role", args=[pk, mpk]), "post", True),
        (reverse("groups:remove", args=[pk, mpk]), "get", True),
        (reverse("groups:remove", args=[pk, mpk]), "post", True),
        (reverse("groups:retrospective_share", args=[pk, retro.enrolment_id, 1]), "post", False),
    ]


def test_it_sends_anonymous_visitors_to_sign_in(client, group, member, retro):
    for url, method, _ in group_urls(group, member, retro) + [
        (reverse("groups:list"), "get", False), (reverse("groups:create"), "get", False)
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login") + "?next="), url


def test_it_brings_a_visitor_back_to_the_invite_after_signing_in(client, group):
    url = invite_url(group)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=" + quote(url, safe="/")
    newcomer = make_user("newcomer@example.com", password="a-long-test-password")
    EmailAddress.objects.create(user=newcomer, email=newcomer.email, verified=True, primary=True)
    signed_in = client.post(response["Location"], {"login": "newcomer@example.com", "password": "a-long-test-password"})
    assert signed_in.status_code == 302 and signed_in["Location"] == url
    page = client.get(url)
    assert page.status_code == 200 and f"Join {group.name}" in page.content.decode()


def test_the_sign_up_link_keeps_the_invite(client, group):
    url = invite_url(group)
    login = client.get(reverse("account_login") + "?next=" + quote(url, safe="/"))
    assert reverse("account_signup") + "?next=" + quote(url, safe="") in login.content.decode().replace(
        "&amp;", "&")


def test_it_hides_the_group_from_outsiders(client, group, member, retro):
    client.force_login(make_user("outsider@example.com"))
    for url, method, _ in group_urls(group, member, retro):
        assert getattr(client, method)(url).status_code == 404, url


def test_it_refuses_organisers_actions_to_members(client, group, member, retro):
    client.force_login(member.user)
    for url, method, organisers_only in group_urls(group, member, retro):
        if organisers_only:
            assert getattr(client, method)(url).status_code == 403, url


def test_it_answers_405_to_wrong_methods(learner_client, group, member, retro):
    pk, mpk = group.pk, member.pk
    for url, method in [
        (reverse("groups:list"), "post"),
        (reverse("groups:detail", args=[pk]), "post"),
        (reverse("groups:member", args=[pk, mpk]), "post"),
        (reverse("groups:nudge", args=[pk, mpk]), "get"),
        (reverse("groups:role", args=[pk, mpk]), "get"),
        (reverse("groups:retrospective_share", args=[pk, retro.enrolment_id, 1]), "get"),
        (reverse("groups:shared_retrospective", args=[pk, 1]), "post"),
        (reverse("groups:sharing", args=[pk]), "put"),
    ]:
        assert getattr(learner_client, method)(url).status_code == 405, url


def test_it_starts_a_group_with_its_creator_as_organiser(learner_client, learner, roadmap):
    response = learner_client.post(reverse("groups:create"), {
        "name": "  Evening   Rustaceans ", "description": "We meet on Tuesdays.", "roadmap": roadmap.pk,
        "members_see": "everyone",
    })
    group = StudyGroup.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("groups:detail", args=[group.pk])
    assert (group.name, group.roadmap, group.members_see) == ("Evening Rustaceans", roadmap, "everyone")
    assert Membership.objects.get(group=group).user == learner
    page = learner_client.get(response["Location"]).content.decode()
    token = GroupInvite.objects.get(group=group).token
    assert f"/groups/join/?token={token}" in page


def test_it_explains_a_bad_group_form_and_creates_nothing(learner_client):
    response = learner_client.post(reverse("groups:create"), {"name": "   ", "members_see": "world"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Give the group a name." in body or "This field is required." in body
    assert "Select a valid choice." in body
    assert not StudyGroup.objects.exists()


def test_it_lists_my_groups_only(learner_client, learner, group):
    make_group(make_user(), name="Someone else's club")
    body = learner_client.get(reverse("groups:list")).content.decode()
    assert group.name in body and "Someone else&#x27;s club" not in body and "Someone else's club" not in body


def test_the_dashboard_and_the_header_link_to_study_groups(learner_client):
    body = learner_client.get(reverse("dashboard")).content.decode()
    assert body.count(f'href="{reverse("groups:list")}"') >= 2


def test_an_invite_page_shows_the_group_and_what_members_share(client, other_learner, group):
    client.force_login(other_learner)
    response = client.get(invite_url(group))
    body = response.content.decode()
    assert response.status_code == 200
    assert group.name in body and "Lea Learner" in body
    assert "never shown" in body and 'name="share_progress"' in body and 'method="post"' in body
    assert "Balanced" in body  # the roadmap's pace plan, to enrol at


def test_a_dead_or_missing_invite_is_404_or_asks_for_one(client, other_learner, group):
    client.force_login(other_learner)
    url = invite_url(group)
    GroupInvite.objects.update(revoked_at=group.created_at)
    assert client.get(url).status_code == 404
    assert client.get("/groups/join/?token=nope").status_code == 404
    paste = client.get("/groups/join/")
    assert paste.status_code == 200 and 'name="token"' in paste.content.decode()


def test_joining_with_choices_and_a_pace_enrols_on_the_roadmap(client, other_learner, group, roadmap):
    client.force_login(other_learner)
    plan = roadmap.pace_plans.get()
    response = client.post(invite_url(group), {
        "share_progress": "on", "share_streaks": "on", "nudges_allowed": "on", "enrol": str(plan.pk),
    })
    assert response.status_code == 302 and response["Location"] == reverse("groups:detail", args=[group.pk])
    membership = Membership.objects.get(group=group, user=other_learner)
    assert (membership.share_progress, membership.share_hours, membership.share_activity,
            membership.share_streaks, membership.nudges_allowed) == (True, False, False, True, True)
    assert membership.role == Role.MEMBER
    enrolment = Enrolment.objects.get(user=other_learner, roadmap=roadmap)
    assert enrolment.pace_plan == plan and enrolment.hours_per_week == plan.hours_per_week
    again = client.post(invite_url(group), {"share_progress": "on"})  # a second tab
    assert again.status_code == 302 and Membership.objects.filter(group=group).count() == 2


def test_joining_without_enrolling_leaves_enrolments_alone(client, other_learner, group, roadmap):
    client.force_login(other_learner)
    client.post(invite_url(group), {"share_progress": "on", "enrol": "none"})
    assert Membership.objects.filter(group=group, user=other_learner).exists()
    assert not Enrolment.objects.filter(user=other_learner).exists()


def test_an_organiser_regenerates_and_switches_off_the_invite(learner_client, group):
    old = invite_url(group)
    confirm = learner_client.get(reverse("groups:invite", args=[group.pk]) + "?action=regenerate")
    assert confirm.status_code == 200 and "stops working" in confirm.content.decode()
    assert invite_url(group) == old  # a GET changes nothing
    learner_client.post(reverse("groups:invite", args=[group.pk]), {"action": "regenerate"})
    assert invite_url(group) != old and GroupInvite.objects.filter(group=group).count() == 2
    learner_client.post(reverse("groups:invite", args=[group.pk]), {"action": "off"})
    assert not GroupInvite.objects.filter(group=group, revoked_at__isnull=True).exists()
    page = learner_client.get(reverse("groups:detail", args=[group.pk])).content.decode()
    assert "switched off" in page and "/groups/join/?token=" not in page


def test_an_organiser_changes_the_settings(learner_client, group):
    response = learner_client.post(reverse("groups:settings", args=[group.pk]), {
        "name": "Renamed", "description": "", "roadmap": "", "members_see": Visibility.EVERYONE,
    })
    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.name, group.roadmap, group.members_see) == ("Renamed", None, "everyone")


def test_it_sorts_the_table_by_a_get_parameter_with_aria_sort(learner_client, group):
    add_member(group, make_user(display_name="Zed"))
    add_member(group, make_user(display_name="Abe"))
    url = reverse("groups:detail", args=[group.pk])
    body = learner_client.get(url).content.decode()
    assert body.index("Abe") < body.index("Lea Learner") < body.index("Zed")
    assert 'aria-sort="ascending"' in body and 'href="?sort=-name"' in body
    body = learner_client.get(url + "?sort=-name").content.decode()
    assert body.index("Zed") < body.index("Lea Learner") < body.index("Abe")
    assert 'aria-sort="descending"' in body
    assert learner_client.get(url + "?sort=nonsense").status_code == 200
