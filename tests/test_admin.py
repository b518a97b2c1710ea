"""Roadmap authoring in the admin: access, inlines, ordering, actions, YAML import/export."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from roadmaps.models import Guidance, GuidanceKind, Item, ItemKind, PacePlan, Roadmap, Status, Step
from roadmaps.yaml_io import export_roadmap
from tests.factories import make_roadmap, make_user

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/roadmaps/roadmap/"
IMPORT_URL = "/admin/roadmaps/roadmap/import/"


class _FormReader(HTMLParser):
    """The fields of the admin's main form, as a browser would submit them."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, str | list[str]] = {}
        self._multiple = False
        self._select: str | None = None
        self._select_first: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and "__prefix__" not in name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                self.data[name] = attrs.get("value") or ""
        elif tag == "select" and name and "__prefix__" not in name:
            self._select, self._select_first = name, None
            self._multiple = "multiple" in attrs
            if self._multiple:
                self.data[name] = []
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._multiple:
                if "selected" in attrs:
                    self.data[self._select].append(value)
                return
            if self._select_first is None:
                self._select_first = value
                self.data.setdefault(self._select, value)
            if "selected" in attrs:
                self.data[self._select] = value
        elif tag == "textarea" and name and "__prefix__" not in name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            # Django starts a textarea's content with a newline that browsers drop.
            self.data[self._textarea] += data.removeprefix("\n") if not self.data[self._textarea] else data


def form_data(response, form_id: str) -> dict[str, str]:
    assert response.status_code == 200, response.status_code
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    assert reader.data, f"no form #{form_id} on the page"
    return reader.data


def prefix_of(data: dict[str, str], field: str, value: str) -> str:
    """The inline form prefix (e.g. "steps-1") whose `field` has `value`."""
    for name, current in data.items():
        if name.endswith(f"-{field}") and current == value:
            return name.removesuffix(f"-{field}")
    raise AssertionError(f"no inline row with {field}={value!r}")


def inline_prefix(data: dict[str, str], marker: str) -> str:
    """The formset prefix whose TOTAL_FORMS is in `data` and whose rows show `marker`."""
    prefixes = [name.removesuffix("-TOTAL_FORMS") for name in data if name.endswith("-TOTAL_FORMS")]
    for prefix in prefixes:
        row = re.compile(rf"^{re.escape(prefix)}-\d+{re.escape(marker)}$")
        if any(row.match(name) for name in data):
            return prefix
    raise AssertionError(f"no formset with a {marker} field among {prefixes}")


def age(roadmap: Roadmap) -> None:
    Roadmap.objects.filter(pk=roadmap.pk).update(updated_at=timezone.now() - timedelta(days=5))
    roadmap.refresh_from_db()


def change_url(roadmap: Roadmap) -> str:
    return reverse("admin:roadmaps_roadmap_change", args=[roadmap.pk])


def step_url(step: Step) -> str:
    return reverse("admin:roadmaps_step_change", args=[step.pk])


# --- Access ----------------------------------------------------------------------


def test_it_redirects_a_learner_away_from_the_admin(learner_client):
    response = learner_client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_it_redirects_an_anonymous_visitor_to_the_admin_login(client):
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_it_lets_an_editor_open_roadmaps_steps_and_tags(editor_client, roadmap):
    for url in (
        "/admin/",
        CHANGELIST,
        change_url(roadmap),
        "/admin/roadmaps/roadmap/add/",
        "/admin/roadmaps/step/",
        step_url(roadmap.steps.first()),
        "/admin/roadmaps/tag/?q=pyth",
        "/admin/roadmaps/retrospectiveprompt/",
    ):
        assert editor_client.get(url).status_code == 200, url


def test_it_refuses_users_and_groups_to_an_editor(editor_client):
    assert editor_client.get("/admin/accounts/user/").status_code == 403
    assert editor_client.get("/admin/auth/group/").status_code == 403


def test_it_lets_a_superuser_manage_users(client):
    client.force_login(make_user("root@example.com", is_staff=True, is_superuser=True))
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/admin/auth/group/").status_code == 200


def test_it_lets_an_editor_preview_a_draft_through_view_on_site(editor_client):
    draft = make_roadmap(status=Status.DRAFT)
    assert Client().get(draft.get_absolute_url()).status_code == 404
    page = editor_client.get(change_url(draft))
    assert b"View on site" in page.content
    assert editor_client.get(draft.get_absolute_url()).status_code == 200


# --- Adding and changing with inlines ---------------------------------------------------


