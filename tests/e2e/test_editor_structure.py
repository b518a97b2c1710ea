"""Issue 15, point 1 in the browser: an editor marks topics optional and
alternatives on the roadmap's own admin page, makes subtopics, a heading and
an any-order step on the step's page, is told what is wrong with a group of
one, and the roadmap page shows it all. (axe on these admin pages, new
columns included: test_editor_authoring.py.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from roadmaps.models import Item, ItemStatus, Step

pytestmark = pytest.mark.e2e



def save(page, expected: str = "was changed successfully") -> None:
    page.locator("[name='_continue']").first.click()
    expect(page.locator(".messagelist")).to_contain_text(expected)


def test_it_authors_optional_topics_alternatives_and_subtopics(editor_page, site_url):
    page = editor_page
    page.goto(f"{site_url}/admin/roadmaps/roadmap/add/")
    page.locator("#id_title").press_sequentially("Data stores")
    page.locator("#id_summary").fill("Where applications keep their data.")
    page.locator("#steps-group [name='steps-0-title']").fill("Databases")
    save(page, "was added successfully")

    # On the roadmap's page: a core topic, two alternatives of one group, and a group of one (an error).
    topics = page.locator("#items-group")
    rows = [("SQL", "Core", ""), ("Engine P", "Alternative", "Relational engine"),
            ("Engine M", "Alternative", "Relational engin")]
    for n, (title, status, group) in enumerate(rows):
        topics.locator(f"[name='items-{n}-step']").select_option(label="1. Databases")
        topics.locator(f"[name='items-{n}-title']").press_sequentially(title)
        topics.locator(f"[name='items-{n}-status']").select_option(label=status)
        topics.locator(f"[name='items-{n}-alternative_group']").fill(group)
    page.locator("[name='_continue']").first.click()
    expect(page.locator(".errornote").first).to_be_visible()
    expect(page.locator("#items-group")).to_contain_text("is the only alternative of the group")
    assert not Item.objects.exists()  # nothing saved

    topics.locator("[name='items-2-alternative_group']").fill("Relational engine")
    save(page)
    assert dict(Item.objects.values_list("title", "status")) == {
        "SQL": "core", "Engine P": "alternative", "Engine M": "alternative"}

    # On the step's page: an optional topic under a heading, the alternatives as subtopics of SQL, any order.
    step = Step.objects.get(title="Databases")
    page.goto(f"{site_url}/admin/roadmaps/step/{step.pk}/change/")
    page.locator("#id_any_order").check()
    topics = page.locator("#items-group")
    titles = [topics.locator(f"[name='items-{n}-title']").input_value() for n in range(3)]
    for n, title in enumerate(titles):
        if title.startswith("Engine"):
            topics.locator(f"[name='items-{n}-parent']").select_option(label="SQL")
    topics.locator("[name='items-3-title']").press_sequentially("Key-value stores")
    topics.locator("[name='items-3-status']").select_option(label="Optional")
    topics.locator("[name='items-3-heading']").fill("Other stores")
    save(page)
    sql = Item.objects.get(title="SQL")
    assert set(sql.children.values_list("title", flat=True)) == {"Engine P", "Engine M"}
    assert Item.objects.get(title="Key-value stores").status == ItemStatus.OPTIONAL
    assert Step.objects.get(pk=step.pk).any_order is True
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280

    # The draft's page, as the editor previews it.
    page.goto(f"{site_url}{step.roadmap.get_absolute_url()}")
    storage = page.locator(f"#step-{step.key}")
    expect(storage.locator(".step__meta")).to_contain_text("Any order")
    expect(storage.locator(".alternatives__label")).to_have_text("Pick one: Relational engine")
    expect(storage.locator(f"#item-{sql.pk} .subtopics")).to_contain_text("Engine P")
    expect(storage.locator(".item-heading")).to_have_text("Other stores")
    expect(storage.locator(".badge--optional")).to_have_text("Optional")
    page.screenshot(path="/tmp/structure-page.png", full_page=True)
