"""Markdown to safe HTML: markdown-it-py renders (raw HTML off), nh3 sanitises.

Rendering is cached by text because the same long texts are rendered on every
view of a roadmap page.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")

_ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}


@lru_cache(maxsize=4096)
def render_markdown(text: str) -> str:
    """Render Markdown to sanitised HTML; headings are shifted down to h3+
    so that authored text never competes with the page's own headings."""
    if not text:
        return ""
    html = _renderer.render(text)
    for level in (2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 2}>").replace(f"</h{level}>", f"</h{level + 2}>")
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
