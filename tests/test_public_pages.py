"""The public site: home, catalogue and roadmap pages, their query bounds,
drafts, safe output (no inline scripts/styles, safe external links) and the
design system's theme tokens."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from roadmaps.content import LONG_STEP_ITEMS
from roadmaps.models import Item, ItemKind, Roadmap, Status, Step
from tests.factories import make_full_roadmap, make_roadmap

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("roadmaps:catalogue")
HOME = reverse("home")

# Pinned query counts for an anonymous visitor (no session, no user lookup).
HOME_QUERIES = 3  # published count, roadmaps with stats, their tags (+1 for the tag list below)
CATALOGUE_QUERIES = 5  # technology choices, languages, count, page of roadmaps, their tags
# roadmap, steps, items, the small tables in one (pace plans, guidance, metrics, prompts, tags)
DETAIL_QUERIES = 4


def _titles_in_order(html: str, titles: list[str]) -> list[str]:
    found = [(html.find(f">{title}</a>"), title) for title in titles]
    return [title for position, title in sorted(found) if position >= 0]


# --- Home -------------------------------------------------------------------


def test_it_pitches_waymark_and_shows_featured_roadmaps_on_home(client):
    make_roadmap(title="Plain one", tags=["Go"])
    make_roadmap(title="Featured one", featured=True, tags=["Go"])
    make_roadmap(title="Draft one", featured=True, status=Status.DRAFT)

    response = client.get(HOME)

    assert response.status_code == 200
    html = response.content.decode()
    assert "A clear path for a long self-study journey." in html
    assert _titles_in_order(html, ["Plain one", "Featured one"]) == ["Featured one", "Plain one"]
    assert "Draft one" not in html
    assert f'href="{CATALOGUE}?tech=go"' in html
    assert "Browse 2 roadmaps" in html


def test_it_shows_a_helpful_home_page_when_there_are_no_roadmaps(client):
    make_roadmap(title="Only a draft", status=Status.DRAFT)

    response = client.get(HOME)

    assert response.status_code == 200
    assert "No roadmaps published yet" in response.content.decode()
    assert "Only a draft" not in response.content.decode()


def test_it_keeps_home_queries_bounded(client, django_assert_num_queries):
    make_roadmap(featured=True, tags=["Python"])
    with django_assert_num_queries(HOME_QUERIES + 1):
        client.get(HOME)
    for n in range(20):
        make_roadmap(featured=n % 2 == 0, tags=["Python", f"Tag{n}"])
    with django_assert_num_queries(HOME_QUERIES + 1):
        client.get(HOME)


def test_it_answers_405_to_a_post_on_public_pages(client, roadmap):
    for url in (HOME, CATALOGUE, roadmap.get_absolute_url()):
        assert client.post(url).status_code == 405


# --- Catalogue --------------------------------------------------------------


def test_it_lists_published_roadmaps_featured_first(client):
    make_roadmap(title="Alpha plain")
    make_roadmap(title="Zulu featured", featured=True)
    make_roadmap(title="Beta draft", status=Status.DRAFT)

    html = client.get(CATALOGUE).content.decode()

    assert _titles_in_order(html, ["Alpha plain", "Zulu featured"]) == ["Zulu featured", "Alpha plain"]
    assert "Beta draft" not in html
    assert "<strong>2</strong> roadmaps" in html


def test_it_searches_titles_summaries_and_technologies(client):
    make_roadmap(title="Databases in depth", summary="Indexes and plans.")
    make_roadmap(title="Frontend", summary="Layouts with CSS grid.")
    make_roadmap(title="Ops", summary="Servers.", tags=["Docker"])

    assert "Databases in depth" in client.get(CATALOGUE, {"q": "databases"}).content.decode()
    by_summary = client.get(CATALOGUE, {"q": "css grid"}).content.decode()
    assert "Frontend" in by_summary and "Databases in depth" not in by_summary
    by_tag = client.get(CATALOGUE, {"q": "docker"}).content.decode()
    assert "Ops" in by_tag and "Frontend" not in by_tag
    assert "1 roadmap matches" in by_tag.replace("<strong>", "").replace("</strong>", "")


def test_it_filters_by_skill_level_and_technology(client):
    make_roadmap(title="Go for beginners", skill_level="beginner", tags=["Go"])
    make_roadmap(title="Advanced Go", skill_level="advanced", tags=["Go"])
    make_roadmap(title="Advanced Rust", skill_level="advanced", tags=["Rust"])

    html = client.get(CATALOGUE, {"level": "advanced", "tech": "go"}).content.decode()

    assert "Advanced Go" in html
    assert "Go for beginners" not in html and "Advanced Rust" not in html
    assert '<option value="go" selected>Go (2)</option>' in html


def test_it_paginates_and_keeps_the_filters_in_page_links(client):
    size = settings.CATALOGUE_PAGE_SIZE
    for n in range(size + 3):
        make_roadmap(title=f"Go roadmap {n:02d}", tags=["Go"])
    make_roadmap(title="Not go", tags=["Rust"])

    first = client.get(CATALOGUE, {"tech": "go"}).content.decode()
    second = client.get(CATALOGUE, {"tech": "go", "page": 2}).content.decode()

    assert first.count('<article class="card') == size
    assert 'href="?tech=go&amp;page=2"' in first
    assert "showing 1–12" in first
    assert second.count('<article class="card') == 3
    assert 'href="?tech=go&amp;page=1"' in second
    assert "Not go" not in first + second


def test_it_shows_an_empty_state_when_nothing_matches(client):
    make_roadmap(title="Something")

    response = client.get(CATALOGUE, {"q": "quantum basket weaving"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "No roadmap matches" in html
    assert "Something" not in html


def test_it_explains_invalid_filters_and_ignores_them(client):
    make_roadmap(title="Still listed", skill_level="beginner", tags=["Go"])

    response = client.get(CATALOGUE, {"level": "wizard", "tech": "cobol", "q": "x" * 101, "page": "many"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Some filters were not applied." in html
    assert "“wizard” is not a skill level" in html
    assert "No published roadmap covers “cobol”" in html
    assert "Keep the search under 100 characters" in html
    assert "Still listed" in html


def test_it_does_not_show_unpublished_technologies_as_filters(client):
    make_roadmap(tags=["Go"])
    make_roadmap(tags=["Secret"], status=Status.DRAFT)

    html = client.get(CATALOGUE).content.decode()

    assert 'value="go"' in html
    assert 'value="secret"' not in html


def test_it_issues_the_same_queries_for_3_and_300_roadmaps(client, django_assert_num_queries):
    for _ in range(3):
        make_roadmap(steps=1, items_per_step=1, tags=["Python", "SQL"])
    with django_assert_num_queries(CATALOGUE_QUERIES):
        client.get(CATALOGUE)
    _bulk_roadmaps(297)
    with django_assert_num_queries(CATALOGUE_QUERIES):
        response = client.get(CATALOGUE)
    assert "<strong>300</strong> roadmaps" in response.content.decode()
    with django_assert_num_queries(CATALOGUE_QUERIES):
        client.get(CATALOGUE, {"q": "bulk", "level": "beginner", "tech": "python", "page": 3})


def _bulk_roadmaps(count: int) -> None:
    from roadmaps.models import Tag

    roadmaps = Roadmap.objects.bulk_create(
        Roadmap(slug=f"bulk-{n}", title=f"Bulk {n}", summary="Bulk roadmap", status=Status.PUBLISHED)
        for n in range(count)
    )
    tag = Tag.objects.get(slug="python")
    Roadmap.tags.through.objects.bulk_create(
        Roadmap.tags.through(roadmap_id=roadmap.pk, tag_id=tag.pk) for roadmap in roadmaps
    )
    Step.objects.bulk_create(Step(roadmap=roadmap, key="s", title="S", position=0) for roadmap in roadmaps)


# --- Roadmap page -----------------------------------------------------------


def test_it_shows_every_content_shape_on_the_roadmap_page(client):
    roadmap = make_full_roadmap()

    response = client.get(roadmap.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    expected = [
        # metadata, overview, audience, prerequisites, outcomes
        "Full roadmap", "Every shape of content, for tests.", "<strong>long description</strong>",
        "<em>like tests</em>", "Comfort with a terminal", "Read a query plan", "About two months of evenings",
        "By Test Editors", "Intermediate roadmap", ">Python</a>", "8 weeks", "≈ 10 h a week",
        # table of contents and timeline
        'href="#overview"', 'href="#step-foundations"', 'id="timeline"', "Weeks 1–3", "Weeks 4–8",
        '<rect class="timeline-bar__span" x="3" y="0" width="5" height="1"/>',
        # a step: goal, motto, weeks, hours, weekly goals, success metric
        "<em>goal text</em>", "“Slow is smooth”", "30 h", "<strong>Week 2:</strong> Write a first script",
        "You can explain the request cycle.",
        # items of each kind with their details
        "HTTP topic", "4.5 h", "Topic <em>body</em> text.", "Resource book", ">Book</span>",
        "Explains the why-it-matters note.", "CLI project", "<li>Argparse</li>", "Ran a script checkpoint",
        # checkpoints by week, roadmap-wide items, capstone
        'id="by-week"', "Week 2</h3>", "Week 4</h3>", "Week 7</h3>", "Across the roadmap", "Community forum",
        ">Community</span>", "Capstone project", ">Capstone</span>",
        # pace plans, weekly schedule, sample flow
        "Intensive pace", "Balanced pace", ">Recommended</span>", "Weekends light", "Concepts block", "Monday",
        "Sample flow: week 1", "Sample tuesday", "· 8 h</span>",
        # guidance lists, metrics, retrospective
        "Tips", "Tip entry", "Common mistakes", "Mistake entry", "Quick wins", "Quick win entry",
        "Leverage moves", "Leverage entry", "Next steps", "Next step entry", "Katas solved", "40",
        "Any small exercise counts.", "Every 3 weeks", "Which prompt of this roadmap?",
    ]
    missing = [text for text in expected if text not in html]
    assert not missing, missing
    assert "Retired topic" not in html


def test_it_uses_the_global_prompts_when_a_roadmap_has_none(client, roadmap):
    from roadmaps.models import RetrospectivePrompt

    RetrospectivePrompt.objects.filter(roadmap__isnull=True).delete()
    RetrospectivePrompt.objects.create(position=0, text="A global prompt?")

    html = client.get(roadmap.get_absolute_url()).content.decode()

    assert "A global prompt?" in html
    assert "Every 2 weeks" in html


def test_it_folds_long_item_lists_and_keeps_short_ones_open(client):
    roadmap = make_roadmap(steps=2, items_per_step=3)
    Step.objects.filter(roadmap=roadmap, position=1).update(title="Long step")
    step = Step.objects.get(roadmap=roadmap, position=1)
    Item.objects.bulk_create(
        Item(roadmap=roadmap, step=step, kind=ItemKind.TOPIC, key=f"extra-{n}", position=10 + n, title=f"Extra {n}")
        for n in range(LONG_STEP_ITEMS)
    )

    html = client.get(roadmap.get_absolute_url()).content.decode()

    assert html.count('<details class="step__items" open>') == 1
    assert html.count('<details class="step__items">') == 1
    assert f"Extra {LONG_STEP_ITEMS - 1}" in html


def test_it_opens_external_links_safely(client):
    roadmap = make_full_roadmap()

    html = client.get(roadmap.get_absolute_url()).content.decode()

    external = re.findall(r"<a [^>]*href=\"https?://[^>]*>", html)
    assert len(external) >= 4
    for tag in external:
        assert 'rel="noopener noreferrer' in tag, tag


def test_it_renders_markdown_inert_on_the_roadmap_page(client):
    roadmap = make_full_roadmap(
        description="<script>alert('x')</script> and [a link](javascript:alert(1)) and <img src=x onerror=alert(1)>",
        audience="[fine](https://example.org/ok)",
    )

    html = client.get(roadmap.get_absolute_url()).content.decode()

    assert "<script>alert" not in html
    assert "javascript:" not in html.split("</header>", 1)[1].replace("[a link](javascript", "")
    assert 'href="javascript:' not in html
    assert "onerror" not in html  # raw HTML is sanitised (issue 15): the tag may stay, the handler goes
    assert "alert('x')" not in html and "&lt;script&gt;" not in html  # the script goes with its content
    assert 'href="https://example.org/ok" rel="noopener noreferrer nofollow"' in html


def test_it_issues_the_same_queries_for_a_small_and_a_huge_roadmap(client, django_assert_num_queries):
    small = make_roadmap(steps=1, items_per_step=5, tags=["Python"])
    huge = make_roadmap(steps=50, items_per_step=40, tags=["Python", "SQL"])
    assert Item.objects.filter(roadmap=huge).count() == 2000

    with django_assert_num_queries(DETAIL_QUERIES):
        client.get(small.get_absolute_url())
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(huge.get_absolute_url())
    assert response.status_code == 200
    assert "Item 49.39" in response.content.decode()


def test_it_returns_404_for_an_unknown_roadmap(client):
    assert client.get(reverse("roadmaps:detail", args=["no-such-roadmap"])).status_code == 404


# --- Drafts -----------------------------------------------------------------


def test_it_hides_drafts_from_visitors(client):
    draft = make_roadmap(status=Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_it_hides_drafts_from_learners(learner_client):
    draft = make_roadmap(status=Status.DRAFT)
    assert learner_client.get(draft.get_absolute_url()).status_code == 404


def test_it_shows_drafts_to_editors_with_a_preview_banner(editor_client):
    draft = make_roadmap(status=Status.DRAFT, title="Work in progress")

    response = editor_client.get(draft.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Draft preview." in html
    assert "Work in progress" in html
    assert reverse("admin:roadmaps_roadmap_change", args=[draft.pk]) in html


def test_it_shows_no_draft_banner_on_published_roadmaps(editor_client, roadmap):
    assert "Draft preview." not in editor_client.get(roadmap.get_absolute_url()).content.decode()


# --- Content-Security-Policy readiness -------------------------------------


@pytest.mark.parametrize("page", ["home", "catalogue", "detail", "draft", "empty-catalogue"])
def test_it_renders_no_inline_script_style_or_handlers(client, editor_client, page):
    roadmap = make_full_roadmap(description="Some *text*.")
    if page == "home":
        response = client.get(HOME)
    elif page == "catalogue":
        response = client.get(CATALOGUE, {"level": "wizard"})
    elif page == "empty-catalogue":
        response = client.get(CATALOGUE, {"q": "nothing at all"})
    elif page == "detail":
        response = client.get(roadmap.get_absolute_url())
    else:
        draft = make_full_roadmap(status=Status.DRAFT)
        response = editor_client.get(draft.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None
    assert ' style="' not in html and "<style" not in html
    assert re.search(r"\son[a-z]+=", html) is None
    assert "//cdn" not in html and "fonts.googleapis" not in html


# --- Design tokens ----------------------------------------------------------

CSS = (Path(settings.BASE_DIR) / "static" / "css" / "waymark.css").read_text()


def _tokens(selector_pattern: str) -> dict[str, str]:
    block = re.search(selector_pattern + r"\s*\{(.*?)\n\s*\}", CSS, re.S)
    assert block, selector_pattern
    return dict(re.findall(r"--(color-[\w-]+):\s*(#[0-9a-f]{6})", block.group(1)))


LIGHT = _tokens(r"(?m)^:root")
DARK_MEDIA = _tokens(r':root:not\(\[data-theme="light"\]\)')
DARK_ATTRIBUTE = _tokens(r':root\[data-theme="dark"\]')


def test_it_keeps_the_two_dark_theme_blocks_identical():
    assert DARK_MEDIA == DARK_ATTRIBUTE
    assert set(DARK_MEDIA) == set(LIGHT)


def _contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    low, high = sorted([luminance(a), luminance(b)])
    return (high + 0.05) / (low + 0.05)


TEXT_PAIRS = [
    ("text", "bg"), ("text", "surface"), ("text", "surface-2"), ("text-muted", "bg"),
    ("text-muted", "surface"), ("text-muted", "surface-2"), ("link", "bg"), ("link", "surface"),
    ("accent-text", "accent"), ("accent-text", "accent-hover"), ("accent-soft-text", "accent-soft"),
    ("success", "success-soft"), ("warning", "warning-soft"), ("danger", "danger-soft"), ("info", "info-soft"),
    ("surface", "danger"), ("text", "warning-soft"), ("text", "danger-soft"), ("text", "success-soft"),
]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_it_meets_aa_contrast_in_both_themes(theme):
    tokens = LIGHT if theme == "light" else DARK_ATTRIBUTE
    failures = [
        (fg, bg, round(_contrast(tokens[f"color-{fg}"], tokens[f"color-{bg}"]), 2))
        for fg, bg in TEXT_PAIRS
        if _contrast(tokens[f"color-{fg}"], tokens[f"color-{bg}"]) < 4.5
    ]
    # Focus rings and input borders are non-text: WCAG asks for 3:1.
    failures += [
        ("focus", bg, round(_contrast(tokens["color-focus"], tokens[f"color-{bg}"]), 2))
        for bg in ("bg", "surface")
        if _contrast(tokens["color-focus"], tokens[f"color-{bg}"]) < 3
    ]
    assert not failures
