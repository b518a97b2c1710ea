"""The editor's admin (issue 15, point 7): topics on the roadmap's own page,
reordering that keeps the two-phase position update, errors linked and named
with their step, week warnings, guidance in the typed order, new tags typed
inline, Markdown preview, and names for every box of a table row."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from roadmaps.models import Guidance, GuidanceKind, Item, ItemKind, Step, Tag
from roadmaps.signals import content_changed
from tests.factories import make_roadmap, make_user
from tests.test_admin import change_url, form_data, inline_prefix, prefix_of, step_url

pytestmark = pytest.mark.django_db

PREVIEW_URL = "/admin/roadmaps/roadmap/markdown-preview/"


def topics_prefix(data: dict[str, str]) -> str:
    return inline_prefix(data, "-step")


def test_it_lists_every_steps_topics_on_the_roadmap_page_with_their_step(editor_client, roadmap):
    data = form_data(editor_client.get(change_url(roadmap)), "roadmap_form")
    prefix = topics_prefix(data)
    topics = Item.objects.filter(roadmap=roadmap, kind=ItemKind.TOPIC).order_by("step__position", "position")
    assert int(data[f"{prefix}-INITIAL_FORMS"]) == topics.count() > 0
    assert [data[f"{prefix}-{n}-title"] for n in range(topics.count())] == [t.title for t in topics]
    assert data[f"{prefix}-0-step"] == str(topics[0].step_id)


def test_it_adds_a_topic_to_a_step_from_the_roadmap_page_and_tells_learners_summaries(editor_client, roadmap):
    second = roadmap.steps.order_by("position")[1]
    data = form_data(editor_client.get(change_url(roadmap)), "roadmap_form")
    prefix = topics_prefix(data)
    row = f"{prefix}-{data[f'{prefix}-INITIAL_FORMS']}"
    data.update({f"{row}-step": str(second.pk), f"{row}-title": "Window functions", f"{row}-estimated_hours": "3"})
    sent = []
    content_changed.connect(receiver := lambda sender, roadmap_id, **kw: sent.append(roadmap_id))
    try:
        assert editor_client.post(change_url(roadmap), data).status_code == 302
    finally:
        content_changed.disconnect(receiver)
    topic = Item.objects.get(roadmap=roadmap, title="Window functions")
    assert (topic.step, topic.kind, topic.key) == (second, ItemKind.TOPIC, "window-functions")
    top = Item.objects.filter(step=second, kind=ItemKind.TOPIC).exclude(pk=topic.pk).order_by("-position").first()
    assert topic.position == (top.position + 1 if top else 1)
    assert sent == [roadmap.pk]


def test_it_swaps_two_topics_and_moves_one_to_another_step_in_one_save(editor_client):
    roadmap = make_roadmap(steps=2, items_per_step=8)
    first_step, second_step = roadmap.steps.order_by("position")
    a, b = Item.objects.filter(step=first_step, kind=ItemKind.TOPIC).order_by("position")
    data = form_data(editor_client.get(change_url(roadmap)), "roadmap_form")
    pa, pb = prefix_of(data, "key", a.key), prefix_of(data, "key", b.key)
    data[f"{pa}-position"], data[f"{pb}-position"] = str(b.position), str(a.position)
    moved = Item.objects.filter(step=second_step, kind=ItemKind.TOPIC).order_by("position").first()
    data[f"{prefix_of(data, 'key', moved.key)}-step"] = str(first_step.pk)
    data[f"{prefix_of(data, 'key', moved.key)}-position"] = ""

    response = editor_client.post(change_url(roadmap), data)

    assert response.status_code == 302, response.context["errors"]
    old_a, old_b = a.position, b.position
    a.refresh_from_db()
    b.refresh_from_db()
    moved.refresh_from_db()
    assert (a.position, b.position) == (old_b, old_a)
    top = Item.objects.filter(step=first_step, kind=ItemKind.TOPIC).exclude(pk=moved.pk).order_by("-position")[0]
    assert (moved.step, moved.position) == (first_step, top.position + 1)


def test_it_links_every_error_from_the_banner_and_names_the_rows_step(editor_client):
    roadmap = make_roadmap(steps=2, items_per_step=4)
    first_step, second_step = roadmap.steps.order_by("position")
    data = form_data(editor_client.get(change_url(roadmap)), "roadmap_form")
    topic = Item.objects.filter(step=second_step, kind=ItemKind.TOPIC).first()
    other = Item.objects.filter(step=first_step, kind=ItemKind.TOPIC).first()
    row = prefix_of(data, "key", topic.key)
    data[f"{row}-key"] = other.key
    data[f"{row}-estimated_hours"] = "-1"

    page = editor_client.post(change_url(roadmap), data).content.decode()

    banner = page.split('<div class="errornote error-links" role="alert">', 1)[1].split("</div>", 1)[0]
    assert f'<a href="#id_{row}-key">Topic “{topic.title}” in step “{second_step.title}”, key</a>' in banner
    assert f'<a href="#id_{row}-estimated_hours">Topic “{topic.title}” in step “{second_step.title}”' in banner
    assert (f"The key “{other.key}” is already used in this roadmap. It belongs to “{other.title}” "
            f"(topic in step “{first_step.title}”).") in banner
    assert f'id="id_{row}-key"' in page  # the link's target exists


def test_it_names_the_holder_of_a_key_on_the_step_page(editor_client):
    roadmap = make_roadmap(steps=2, items_per_step=4)
    first_step, second_step = roadmap.steps.order_by("position")
    data = form_data(editor_client.get(step_url(second_step)), "step_form")
    data["key"] = first_step.key
    page = editor_client.post(step_url(second_step), data).content.decode()
    assert f"The key “{first_step.key}” is already used in this roadmap. It belongs to “{first_step.title}”." in page
    assert '<a href="#id_key">Key</a>' in page


def test_it_warns_when_weekly_goals_and_checkpoints_fall_outside_their_step(editor_client):
    roadmap = make_roadmap(steps=2, items_per_step=0)  # both steps last 2 weeks: 1–2 and 3–4
    first, second = roadmap.steps.order_by("position")
    Step.objects.filter(pk=second.pk).update(weekly_goals="3: Join two tables\n4: Index a column")
    Item.objects.create(roadmap=roadmap, step=second, kind=ItemKind.CHECKPOINT, key="cp", title="Ten queries",
                        week=4, position=0)
    data = form_data(editor_client.get(change_url(roadmap)), "roadmap_form")
    data[f"{prefix_of(data, 'key', first.key)}-position"] = str(second.position)
    data[f"{prefix_of(data, 'key', second.key)}-position"] = str(first.position)

    response = editor_client.post(change_url(roadmap), data, follow=True)

    messages = [str(m) for m in response.context["messages"]]
    assert "Step 0 “Step 1” now covers weeks 1–2, but the weekly goal for week 3 (“Join two tables”), the weekly " \
           "goal for week 4 (“Index a column”) and the checkpoint “Ten queries” (week 4) fall outside it." in messages


def test_it_gives_no_week_warning_when_everything_fits(editor_client, roadmap):
    data = form_data(editor_client.get(change_url(roadmap)), "roadmap_form")
    response = editor_client.post(change_url(roadmap), data, follow=True)
    assert not [m for m in response.context["messages"] if "falls outside" in str(m) or "fall outside" in str(m)]


def test_it_warns_when_stated_hours_or_weeks_disagree_with_the_items(editor_client):
    roadmap = make_roadmap(steps=2, items_per_step=0, duration_weeks=4, weekly_hours=5)
    first, second = roadmap.steps.order_by("position")
    Step.objects.filter(pk=first.pk).update(estimated_hours=8)
    for n, hours in enumerate([4, 6, None]):  # 4 + 6 + a topic's default hour = 11 h
        Item.objects.create(roadmap=roadmap, step=first, kind=ItemKind.TOPIC, key=f"t{n}", title=f"Topic {n}",
                            estimated_hours=hours, position=n)
    Item.objects.create(roadmap=roadmap, step=second, kind=ItemKind.PROJECT, key="p", title="Build", position=0)
    data = form_data(editor_client.get(change_url(roadmap)), "roadmap_form")

    response = editor_client.post(change_url(roadmap), data, follow=True)

    messages = [str(m) for m in response.context["messages"]]
    assert "Step 0 “Step 0” says 8 h, but its items add up to 11 h: learners see 11 h. Change the step's hours " \
           "or its items'." in messages
    # 11 h + a project's default 4 h = 15 h: 3 weeks at 5 h a week, not 4.
    assert "The roadmap says 4 weeks at 5 h a week, but its items add up to 15 h, which takes 3 weeks at that " \
           "pace." in messages
    assert not [m for m in messages if "Step 1" in m]  # no stated hours: nothing to disagree with


def test_it_gives_no_hours_warning_when_the_stated_figures_match(editor_client):
    roadmap = make_roadmap(steps=1, items_per_step=0, duration_weeks=2, weekly_hours=5)
    step = roadmap.steps.get()
    Step.objects.filter(pk=step.pk).update(estimated_hours=10)
    Item.objects.create(roadmap=roadmap, step=step, kind=ItemKind.TOPIC, key="t", title="Topic", estimated_hours=10,
                        position=0)
    data = form_data(editor_client.get(change_url(roadmap)), "roadmap_form")
    response = editor_client.post(change_url(roadmap), data, follow=True)
    assert not [m for m in response.context["messages"] if "add up to" in str(m)]


def test_it_keeps_guidance_in_the_order_typed(editor_client):
    roadmap = make_roadmap(steps=1, items_per_step=1)
    Guidance.objects.filter(roadmap=roadmap).delete()
    data = form_data(editor_client.get(change_url(roadmap)), "roadmap_form")
    prefix = inline_prefix(data, "-kind")
    rows = [("tip", "Sleep on it"), ("mistake", "Skipping tests"), ("tip", "Write it down"), ("leverage", "Pair")]
    data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
    for n, (kind, title) in enumerate(rows):
        data.update({f"{prefix}-{n}-kind": kind, f"{prefix}-{n}-title": title, f"{prefix}-{n}-position": ""})
    assert editor_client.post(change_url(roadmap), data).status_code == 302

    data = form_data(editor_client.get(change_url(roadmap)), "roadmap_form")
    assert [data[f"{prefix}-{n}-title"] for n in range(4)] == [title for _, title in rows]
    tips = Guidance.objects.filter(roadmap=roadmap, kind=GuidanceKind.TIP).order_by("position")
    assert list(tips.values_list("title", flat=True)) == ["Sleep on it", "Write it down"]

    # Typed positions sort the list; ties keep the row order. Saved again: 1, 2, 3… across the kinds.
    data[f"{prefix}-3-position"] = "1"
    data[f"{prefix}-1-position"] = "1"
    assert editor_client.post(change_url(roadmap), data).status_code == 302
    order = Guidance.objects.filter(roadmap=roadmap).exclude(kind=GuidanceKind.SCHEDULE).order_by("position")
    assert list(order.values_list("title", "position")) == [
        ("Sleep on it", 1), ("Skipping tests", 2), ("Pair", 3), ("Write it down", 4),
    ]


def test_it_adds_new_tags_typed_inline(editor_client, roadmap):
    Tag.objects.create(name="Kotlin", slug="kotlin")
    data = form_data(editor_client.get(change_url(roadmap)), "roadmap_form")
    data["new_tags"] = "kotlin, Jetpack  Compose,"
    assert editor_client.post(change_url(roadmap), data).status_code == 302
    assert sorted(roadmap.tags.values_list("name", flat=True)) == ["Jetpack Compose", "Kotlin", "Python", "SQL"]
    assert Tag.objects.filter(name__iexact="kotlin").count() == 1


def test_it_refuses_a_new_tag_with_no_letters(editor_client, roadmap):
    data = form_data(editor_client.get(change_url(roadmap)), "roadmap_form")
    data["new_tags"] = "Go, ***"
    page = editor_client.post(change_url(roadmap), data).content.decode()
    assert "No tag can be made from “***”: use letters or digits." in page
    assert not Tag.objects.filter(name="Go").exists()


def test_it_previews_markdown_sanitised(editor_client):
    response = editor_client.post(PREVIEW_URL, {"text": "**Hi** <script>x()</script> ![A](https://example.org/a.png)"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>Hi</strong>" in html and "<script" not in html and ">Image: A</a>" in html


def test_it_keeps_the_preview_to_editors_and_posts(editor_client):
    assert editor_client.get(PREVIEW_URL).status_code == 405
    client = Client()
    assert client.post(PREVIEW_URL, {"text": "x"})["Location"].startswith("/admin/login/")
    client.force_login(make_user("staff@example.com", is_staff=True))
    assert client.post(PREVIEW_URL, {"text": "x"}).status_code == 403
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_user("editor2@example.com", is_staff=True, is_superuser=True))
    assert strict.post(PREVIEW_URL, {"text": "x"}).status_code == 403


def test_it_names_every_box_of_a_table_row(editor_client, roadmap):
    page = editor_client.get(change_url(roadmap)).content.decode()
    rows = re.findall(r'<tr class="form-row[^"]*"[^>]*id="steps-0">(.*?)</tr>', page, re.DOTALL)
    boxes = re.findall(r"<(?:input|select|textarea)\b[^>]*>", rows[0])
    visible = [box for box in boxes if 'type="hidden"' not in box]
    assert visible and all('aria-label="' in box for box in visible), visible
    assert 'aria-label="Title, row 1"' in rows[0]
    assert '<th class="original"><span class="visually-hidden">Row</span></th>' in page


def test_it_loads_the_editor_script_and_styles_from_this_site(editor_client, roadmap):
    for url in (change_url(roadmap), step_url(roadmap.steps.first())):
        page = editor_client.get(url).content.decode()
        assert '<script src="/static/js/admin-editor.js" defer></script>' in page
        assert 'href="/static/css/admin-editor.css"' in page
        assert 'id="markdown-preview-url" data-url="/admin/roadmaps/roadmap/markdown-preview/"' in page


def _markdown_boxes(page: str) -> set[str]:
    """The names of the boxes the page marks for the Markdown preview."""
    boxes = re.findall(r"<textarea\b[^>]*>", page)
    return {re.search(r'name="([^"]+)"', box).group(1) for box in boxes if "data-markdown" in box}


@pytest.mark.parametrize("language", ["en", "es"])
def test_it_marks_every_markdown_box_for_the_preview_in_any_language(editor_client, roadmap, language):
    # The preview script finds its boxes by this mark, not by the help text,
    # which is translated.
    editor_client.cookies["django_language"] = language
    page = editor_client.get(change_url(roadmap), headers={"accept-language": language}).content.decode()
    marked = _markdown_boxes(page)
    assert {"description", "audience"} <= marked
    assert any(name.endswith("-body") and name.startswith("items") for name in marked)  # topics' bodies
    assert any(name.endswith("-body") and name.startswith("guidance") for name in marked)
    # Plain text stays plain: outcomes, pace plans' points, counters' descriptions.
    plain = ("outcomes", "prerequisites", "-details", "-description", "-why")
    assert not any(name.endswith(ending) for name in marked for ending in plain)
    step_page = editor_client.get(step_url(roadmap.steps.first()), headers={"accept-language": language})
    step_marked = _markdown_boxes(step_page.content.decode())
    assert "goal" in step_marked and any(name.endswith("-body") for name in step_marked)  # the items' bodies
    assert not {"success_metric", "weekly_goals"} & step_marked
