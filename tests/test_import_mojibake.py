"""Roadmap files whose UTF-8 text was once read in a legacy code page and
saved again: the importer reads it as UTF-8 again and says so
(roadmaps.yaml_io.mojibake)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from roadmaps.models import Roadmap
from roadmaps.yaml_io.exporter import export_roadmap
from roadmaps.yaml_io.importer import import_parsed, parse_file
from roadmaps.yaml_io.mojibake import repair_mojibake

SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"


def misread(text: str, code_page: str) -> str:
    return text.encode("utf-8").decode(code_page)


OUTLINE = """# Rutas del servidor 🚀
## Paso 1: Peticiones → respuestas
- Qué lleva una petición (2h)
- Códigos de estado ✅
"""


@pytest.mark.parametrize(("code_page", "name"), [("mac_roman", "Mac OS Roman"), ("cp1252", "Windows-1252")])
def test_it_reads_text_misread_in_a_code_page_as_utf8_again(code_page, name):
    broken = misread(OUTLINE, code_page)
    assert broken != OUTLINE
    assert repair_mojibake(broken)[:2] == (OUTLINE, name)


def test_it_leaves_real_accents_and_intact_emoji_alone():
    for text in ["Señor, café y canción — «bien»", "Ставка 🚀 ✅ 🎯", "plain ASCII", "—Él dijo: ñ"]:
        assert repair_mojibake(text) == (text, "", [])


def test_it_repairs_misread_runs_beside_emoji_that_came_through_intact():
    text = "🎯 Goals\n" + misread("📚 Books\n", "mac_roman")
    repaired, name, changed = repair_mojibake(text)
    assert (repaired, name) == ("🎯 Goals\n📚 Books\n", "Mac OS Roman")
    assert changed == [(misread("📚", "mac_roman"), "📚")]


def test_it_trusts_no_code_page_when_real_accents_sit_beside_misread_runs():
    # "ñ" does not read back as UTF-8 from Windows-1252 or Mac OS Roman: the
    # file holds real text in that range, so nothing is changed.
    text = "Año 1\n" + misread("🚀 Lanzar\n", "mac_roman")
    assert repair_mojibake(text) == (text, "", [])


@pytest.mark.django_db
def test_the_importer_repairs_the_text_and_warns_with_an_example():
    parsed = parse_file(misread(OUTLINE, "mac_roman"), source="rutas.md")
    assert parsed.data.title == "Rutas del servidor 🚀"
    assert [item.title for item in parsed.data.steps[0].topics] == ["Qué lleva una petición", "Códigos de estado ✅"]
    [warning] = [w for w in parsed.warnings if "Mac OS Roman" in w]
    assert f"“{misread('🚀', 'mac_roman')}” for “🚀”" in warning and "in 5 places" in warning


@pytest.mark.django_db
def test_an_exported_roadmap_reimports_without_a_repair():
    roadmap = import_parsed(parse_file(OUTLINE, source="rutas.md")).roadmap
    again = parse_file(export_roadmap(Roadmap.objects.get(pk=roadmap.pk)), source="rutas.yaml")
    assert again.warnings == [] and again.data.title == "Rutas del servidor 🚀"


@pytest.mark.django_db
def test_the_seed_saved_through_mac_os_roman_gets_its_emoji_back():
    text = (SEEDS / "001_111fbffc308868c7.txt").read_text(encoding="utf-8")
    parsed = parse_file(text, source="001.md")
    titles = [step.title for step in parsed.data.steps]
    assert "🤝 Accountability & Support" in titles and not any("ü§" in title for title in titles)
    assert "## 🚦 Snapshot" in parsed.data.description  # an introduction, not a step
    assert any("Mac OS Roman" in warning for warning in parsed.warnings)
