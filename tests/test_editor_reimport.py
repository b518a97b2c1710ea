"""Re-importing an existing roadmap shows what will change before anything is
written (issue 15, point 6): items added, renamed, moved and retired, steps
added and removed, and the learners each change touches; in the command's
output (`--check` writes nothing) and as a confirm step in the admin."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from progress.models import ItemProgress
from roadmaps.models import Item, Roadmap, Step
from roadmaps.yaml_io.changes import plan_changes
from roadmaps.yaml_io.importer import import_roadmap_text, parse_file
from tests.factories import make_user
from tests.progress_helpers import make_enrolment

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/roadmaps/roadmap/import/"
BEFORE = """\
slug: knots
title: Knots
summary: Tie things.
steps:
  - key: basics
    title: Basics
    topics:
      - {key: reef, title: Reef knot}
      - {key: bowline, title: Bowline}
      - {key: hitch, title: Clove hitch}
  - key: rescue
    title: Rescue
    topics:
      - {key: figure-eight, title: Figure eight}
"""
AFTER = """\
slug: knots
title: Knots
summary: Tie things.
steps:
  - key: basics
    title: Basics
    topics:
      - {key: reef, title: Square knot}
      - {key: sheet-bend, title: Sheet bend}
  - key: sailing
    title: Sailing
    topics:
      - {key: bowline, title: Bowline}
checkpoints:
  - {key: figure-eight, title: Figure eight}
