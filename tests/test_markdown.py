"""Markdown from editors renders to sanitised HTML."""

import re

from roadmaps.markdown import render_markdown
from roadmaps.templatetags.waymark import hours, markdown


def test_it_renders_basic_markdown():
    html = render_markdown("Some **bold** and a [link](https://example.org).")
    assert "<strong>bold</strong>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">link</a>' in html


def test_it_escapes_raw_html_so_scripts_are_inert():
    html = render_markdown("<script>alert('x')</script>\n\n<b onclick=\"x()\">hi</b>")
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b onclick" in html  # shown as text, not a tag
    assert re.search(r"<[a-z]+[^>]*\bon[a-z]+=", html) is None


def test_it_drops_javascript_and_data_links():
    for url in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html;base64,PHNjcmlwdD4="):
        html = render_markdown(f"[click]({url}) and <{url}>")
        assert "href=" not in html, html


def test_it_removes_images_and_unknown_tags():
    html = render_markdown("![pic](https://example.org/x.png)\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<img" not in html
    assert "<table>" in html and "<td>1</td>" in html


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
