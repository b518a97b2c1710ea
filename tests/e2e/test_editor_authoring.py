"""Issue 15, point 7 in the browser: an editor writes a roadmap on its own
admin page (steps, then topics in the same page), reorders two steps by
dragging, and axe finds nothing on the roadmap and step forms and the
import page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from roadmaps.models import Item, ItemKind, Roadmap
from tests.e2e.conftest import axe_violations, describe_violations, session_cookie
from tests.e2e.test_editor_journey import editors_group
from tests.factories import make_roadmap, make_user

pytestmark = pytest.mark.e2e



def test_it_authors_a_roadmap_on_one_page_and_drags_two_steps(editor_page, site_url):
    page = editor_page
    page.goto(f"{site_url}/admin/roadmaps/roadmap/add/")
    page.locator("#id_title").press_sequentially("Bread at home")
    page.locator("#id_summary").fill("From a first loaf to sourdough.")
    page.locator("#id_new_tags").fill("Baking, Fermentation")
    steps = page.locator("#steps-group")
    for n, (title, weeks) in enumerate([("Flour and water", "1"), ("Kneading", "2"), ("Sourdough", "3")]):
        if n:
            steps.locator(".add-row a").click()
        steps.locator(f"[name='steps-{n}-title']").fill(title)
        steps.locator(f"[name='steps-{n}-duration_weeks']").fill(weeks)
    page.locator("[name='_continue']").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    roadmap = Roadmap.objects.get(slug="bread-at-home")
    assert sorted(roadmap.tags.values_list("name", flat=True)) == ["Baking", "Fermentation"]

    # Topics on the same page: each row names its step.
    topics = page.locator("#items-group")
    topics.locator("[name='items-0-step']").select_option(label="3. Sourdough")
    topics.locator("[name='items-0-title']").press_sequentially("Feeding a starter")
    topics.locator("[name='items-0-estimated_hours']").fill("2")
    topics.locator("[name='items-1-step']").select_option(label="2. Kneading")
    topics.locator("[name='items-1-title']").press_sequentially("The windowpane test")
    page.locator("[name='_continue']").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert dict(Item.objects.filter(roadmap=roadmap, kind=ItemKind.TOPIC).values_list("title", "step__title")) == {
        "Feeding a starter": "Sourdough", "The windowpane test": "Kneading",
    }

    # Drag "Sourdough" (third) onto the top half of "Flour and water" (first).
    rows = page.locator("#steps-group tbody tr.form-row:not(.empty-form)")
    expect(rows).to_have_count(3 + 1)  # one blank row to add another
    rows.nth(2).locator(".drag-handle").drag_to(rows.nth(0), target_position={"x": 40, "y": 5})
    expect(page.locator("#steps-group [name='steps-2-position']")).to_have_value("1")
    expect(page.locator("#steps-group [name='steps-0-position']")).to_have_value("2")
    page.locator("[name='_continue']").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert list(roadmap.steps.order_by("position").values_list("title", flat=True)) == [
        "Sourdough", "Flour and water", "Kneading",
    ]

    # The Markdown preview shows the sanitised rendering under the box.
    page.locator("#id_description").fill("**Crust** <div class='x'>matters</div>")
    page.locator(".field-description").get_by_role("button", name="Preview").click()
    expect(page.locator(".field-description .markdown-preview strong")).to_have_text("Crust")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_it_finds_no_axe_violations_on_the_editors_pages(new_context, site_url):
    editor = make_user("axe.editor@example.com", is_staff=True)
    editor.groups.add(editors_group())
    roadmap = make_roadmap(steps=3, items_per_step=8)
    context = new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.add_cookies([session_cookie(editor, site_url)])
    page = context.new_page()
    pages = {
        "roadmap change form": f"/admin/roadmaps/roadmap/{roadmap.pk}/change/",
        "roadmap add form": "/admin/roadmaps/roadmap/add/",
        "step change form": f"/admin/roadmaps/step/{roadmap.steps.first().pk}/change/",
        "import page": "/admin/roadmaps/roadmap/import/",
        "health page": f"/admin/roadmaps/roadmap/{roadmap.pk}/health/",
    }
    found, widths = {}, {}
    for name, path in pages.items():
        assert page.goto(f"{site_url}{path}").status == 200, name
        widths[name] = page.evaluate("document.documentElement.scrollWidth")
        violations = axe_violations(page)
        if violations:
            found[name] = describe_violations(violations)
    assert not found, "\n".join(f"{name}:\n{text}" for name, text in found.items())
    assert all(width <= 1280 for width in widths.values()), widths