def test_it_lets_an_editor_add_a_roadmap_with_inlines(editor_client, editor):
    data = form_data(editor_client.get("/admin/roadmaps/roadmap/add/"), "roadmap_form")
    data.update(
        {
            "title": "Shell scripting",
            "slug": "shell-scripting",
            "summary": "From one-liners to tools.",
            "skill_level": "beginner",
            "retrospective_interval_weeks": "2",
        }
    )
    data["steps-0-title"] = "Pipes & redirection"
    pace = inline_prefix(data, "-hours_per_week")
    data.update({f"{pace}-0-name": "Evenings", f"{pace}-0-hours_per_week": "5"})
    schedule = inline_prefix(data, "-day")
    data.update({f"{schedule}-0-day": "mon", f"{schedule}-0-hours": "2", f"{schedule}-0-body": "Practise"})
    guidance = inline_prefix(data, "-kind")
    data.update({f"{guidance}-0-kind": "tip", f"{guidance}-0-title": "Read man pages"})

    response = editor_client.post("/admin/roadmaps/roadmap/add/", data)

    assert response.status_code == 302, response.context["errors"] if response.context else response
    roadmap = Roadmap.objects.get(slug="shell-scripting")
    assert roadmap.created_by == editor
    assert roadmap.status == Status.DRAFT
    step = roadmap.steps.get()
    assert (step.key, step.position) == ("pipes-redirection", 1)
    assert PacePlan.objects.get(roadmap=roadmap).key == "evenings"
    assert Guidance.objects.get(roadmap=roadmap, kind=GuidanceKind.SCHEDULE).body == "Practise"
    assert Guidance.objects.get(roadmap=roadmap, kind=GuidanceKind.TIP).title == "Read man pages"


def test_it_swaps_two_step_positions_in_one_save_and_touches_the_roadmap(editor_client, roadmap):
    first, second = roadmap.steps.order_by("position")
    age(roadmap)
    before = roadmap.updated_at
    data = form_data(editor_client.get(change_url(roadmap)), "roadmap_form")
    data[f"{prefix_of(data, 'key', first.key)}-position"] = str(second.position)
    data[f"{prefix_of(data, 'key', second.key)}-position"] = str(first.position)

    response = editor_client.post(change_url(roadmap), data)

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.position, second.position) == (1, 0)
    assert sorted(roadmap.tags.values_list("name", flat=True)) == ["Python", "SQL"]
    roadmap.refresh_from_db()
    assert roadmap.updated_at > before


def test_it_numbers_a_new_step_left_without_position_after_the_last(editor_client, roadmap):
    data = form_data(editor_client.get(change_url(roadmap)), "roadmap_form")
    new_row = f"steps-{data['steps-INITIAL_FORMS']}"
    data.update({f"{new_row}-title": "Deploying", f"{new_row}-key": ""})

    assert editor_client.post(change_url(roadmap), data).status_code == 302

    step = roadmap.steps.get(title="Deploying")
    assert (step.position, step.key) == (2, "deploying")


def test_it_shows_a_duplicate_position_next_to_the_field(editor_client, roadmap):
    first, second = roadmap.steps.order_by("position")
    data = form_data(editor_client.get(change_url(roadmap)), "roadmap_form")
    data[f"{prefix_of(data, 'key', second.key)}-position"] = str(first.position)

    response = editor_client.post(change_url(roadmap), data)

    assert response.status_code == 200
    assert "Position 0 is also given to" in response.content.decode()
    second.refresh_from_db()
    assert second.position == 1


def test_it_refuses_a_key_already_used_in_the_roadmap(editor_client, roadmap):
    first, second = roadmap.steps.order_by("position")
    data = form_data(editor_client.get(change_url(roadmap)), "roadmap_form")
    data[f"{prefix_of(data, 'key', second.key)}-key"] = first.key

    response = editor_client.post(change_url(roadmap), data)

    assert response.status_code == 200
    assert f"The key “{first.key}” is already used in this roadmap." in response.content.decode()


def test_it_refuses_to_delete_a_step_that_holds_items(editor_client, roadmap):
    step = roadmap.steps.order_by("position").first()
    data = form_data(editor_client.get(change_url(roadmap)), "roadmap_form")
    data[f"{prefix_of(data, 'key', step.key)}-DELETE"] = "on"

    response = editor_client.post(change_url(roadmap), data)

    assert response.status_code == 200
    assert "A step that holds items cannot be deleted" in response.content.decode()
    assert Step.objects.filter(pk=step.pk).exists()


