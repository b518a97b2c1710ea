"""The learner's item widgets on the roadmap page: rendered by a template,
the same for every learner in a state (so they are cached with the content),
submitting the page's one CSRF-carrying form; the learner's own note and
links rendered per request and escaped; the htmx answer swaps in what the
page has."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from progress.models import ItemProgress
from roadmaps.models import Item, ItemKind
from tests.factories import make_roadmap
from tests.progress_helpers import make_enrolment, roadmap_items


def _widget(html: str, item_pk: int) -> str:
    match = re.search(rf'<div class="learner-item[^"]*" id="learner-item-{item_pk}"[^>]*>.*?</div>', html, re.S)
    assert match, f"no widget for item {item_pk}"
    return match.group(0)


def test_it_renders_the_same_widget_on_the_page_and_in_the_htmx_answer(learner_client, learner, roadmap):
    enrolment = make_enrolment(learner, roadmap)
    item = roadmap_items(roadmap)[0]
    url = reverse("progress:item_state_pick", args=[enrolment.pk])
    answer = learner_client.post(url, {"set": f"{item.pk} done"}, HTTP_HX_REQUEST="true")
    assert answer["HX-Retarget"] == f"#learner-item-{item.pk}"
    page = learner_client.get(roadmap.get_absolute_url()).content.decode()
    assert _widget(answer.content.decode(), item.pk) == _widget(page, item.pk)
    widget = _widget(page, item.pk)
    assert f'name="set" value="{item.pk} not_started">Reset' in widget
    assert f'value="{item.pk} done"' not in widget and f'action="{url}"' in page
    assert f'aria-labelledby="item-{item.pk}-title"' in widget and f'id="item-{item.pk}-title"' in page
    # The page's one form carries the token; no widget does.
    assert page.count('<form id="ls"') == 1 and "csrfmiddlewaretoken" not in widget
    assert ItemProgress.objects.get(enrolment=enrolment, item=item).state == "done"


def test_it_shares_widgets_between_learners_but_not_their_states(learner_client, learner, roadmap):
    other = User.objects.create_user(email="other@example.com", password="a-long-test-password")
    make_enrolment(learner, roadmap)
    theirs = make_enrolment(other, roadmap)
    item = roadmap_items(roadmap)[0]
    ItemProgress.objects.create(enrolment=theirs, item=item, state="done", note="their secret note")
    client = Client()
    client.force_login(other)
    their_page = client.get(roadmap.get_absolute_url()).content.decode()
    my_page = learner_client.get(roadmap.get_absolute_url()).content.decode()
    assert "learner-item--done" in _widget(their_page, item.pk) and "their secret note" in their_page
    assert "learner-item--done" not in _widget(my_page, item.pk) and "their secret note" not in my_page


def test_it_posts_without_js_and_returns_to_the_item(learner_client, learner, roadmap):
    enrolment = make_enrolment(learner, roadmap)
    item = roadmap_items(roadmap)[0]
    url = reverse("progress:item_state_pick", args=[enrolment.pk])
    response = learner_client.post(url, {"set": f"{item.pk} in_progress"})
    assert response["Location"] == f"{roadmap.get_absolute_url()}#item-{item.pk}"
    widget = _widget(learner_client.get(roadmap.get_absolute_url()).content.decode(), item.pk)
    assert "learner-item--in_progress" in widget and f'value="{item.pk} in_progress"' not in widget


@pytest.mark.parametrize("value", ["", "x done", "12", "1 flying", "1  done", "99999999 done"])
def test_it_refuses_a_bad_pick_and_changes_nothing(learner_client, learner, roadmap, value):
    enrolment = make_enrolment(learner, roadmap)
    response = learner_client.post(reverse("progress:item_state_pick", args=[enrolment.pk]), {"set": value})
    assert response.status_code in (302, 404)
    assert not ItemProgress.objects.exists()


def test_it_answers_404_for_an_item_of_a_roadmap_the_learner_does_not_follow(learner_client, learner, roadmap):
    other = make_roadmap()
    enrolment = make_enrolment(learner, other)
    item = roadmap_items(roadmap)[0]
    url = reverse("progress:item_state_pick", args=[enrolment.pk])
    assert learner_client.post(url, {"set": f"{item.pk} done"}).status_code == 404
    assert learner_client.get(reverse("progress:my_item", args=[item.pk])).status_code == 404
    assert learner_client.get(url).status_code == 405


def test_it_answers_404_for_another_learners_enrolment(learner_client, roadmap):
    other = User.objects.create_user(email="other@example.com", password="a-long-test-password")
    theirs = make_enrolment(other, roadmap)
    item = roadmap_items(roadmap)[0]
    url = reverse("progress:item_state_pick", args=[theirs.pk])
    assert learner_client.post(url, {"set": f"{item.pk} done"}).status_code == 404
    assert not ItemProgress.objects.exists()


def test_it_sends_anonymous_visitors_to_sign_in(client, learner, roadmap):
    enrolment = make_enrolment(learner, roadmap)
    item = roadmap_items(roadmap)[0]
    response = client.post(reverse("progress:item_state_pick", args=[enrolment.pk]), {"set": f"{item.pk} done"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_links_notes_to_the_learners_item_page(learner_client, learner, roadmap):
    enrolment = make_enrolment(learner, roadmap)
    item = roadmap_items(roadmap)[0]
    response = learner_client.get(reverse("progress:my_item", args=[item.pk]))
    assert response["Location"] == reverse("progress:item_details", args=[enrolment.pk, item.pk])


def test_it_escapes_item_titles_notes_and_links(learner_client, learner, roadmap):
    enrolment = make_enrolment(learner, roadmap)
    project = next(item for item in roadmap_items(roadmap) if item.kind == ItemKind.PROJECT)
    Item.objects.filter(pk=project.pk).update(title="<b>Shop</b> & co")
    ItemProgress.objects.create(enrolment=enrolment, item=project, state="done", note="<script>x</script>",
                                repo_url='https://example.org/"a"')
    html = learner_client.get(roadmap.get_absolute_url()).content.decode()
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert 'href="https://example.org/&quot;a&quot;"' in html
    assert "<b>Shop</b>" not in html


def test_it_keeps_rows_of_retired_items_out_of_the_page_and_the_figures(learner_client, learner, roadmap):
    enrolment = make_enrolment(learner, roadmap)
    first, second = roadmap_items(roadmap)[:2]
    ItemProgress.objects.create(enrolment=enrolment, item=first, state="done")
    ItemProgress.objects.create(enrolment=enrolment, item=second, state="done")
    Item.objects.filter(pk=second.pk).update(retired_at=timezone.now())
    learner_client.get(roadmap.get_absolute_url())  # warm the content cache
    response = learner_client.get(roadmap.get_absolute_url())
    assert response.context["learner"].progress.done_count == 1
    assert f'id="learner-item-{second.pk}"' not in response.content.decode()