"""


@pytest.fixture
def knots(db):
    roadmap = import_roadmap_text(BEFORE, source="knots.yaml")
    items = {item.key: item for item in roadmap.items.all()}
    for n in range(3):
        enrolment = make_enrolment(make_user(), roadmap)
        for key in ("bowline", "hitch")[: n + 1 if n < 2 else 1]:
            ItemProgress.objects.create(enrolment=enrolment, item=items[key], state="done")
    return roadmap


def changes(plan, group: str) -> list[tuple]:
    return [(c.key, c.title, c.detail, c.learners) for c in getattr(plan, group)]


def test_it_plans_added_renamed_moved_and_retired_items_and_their_learners(knots, django_assert_max_num_queries):
    data = parse_file(AFTER, source="knots.yaml").data
    with django_assert_max_num_queries(3):
        plan = plan_changes(data)
    assert plan.exists
    assert changes(plan, "steps_added") == [("sailing", "Sailing", "", 0)]
    assert changes(plan, "steps_removed") == [("rescue", "Rescue", "", 0)]
    assert changes(plan, "added") == [("sheet-bend", "Sheet bend", "topic in step “Basics”", 0)]
    assert changes(plan, "renamed") == [("reef", "Square knot", "was “Reef knot”", 0)]
    assert changes(plan, "moved") == [
        ("bowline", "Bowline", "topic in step “Basics” → topic in step “Sailing”", 3),
        ("figure-eight", "Figure eight", "topic in step “Rescue” → roadmap-wide checkpoint", 0),
    ]
    assert changes(plan, "retired") == [("hitch", "Clove hitch", "", 1)]


def test_it_plans_nothing_for_the_same_file(knots):
    plan = plan_changes(parse_file(BEFORE, source="knots.yaml").data)
    assert plan.exists and not plan.has_changes
    assert plan.lines() == ["knots: 2 steps, 4 items; no item or step added, renamed, moved or retired"]


def test_it_prints_the_changes_and_writes_nothing_with_check(knots, tmp_path):
    path = tmp_path / "knots.yaml"
    path.write_text(AFTER, encoding="utf-8")
    out = StringIO()
    call_command("import_roadmaps", str(path), "--check", stdout=out)
    text = out.getvalue()
    assert f"{path}: knots: 2 steps, 4 items; changes to the existing roadmap:" in text
    assert "  1 item retired (hidden; learners' records kept):\n    hitch “Clove hitch” [1 learner]" in text
    assert "    bowline “Bowline” — topic in step “Basics” → topic in step “Sailing” [3 learners]" in text
    assert Item.objects.get(key="hitch").retired_at is None
    assert Step.objects.filter(roadmap=knots, key="rescue").exists()


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("knots.yaml", text.encode(), content_type="application/yaml")


def test_it_previews_a_reimport_in_the_admin_and_writes_only_on_confirm(knots, editor_client):
    response = editor_client.post(IMPORT_URL, {"file": _upload(AFTER)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing has been written yet." in page
    assert "1 item retired" in page and "Clove hitch" in page
    assert "topic in step “Basics” → topic in step “Sailing”" in page
    assert Item.objects.get(key="hitch").retired_at is None  # not yet
    assert Item.objects.get(key="reef").title == "Reef knot"

    confirm = response.context["confirm"]
    response = editor_client.post(IMPORT_URL, {"confirm": "1", "text": confirm["text"].value(),
                                               "source": confirm["source"].value()})
    assert response.status_code == 302
    assert Item.objects.get(key="hitch").retired_at is not None
    assert Item.objects.get(key="reef").title == "Square knot"
    assert Item.objects.get(key="bowline").step.key == "sailing"


def test_it_imports_a_new_roadmap_at_once_and_shows_its_warnings(editor_client):
    text = BEFORE.replace("slug: knots", "slug: ropes").replace("summary: Tie things.",
                                                                 "summary: Tie.\ndescription: '<span>x</span>'")
    response = editor_client.post(IMPORT_URL, {"file": _upload(text)}, follow=True)
    assert Roadmap.objects.filter(slug="ropes").exists()
    messages = [str(m) for m in response.context["messages"]]
    assert "knots.yaml: description: tags dropped (their text kept): <span>" in messages
    # Shown as written: the stock admin capitalises messages, which made the file "Knots.yaml".
    page = response.content.decode()
    assert "knots.yaml: description: tags dropped" in page and "Knots.yaml" not in page


def test_it_lists_every_problem_in_the_admin_and_links_them_from_the_banner(editor_client):
    bad = BEFORE.replace("{key: reef, title: Reef knot}", "{key: reef, title: Reef knot, hours: -1}").replace(
        "{key: hitch,", "{key: reef,")
    page = editor_client.post(IMPORT_URL, {"file": _upload(bad)}).content.decode()
    assert '<a href="#file-errors">Please correct the problems below</a> (2)' in page
    assert "knots.yaml: steps[0].topics[0].hours: must be a positive number of hours" in page
    assert "knots.yaml: steps[0].topics[2].key: duplicate key &#x27;reef&#x27;, already used by steps[0].topics[0]" \
        in page


def test_it_refuses_a_confirm_with_a_bad_text(knots, editor_client):
    response = editor_client.post(IMPORT_URL, {"confirm": "1", "text": "slug: [", "source": "x.yaml"})
    assert response.status_code == 302 and response["Location"] == IMPORT_URL
    assert Item.objects.get(key="reef").title == "Reef knot"


def test_it_keeps_plain_staff_out_of_the_confirm(knots, client):
    client.force_login(make_user("staff@example.com", is_staff=True))
    response = client.post(IMPORT_URL, {"confirm": "1", "text": AFTER, "source": "knots.yaml"})
    assert response.status_code == 403
    assert Item.objects.get(key="reef").title == "Reef knot"


def test_the_command_speaks_the_active_language(knots, tmp_path):
    from django.utils import translation

    path = tmp_path / "knots.yaml"
    path.write_text(AFTER, encoding="utf-8")
    out = StringIO()
    with translation.override("es"):
        call_command("import_roadmaps", str(path), "--check", stdout=out)
    text = out.getvalue()
    assert f"{path}: knots: 2 etapas, 4 elementos; cambios en la hoja de ruta que ya existe:" in text
    assert "  1 elemento retirado (oculto; se conserva lo que han registrado los estudiantes):" in text
    assert "    hitch «Clove hitch» [1 estudiante]" in text
    assert text.splitlines()[-1] == "Revisado 1 archivo; no se ha escrito nada."


def test_the_same_file_again_writes_nothing_and_leaves_the_learners_summaries(knots, tmp_path):
    """`make run` imports the demo content on every start: an unchanged file
    must not touch the roadmap (its updated_at keys the cached pages and the
    learners' step summaries, which a content change rebuilds)."""
    from roadmaps.signals import content_changed

    tagged = BEFORE.replace("summary: Tie things.\n", "summary: Tie things.\ntags: [Sailing, Climbing]\n")
    import_roadmap_text(tagged, source="knots.yaml")
    before = Roadmap.objects.get(slug="knots").updated_at
    path = tmp_path / "knots.yaml"
    path.write_text(tagged.replace("[Sailing, Climbing]", "[Climbing, Sailing]"), encoding="utf-8")  # a set
    sent = []

    def receiver(**kwargs):
        sent.append(kwargs["roadmap_id"])

    content_changed.connect(receiver)
    try:
        out = StringIO()
        call_command("import_roadmaps", str(path), stdout=out)
        assert "Unchanged knots: nothing written" in out.getvalue()
        assert Roadmap.objects.get(slug="knots").updated_at == before and sent == []

        path.write_text(tagged.replace("title: Knots", "title: Knots and hitches"), encoding="utf-8")
        out = StringIO()
        call_command("import_roadmaps", str(path), stdout=out)
        assert "Imported knots (2 steps, 4 items)" in out.getvalue()
        assert Roadmap.objects.get(slug="knots").updated_at > before and sent == [knots.pk]
    finally:
        content_changed.disconnect(receiver)


def test_the_admin_says_when_a_file_changes_nothing(knots, editor_client):
    before = Roadmap.objects.get(slug="knots").updated_at
    response = editor_client.post(IMPORT_URL, {"file": _upload(BEFORE)})
    assert response.status_code == 302  # no preview to confirm: there is nothing to change
    page = editor_client.get(response["Location"]).content.decode()
    assert "Nothing changed: knots.yaml holds what “Knots” holds already." in page
    assert Roadmap.objects.get(slug="knots").updated_at == before
