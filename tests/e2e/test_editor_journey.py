"""Journey 4: an editor creates a roadmap with steps and topics in the admin,
previews the draft, publishes it and finds it in the catalogue."""

from __future__ import annotations

import importlib
import re

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from roadmaps.models import Roadmap, Status
from tests.e2e.conftest import session_cookie
from tests.factories import make_user

pytestmark = pytest.mark.e2e


def editors_group() -> Group:
    """The Editors group of the data migration. A transactional test that ran
    before may have flushed it; then it is rebuilt with the migration's own
    list of permissions."""
    migration = importlib.import_module("roadmaps.migrations.0002_editors_group_and_default_prompts")
    group, created = Group.objects.get_or_create(name="Editors")
    if created:
        codenames = [
            f"{action}_{model.replace(' ', '')}"
            for model in migration.EDITOR_MODELS
            for action in ("add", "change", "delete", "view")
        ]
        group.permissions.add(*Permission.objects.filter(content_type__app_label="roadmaps", codename__in=codenames))
    return group


def test_it_authors_previews_publishes_and_finds_a_roadmap(new_context, site_url):
    editor = make_user("editor.e2e@example.com", display_name="Eda Editor", is_staff=True)
    editor.groups.add(editors_group())
    context = new_context()
    context.add_cookies([session_cookie(editor, site_url)])
    page = context.new_page()
    visitor = new_context().new_page()

    # A new roadmap with one step, from the admin's add form.
    page.goto(f"{site_url}/admin/roadmaps/roadmap/add/")
    page.locator("#id_title").press_sequentially("Kotlin for Android")  # typed: the slug follows keystrokes
    expect(page.locator("#id_slug")).to_have_value("kotlin-for-android")  # prepopulated by the admin
    page.locator("#id_summary").fill("From a first screen to the Play Store.")
    page.locator("#id_skill_level").select_option("beginner")
    expect(page.locator("#id_status")).to_have_value(Status.DRAFT)
    steps = page.locator("#steps-group")
    steps.locator("[name='steps-0-title']").fill("Set up the toolchain")
    steps.locator("[name='steps-0-duration_weeks']").fill("2")
    page.locator("[name='_continue']").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    roadmap = Roadmap.objects.get(slug="kotlin-for-android")
    assert roadmap.status == Status.DRAFT and roadmap.created_by == editor

    # Topics are added on the step's own page.
    steps.get_by_role("link", name="Change").first.click()
    topics = page.locator("#items-group")
    topics.locator("[name='items-0-title']").press_sequentially("Install Android Studio")
    expect(topics.locator("[name='items-0-key']")).to_have_value("install-android-studio")
    topics.locator("[name='items-0-estimated_hours']").fill("3")
    page.locator("[name='_save']").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    # Preview: the editor sees the draft on the site; a visitor gets 404.
    page.goto(f"{site_url}/admin/roadmaps/roadmap/{roadmap.pk}/change/")
    page.get_by_role("link", name="View on site").click()
    expect(page).to_have_url(f"{site_url}/roadmaps/kotlin-for-android/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kotlin for Android")
    expect(page.get_by_text("Draft preview.")).to_be_visible()
    expect(page.get_by_role("heading", name="Set up the toolchain")).to_be_visible()
    expect(page.get_by_text("Install Android Studio").first).to_be_visible()
    assert visitor.goto(f"{site_url}/roadmaps/kotlin-for-android/").status == 404
    visitor.goto(f"{site_url}/roadmaps/")
    expect(visitor.get_by_role("link", name="Kotlin for Android")).to_have_count(0)

    # Publish with the list's action.
    page.goto(f"{site_url}/admin/roadmaps/roadmap/")
    row = page.locator("#result_list tr", has_text="Kotlin for Android")
    row.locator("input[name='_selected_action']").check()
    page.locator("select[name='action']").select_option("publish")
    page.locator("button[name='index']").click()
    expect(page.locator(".messagelist")).to_contain_text(re.compile("Published"))
    expect(row).to_contain_text("Published")

    # The visitor finds it in the catalogue and reads it, with no draft banner.
    visitor.goto(f"{site_url}/roadmaps/")
    visitor.get_by_label("Search").fill("Kotlin")
    visitor.get_by_role("button", name="Show roadmaps").click()
    visitor.get_by_role("link", name="Kotlin for Android").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Kotlin for Android")
    expect(visitor.get_by_text("Draft preview.")).to_have_count(0)
    expect(visitor.get_by_text("Install Android Studio").first).to_be_visible()
