"""The learner's item widget on the roadmap page, built in Python (one call per
item): the same markup on the page and in the htmx answer, text escaped, and
rows of retired items loaded without breaking the page."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import timezone

from progress.models import ItemProgress
from roadmaps.models import Item, ItemKind
from tests.progress_helpers import make_enrolment, roadmap_items

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _widget(html: str, item_pk: int) -> str:
    match = re.search(rf'<div class="learner-item [^"]*" id="learner-item-{item_pk}">.*?</a></div>', html, re.S)
    assert match, f"no widget for item {item_pk}"
    return CSRF.sub('name="csrfmiddlewaretoken" value="T"', match.group(0))


def test_it_renders_the_same_widget_on_the_page_and_in_the_htmx_answer(learner_client, learner, roadmap):
    enrolment = make_enrolment(learner, roadmap)
    item = roadmap_items(roadmap)[0]
    ItemProgress.objects.create(enrolment=enrolment, item=item, state="in_progress", note="first\nsecond",
                                confidence=2)
    url = reverse("progress:item_state", args=[enrolment.pk, item.pk])
    answer = learner_client.post(url, {"state": "done"}, HTTP_HX_REQUEST="true").content.decode()
    page = learner_client.get(roadmap.get_absolute_url()).content.decode()
    assert _widget(answer, item.pk) == _widget(page, item.pk)
    widget = _widget(page, item.pk)
    assert f'action="{url}" hx-post="{url}" hx-target="#learner-item-{item.pk}" hx-swap="outerHTML"' in widget
    assert 'name="csrfmiddlewaretoken"' in widget
    assert "first<br>second" in widget and "Confidence 2/5" in widget
    assert 'value="not_started">Reset' in widget and 'value="done"' not in widget


def test_it_posts_back_to_the_item_without_a_next_field(learner_client, learner, roadmap):
    enrolment = make_enrolment(learner, roadmap)
    item = roadmap_items(roadmap)[0]
    widget = _widget(learner_client.get(roadmap.get_absolute_url()).content.decode(), item.pk)
    assert 'name="next"' not in widget
    response = learner_client.post(reverse("progress:item_state", args=[enrolment.pk, item.pk]),
                                   {"state": "in_progress"})
    assert response["Location"] == f"{roadmap.get_absolute_url()}#item-{item.pk}"
    widget = _widget(learner_client.get(roadmap.get_absolute_url()).content.decode(), item.pk)
    assert "learner-item--in_progress" in widget and 'value="in_progress"' not in widget


def test_it_escapes_item_titles_notes_and_links(learner_client, learner, roadmap):
    enrolment = make_enrolment(learner, roadmap)
    project = next(item for item in roadmap_items(roadmap) if item.kind == ItemKind.PROJECT)
    Item.objects.filter(pk=project.pk).update(title="<b>Shop</b> & co")
    ItemProgress.objects.create(enrolment=enrolment, item=project, state="done", note="<script>x</script>",
                                repo_url='https://example.org/"a"')
    html = learner_client.get(roadmap.get_absolute_url()).content.decode()
    widget = _widget(html, project.pk)
    assert "<script>x" not in widget and "&lt;script&gt;x&lt;/script&gt;" in widget
    assert ": &lt;b&gt;Shop&lt;/b&gt; &amp; co</span>" in widget
    assert 'href="https://example.org/&quot;a&quot;"' in widget
    assert "Edit notes, links" in widget


def test_it_keeps_counting_rows_of_retired_items_on_the_page(learner_client, learner, roadmap):
    enrolment = make_enrolment(learner, roadmap)
    first, second = roadmap_items(roadmap)[:2]
    ItemProgress.objects.create(enrolment=enrolment, item=first, state="done")
    ItemProgress.objects.create(enrolment=enrolment, item=second, state="done")
    Item.objects.filter(pk=second.pk).update(retired_at=timezone.now())
    learner_client.get(roadmap.get_absolute_url())  # warm the content cache
    response = learner_client.get(roadmap.get_absolute_url())
    learner = response.context["learner"]
    assert [row.item.title for row in learner.removed] == [second.title]
    assert learner.progress.done_count == 1
    assert f'id="learner-item-{second.pk}"' not in response.content.decode()