def test_it_deletes_an_empty_step(editor_client, roadmap):
    empty = Step.objects.create(roadmap=roadmap, key="later", position=9, title="Later")
    data = form_data(editor_client.get(change_url(roadmap)), "roadmap_form")
    data[f"{prefix_of(data, 'key', empty.key)}-DELETE"] = "on"

    assert editor_client.post(change_url(roadmap), data).status_code == 302
    assert not Step.objects.filter(pk=empty.pk).exists()


# --- The step page ------------------------------------------------------------------


def _step_with_topics() -> tuple[Roadmap, Step, Item, Item]:
    roadmap = make_roadmap(steps=1, items_per_step=0)
    step = roadmap.steps.get()
    one = Item.objects.create(roadmap=roadmap, step=step, kind=ItemKind.TOPIC, key="one", title="One", position=1)
    two = Item.objects.create(roadmap=roadmap, step=step, kind=ItemKind.TOPIC, key="two", title="Two", position=2)
    return roadmap, step, one, two


def test_it_shows_one_inline_per_item_kind_without_delete_boxes(editor_client):
    roadmap, step, one, _ = _step_with_topics()
    Item.objects.create(roadmap=roadmap, step=step, kind=ItemKind.RESOURCE, key="r", title="Docs", position=1,
                        resource_kind="docs")
    page = editor_client.get(step_url(step))
    data = form_data(page, "step_form")
    html = page.content.decode()
    headings = [text.strip() for text in re.findall(r'class="inline-heading">(.*?)</h2>', html, re.S)]
    assert headings == ["Topics", "Resources", "Projects", "Checkpoints"]
    assert not any(name.endswith("-DELETE") for name in data)
    topics = prefix_of(data, "key", "one").rsplit("-", 1)[0]
    resources = prefix_of(data, "key", "r").rsplit("-", 1)[0]
    assert topics != resources
    assert f"{topics}-0-resource_kind" not in data
    assert f"{resources}-0-resource_kind" in data
    assert "but keeps every learner" in html and "records of it" in html


def test_it_swaps_item_positions_and_numbers_new_items(editor_client):
    roadmap, step, one, two = _step_with_topics()
    data = form_data(editor_client.get(step_url(step)), "step_form")
    data[f"{prefix_of(data, 'key', 'one')}-position"] = "2"
    data[f"{prefix_of(data, 'key', 'two')}-position"] = "1"
    topics = prefix_of(data, "key", "one").rsplit("-", 1)[0]
    data.update({f"{topics}-2-title": "Two", f"{topics}-2-estimated_hours": "3"})

    response = editor_client.post(step_url(step), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.position, two.position) == (2, 1)
    new = Item.objects.get(roadmap=roadmap, title="Two", pk__gt=two.pk)
    # Kind set by the inline; key made unique in the roadmap; next free position.
    assert (new.kind, new.key, new.position, new.step) == (ItemKind.TOPIC, "two-2", 3, step)


def test_it_retires_an_item_which_leaves_the_public_page_but_keeps_the_row(editor_client):
    client = Client()
    roadmap, step, one, _ = _step_with_topics()
    shown = f'id="item-{one.pk}"'
    assert shown in client.get(roadmap.get_absolute_url()).content.decode()
    data = form_data(editor_client.get(step_url(step)), "step_form")
    data[f"{prefix_of(data, 'key', 'one')}-retired"] = "on"

    assert editor_client.post(step_url(step), data).status_code == 302

    one.refresh_from_db()
    assert one.retired_at is not None
    assert shown not in client.get(roadmap.get_absolute_url()).content.decode()

    # Unticking brings it back.
    data = form_data(editor_client.get(step_url(step)), "step_form")
    assert data[f"{prefix_of(data, 'key', 'one')}-retired"] == "on"
    del data[f"{prefix_of(data, 'key', 'one')}-retired"]
    assert editor_client.post(step_url(step), data).status_code == 302
    one.refresh_from_db()
    assert one.retired_at is None


def test_it_lets_a_new_item_take_a_retired_items_position(editor_client):
    roadmap, step, one, _ = _step_with_topics()
    Item.objects.filter(pk=one.pk).update(retired_at=timezone.now())
    data = form_data(editor_client.get(step_url(step)), "step_form")
    topics = prefix_of(data, "key", "one").rsplit("-", 1)[0]
    data.update({f"{topics}-2-title": "Replacement", f"{topics}-2-position": "1"})

    assert editor_client.post(step_url(step), data).status_code == 302
    assert Item.objects.get(title="Replacement").position == 1


