"""Markdown from editors renders to sanitised HTML."""

import re

from roadmaps.markdown import render_markdown, sanitiser_losses
from roadmaps.templatetags.waymark import hours, markdown


def test_it_renders_basic_markdown():
    html = render_markdown("Some **bold** and a [link](https://example.org).")
    assert "<strong>bold</strong>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">link</a>' in html


def test_it_sanitises_raw_html_instead_of_showing_it_as_text():
    html = render_markdown(
        "<script>alert('x')</script>\n\n<b onclick=\"x()\">hi</b>\n\n"
        '<div class="lesson-content__panel" data-x="1">\n\nInside **the** panel\n\n</div>\n\n'
        "<details><summary>More</summary>Hidden <kbd>Ctrl</kbd></details>"
    )
    assert "<script" not in html and "alert" not in html  # dropped with its content
    assert "&lt;" not in html  # nothing shown as literal tags
    assert "<b>hi</b>" in html
    assert re.search(r"<[a-z]+[^>]*\bon[a-z]+=", html) is None
    assert "<div" not in html and "lesson-content__panel" not in html and "Inside <strong>the</strong> panel" in html
    assert "<details><summary>More</summary>Hidden <kbd>Ctrl</kbd></details>" in html


def test_it_shifts_raw_html_headings_too():
    html = render_markdown('<h1 class="big">Title</h1>\n\n<h2>Sub</h2>')
    assert "<h3>Title</h3>" in html and "<h4>Sub</h4>" in html


def test_it_drops_javascript_and_data_links():
    for url in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html;base64,PHNjcmlwdD4="):
        html = render_markdown(f"[click]({url}) and <{url}>")
        assert "href=" not in html, html


def test_it_shows_same_origin_and_data_images_and_links_the_others():
    pixel = "data:image/png;base64,iVBORw0KGgo="
    html = render_markdown(
        f"![A local chart](/static/img/chart.png) ![A pixel]({pixel})\n\n"
        "![Diagram of a request](https://example.org/x.png)\n\n"
        '<img src="https://cdn.example.net/y.gif" alt="A raw one" onerror="x()">\n\n'
        "| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert '<img src="/static/img/chart.png" alt="A local chart">' in html
    assert f'<img src="{pixel}" alt="A pixel">' in html
    assert "example.org/x.png\"" in html and "<img src=\"https://example.org" not in html
    assert '<a href="https://example.org/x.png" rel="noopener noreferrer nofollow" class="image-link">' \
           "Image: Diagram of a request</a>" in html
    assert ">Image: A raw one</a>" in html and "onerror" not in html
    assert "<table>" in html and "<td>1</td>" in html


def test_it_refuses_data_urls_other_than_images():
    html = render_markdown('<a href="data:text/html,hi">x</a> <img src="data:text/html,hi" alt="bad">')
    assert "data:text" not in html


def test_it_says_what_the_sanitiser_drops():
    text = ('<div class="panel">\n\nText\n\n</div>\n\n<div>more</div>\n\n<script>x()</script>\n\n'
            '<b onclick="x()">b</b> ![Far](https://example.org/x.png)')
    assert sanitiser_losses(text) == [
        "tags dropped (their text kept): <div> ×2",
        "dropped with their content: <script>",
        "attributes dropped: b onclick",  # a dropped tag takes its attributes with it
        "1 image from another site shown as a link (the site shows only its own)",
    ]
    assert sanitiser_losses("Plain **Markdown** with a [link](https://example.org)") == []


def test_it_shifts_headings_below_the_page_headings():
    html = render_markdown("# Top\n\n## Second\n\n### Third")
    assert "<h3>Top</h3>" in html and "<h4>Second</h4>" in html and "<h3>Third</h3>" in html
    assert "<h1>" not in html and "<h2>" not in html


def test_it_renders_nothing_for_empty_text():
    assert render_markdown("") == ""
    assert markdown(None) == ""


def test_it_formats_hours():
    assert hours(12) == "12 h"
    assert hours("2.50") == "2.5 h"
    assert hours(None) == ""


def test_links_and_images_relative_to_the_original_page_keep_only_their_words():
    # A README's "./lesson/README.md" or "images/logo.png" points at a file
    # beside it, which no page of this site has: a link there would be broken.
    text = (
        "[Intro](./lesson/README.md), [**Deep**](notes/deep.md), [Site](/roadmaps/x/), [Part](#part), "
        "[Web](https://example.org) ![Logo](images/logo.png) ![Chart](/static/img/chart.png)"
    )
    html = render_markdown(text)
    assert html == (
        '<p>Intro, <strong>Deep</strong>, <a href="/roadmaps/x/" rel="noopener noreferrer nofollow">Site</a>, '
        '<a href="#part" rel="noopener noreferrer nofollow">Part</a>, '
        '<a href="https://example.org" rel="noopener noreferrer nofollow">Web</a> [Image: Logo] '
        '<img src="/static/img/chart.png" alt="Chart"></p>\n'
    )
    assert sanitiser_losses(text) == [
        "3 links or images to files beside the original (“images/…”, “./…”) shown as their words only"
    ]
