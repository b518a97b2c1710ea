"""The admin's step and roadmap pages with structure (issue 15, point 1):
status, group, "under topic", heading and any order, validated as the
importer validates them; the public page follows the save."""

from __future__ import annotations

import pytest

from roadmaps.models import Item, ItemKind, ItemStatus, Step
from tests.factories import make_roadmap
from tests.test_admin import change_url, form_data, prefix_of, step_url

pytestmark = pytest.mark.django_db


def step_with_topics(*titles: str):
    roadmap = make_roadmap(steps=2, items_per_step=0)
    step, other = roadmap.steps.order_by("position")
    items = [Item.objects.create(roadmap=roadmap, step=step, kind=ItemKind.TOPIC, key=title.lower(), title=title,
                                 position=n) for n, title in enumerate(titles)]
    return roadmap, step, other, items


def post_step(client, step, changes: dict[str, dict[str, str]], **step_fields):
    """Post the step page with `changes` ({item key: {field: value}}) applied."""
    data = form_data(client.get(step_url(step)), "step_form")
    for key, fields in changes.items():
        prefix = prefix_of(data, "key", key)
        data.update({f"{prefix}-{name}": value for name, value in fields.items()})
    data.update(step_fields)
    return client.post(step_url(step), data)


def test_the_step_page_saves_status_group_parent_heading_and_any_order(editor_client):
    roadmap, step, _, (sql, engine_p, engine_m, redis) = step_with_topics("SQL", "EngineP", "EngineM", "Redis")
    response = post_step(editor_client, step, {
        "enginep": {"status": "alternative", "alternative_group": "Engine", "parent": str(sql.pk)},
        "enginem": {"status": "alternative", "alternative_group": "Engine", "parent": str(sql.pk)},
        "redis": {"status": "optional", "heading": "Other stores"},
    }, any_order="on")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert {i.key: (i.status, i.alternative_group, i.parent_id, i.heading) for i in Item.objects.all()} == {
        "sql": ("core", "", None, ""),
        "enginep": ("alternative", "Engine", sql.pk, ""),
        "enginem": ("alternative", "Engine", sql.pk, ""),
        "redis": ("optional", "", None, "Other stores"),
    }
    assert Step.objects.get(pk=step.pk).any_order is True
    page = editor_client.get(roadmap.get_absolute_url()).content.decode()
    assert "Pick one: <strong>Engine</strong>" in page and "Other stores</h4>" in page


@pytest.mark.parametrize(("changes", "message"), [
    ({"enginep": {"status": "alternative"}}, "Name the group of alternatives"),
    ({"enginep": {"alternative_group": "Engine"}}, "Only alternatives have a group"),
    ({"enginep": {"status": "alternative", "alternative_group": "Engine"}}, "is the only alternative of the group"),
    ({"enginep": {"status": "alternative", "alternative_group": "Engine", "parent": "SQL"},
      "enginem": {"status": "alternative", "alternative_group": "Engine"}}, "are under different topics"),
    ({"enginep": {"parent": "SQL", "heading": "H"}}, "Only a step&#x27;s own topics"),
])
def test_the_step_page_refuses_what_the_importer_refuses_and_saves_nothing(editor_client, changes, message):
    roadmap, step, _, (sql, *_rest) = step_with_topics("SQL", "EngineP", "EngineM")
    for fields in changes.values():
        if fields.get("parent") == "SQL":
            fields["parent"] = str(sql.pk)
    before = list(Item.objects.order_by("pk").values())
    response = post_step(editor_client, step, changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(Item.objects.order_by("pk").values()) == before


def test_the_under_topic_box_offers_only_the_steps_top_level_topics(editor_client):
    roadmap, step, other, (sql, engine_p) = step_with_topics("SQL", "EngineP")
    elsewhere = Item.objects.create(roadmap=roadmap, step=other, kind=ItemKind.TOPIC, key="far", title="Far",
                                    position=0)
    Item.objects.filter(pk=engine_p.pk).update(parent=sql)
    html = editor_client.get(step_url(step)).content.decode()
    box = html[html.index('name="items-0-parent"'):]
    box = box[:box.index("</select>")]
    assert f'value="{sql.pk}"' in box
    assert f'value="{elsewhere.pk}"' not in box and f'value="{engine_p.pk}"' not in box
    # Posted anyway: refused.
    response = post_step(editor_client, step, {"sql": {"parent": str(elsewhere.pk)}})
    assert response.status_code == 200 and Item.objects.get(pk=sql.pk).parent_id is None


def test_the_roadmap_page_sets_status_and_group_of_any_steps_topics(editor_client):
    roadmap, step, other, (one, two) = step_with_topics("One", "Two")
    data = form_data(editor_client.get(change_url(roadmap)), "roadmap_form")
    for key in ("one", "two"):
        prefix = prefix_of(data, "key", key)
        data.update({f"{prefix}-status": "alternative", f"{prefix}-alternative_group": "Pick"})
    response = editor_client.post(change_url(roadmap), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(Item.objects.values_list("status", "alternative_group")) == {(ItemStatus.ALTERNATIVE, "Pick")}