def test_it_bumps_the_roadmaps_updated_at_when_a_step_is_saved(editor_client):
    roadmap, step, _, _ = _step_with_topics()
    age(roadmap)
    before = roadmap.updated_at
    data = form_data(editor_client.get(step_url(step)), "step_form")
    data["motto"] = "Slow is smooth"

    assert editor_client.post(step_url(step), data).status_code == 302

    roadmap.refresh_from_db()
    step.refresh_from_db()
    assert step.motto == "Slow is smooth"
    assert roadmap.updated_at > before


def test_it_refuses_a_step_position_held_by_another_step(editor_client, roadmap):
    first, second = roadmap.steps.order_by("position")
    data = form_data(editor_client.get(step_url(second)), "step_form")
    data["position"] = str(first.position)

    response = editor_client.post(step_url(second), data)

    assert response.status_code == 200
    assert "To swap them, edit both on the roadmap page." in response.content.decode()


def test_it_adds_a_step_from_the_step_page_with_derived_key_and_position(editor_client, roadmap):
    data = form_data(editor_client.get(f"/admin/roadmaps/step/add/?roadmap={roadmap.pk}"), "step_form")
    data.update({"title": "Step 0", "key": "", "position": ""})

    assert editor_client.post("/admin/roadmaps/step/add/", data).status_code == 302

    step = roadmap.steps.exclude(key__in=["step-0", "step-1"]).get()
    assert (step.key, step.position) == ("step-0-2", 2)


# --- Changelist ---------------------------------------------------------------------


def _changelist_queries(editor_client, django_assert_num_queries, expected: int) -> str:
    with django_assert_num_queries(expected):
        response = editor_client.get(CHANGELIST)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_it_lists_roadmaps_in_a_fixed_number_of_queries(editor_client, django_assert_num_queries, count):
    for _ in range(count):
        make_roadmap(steps=2, items_per_step=3, tags=["Python"])
    editor_client.get(CHANGELIST)  # warm the session and content-type caches
    html = _changelist_queries(editor_client, django_assert_num_queries, 9)  # 9th: the languages filter
    assert f"{count} roadmaps" in html


def test_it_lists_steps_items_and_hours(editor_client):
    make_roadmap(title="Counted", steps=3, items_per_step=4)
    html = editor_client.get(CHANGELIST).content.decode()
    assert '<td class="field-step_count">3</td>' in html
    assert '<td class="field-item_count">12</td>' in html
    assert '<td class="field-total_hours">24</td>' in html


def test_it_searches_and_filters_roadmaps(editor_client):
    make_roadmap(title="Kubernetes in practice", tags=["Docker"], status=Status.DRAFT)
    make_roadmap(title="Data with SQL", tags=["SQL"])
    assert "1 roadmap" in editor_client.get(CHANGELIST + "?q=docker").content.decode()
    html = editor_client.get(CHANGELIST + "?status__exact=draft").content.decode()
    assert "Kubernetes in practice" in html and "Data with SQL" not in html


# --- Actions ------------------------------------------------------------------------


def _act(editor_client, action: str, *roadmaps: Roadmap):
    return editor_client.post(
        CHANGELIST, {"action": action, "_selected_action": [str(r.pk) for r in roadmaps]}, follow=False
    )


def test_it_publishes_and_unpublishes_from_the_list(editor_client):
    draft = make_roadmap(status=Status.DRAFT, title="Alpha")
    response = _act(editor_client, "publish", draft)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED and draft.published_at is not None
    messages = [str(m) for m in editor_client.get(CHANGELIST).context["messages"]]
    assert messages == ["Published 1 roadmap: “Alpha”."]

    _act(editor_client, "unpublish", draft)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_it_duplicates_from_the_list(editor_client, editor, roadmap):
    original_items = set(Item.objects.filter(roadmap=roadmap).values_list("pk", "key"))
    response = _act(editor_client, "duplicate", roadmap)
    assert response.status_code == 302
    copy = Roadmap.objects.get(slug=f"{roadmap.slug}-copy")
    assert copy.status == Status.DRAFT and copy.created_by == editor
    copied = set(Item.objects.filter(roadmap=copy).values_list("pk", "key"))
    assert {key for _, key in copied} == {key for _, key in original_items}
    assert not {pk for pk, _ in copied} & {pk for pk, _ in original_items}
    assert set(Item.objects.filter(roadmap=roadmap).values_list("pk", "key")) == original_items
    message = str(list(editor_client.get(CHANGELIST).context["messages"])[0])
    assert f"as the draft <a href=\"{change_url(copy)}\">{copy.slug}</a>" in message


def test_it_exports_one_roadmap_as_a_yaml_file(editor_client, roadmap):
    response = _act(editor_client, "export_yaml", roadmap)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{roadmap.slug}.yaml"'
    assert response.content.decode() == export_roadmap(Roadmap.objects.get(pk=roadmap.pk))


def test_it_exports_several_roadmaps_as_a_zip(editor_client, roadmap):
    other = make_roadmap(slug="another")
    response = _act(editor_client, "export_yaml", roadmap, other)
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == sorted([f"{roadmap.slug}.yaml", "another.yaml"])
    assert archive.read("another.yaml").decode() == export_roadmap(Roadmap.objects.get(pk=other.pk))


# --- Import -------------------------------------------------------------------------

GOOD_YAML = """\
slug: imported-roadmap
title: Imported roadmap
summary: Came in through the admin.
steps:
  - title: First things
    topics:
      - {title: Setting up, hours: 2}
"""


def _upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="application/yaml")


def test_it_shows_the_import_form_and_the_button_to_editors(editor_client):
    assert IMPORT_URL in editor_client.get(CHANGELIST).content.decode()
    response = editor_client.get(IMPORT_URL)
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()
    assert "csrfmiddlewaretoken" in response.content.decode()


def test_it_imports_a_good_file_and_opens_the_roadmap(editor_client, editor):
    response = editor_client.post(IMPORT_URL, {"file": _upload("good.yaml", GOOD_YAML)})
    roadmap = Roadmap.objects.get(slug="imported-roadmap")
    assert response.status_code == 302
    assert response["Location"] == change_url(roadmap)
    assert roadmap.items.get().title == "Setting up"
    messages = [str(m) for m in editor_client.get(response["Location"]).context["messages"]]
    assert messages == ["Imported “Imported roadmap” from good.yaml."]


def test_it_shows_an_import_error_and_imports_nothing(editor_client):
    bad = GOOD_YAML.replace("hours: 2", "hours: -2")
    response = editor_client.post(IMPORT_URL, {"file": _upload("bad.yaml", bad)})
    assert response.status_code == 200
    assert "bad.yaml: steps[0].topics[0].hours" in response.content.decode()
    assert "Nothing was imported" in response.content.decode()
    assert not Roadmap.objects.filter(slug="imported-roadmap").exists()
    assert not Step.objects.exists()


def test_it_refuses_a_file_that_is_not_utf8(editor_client):
    upload = SimpleUploadedFile("latin.yaml", "title: Caf\xe9".encode("latin-1"))
    response = editor_client.post(IMPORT_URL, {"file": upload})
    assert response.status_code == 200
    assert "latin.yaml: the file is not UTF-8 text." in response.content.decode()


def test_it_keeps_learners_and_plain_staff_out_of_the_import(learner_client):
    response = learner_client.get(IMPORT_URL)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    client = Client()
    client.force_login(make_user("staff@example.com", is_staff=True))
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"file": _upload("good.yaml", GOOD_YAML)}).status_code == 403
    assert not Roadmap.objects.filter(slug="imported-roadmap").exists()


def test_it_refuses_other_methods_on_the_import(editor_client):
    assert editor_client.put(IMPORT_URL).status_code == 405


def test_it_refuses_the_import_without_csrf(editor):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    response = strict.post(IMPORT_URL, {"file": _upload("good.yaml", GOOD_YAML)})
    assert response.status_code == 403
    assert not Roadmap.objects.filter(slug="imported-roadmap").exists()


def test_editors_group_still_exists():
    assert Group.objects.filter(name="Editors").exists()


@pytest.mark.parametrize("steps", [2, 12])
def test_it_opens_a_roadmap_page_in_a_fixed_number_of_queries(editor_client, django_assert_max_num_queries, steps):
    roadmap = make_roadmap(steps=steps, items_per_step=8)
    editor_client.get(change_url(roadmap))  # warm the session and content-type caches
    # A bound, the same for 2 and 12 steps (issue 15): the topics inline reads its rows and its step
    # choices once, the technologies box its choices once, the "under topic" boxes their topics once.
    with django_assert_max_num_queries(20):
        assert editor_client.get(change_url(roadmap)).status_code == 200


@pytest.mark.parametrize("items", [4, 40])
def test_it_opens_a_step_page_in_a_fixed_number_of_queries(editor_client, django_assert_num_queries, items):
    step = make_roadmap(steps=1, items_per_step=items).steps.get()
    editor_client.get(step_url(step))
    with django_assert_num_queries(12):  # 11, and the step's topics for its "under topic" boxes once
        assert editor_client.get(step_url(step)).status_code == 200
