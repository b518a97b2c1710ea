"""Markdown to safe HTML: markdown-it-py renders, nh3 sanitises.

Raw HTML in the Markdown (common in text converted from other sites) goes
through the sanitiser like everything else: the allowed tags render, the
rest are dropped with their attributes (script and style with their
content), never shown as literal `<div class=…>` text. `sanitiser_losses`
says what that drops, for the importer's warnings.

Images: the Content-Security-Policy allows images from this site and data:
URLs only (img-src 'self' data:), so an image from elsewhere would be a
broken box. Those become a link to the image, labelled with its alt text.

Rendering is cached by text because the same long texts are rendered on every
view of a roadmap page.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from html import escape, unescape
from html.parser import HTMLParser

import nh3
from django.utils.translation import get_language, gettext, gettext_lazy, ngettext
from markdown_it import MarkdownIt

# The help text of every box that takes Markdown. The admin marks those
# boxes for the preview button by this very object (`is`), not by its words,
# which are translated.
MARKDOWN_HELP = gettext_lazy("Markdown.")


def mark_markdown_box(db_field, field):
    """Flag a Markdown box's widget (`data-markdown`) for the admin's preview script."""
    if field is not None and getattr(db_field, "help_text", None) is MARKDOWN_HELP:
        field.widget.attrs["data-markdown"] = ""
    return field


_renderer = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False}).enable("table")

_ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote", "kbd", "sub", "sup", "del", "s",
    "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6", "img", "details", "summary", "dl", "dt", "dd",
    "table", "thead", "tbody", "tr", "th", "td",
}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"},
}
# Dropped with everything inside them, not just the tags (nh3's defaults).
_CONTENT_DROPPED = {"script", "style"}
_LINK_REL = "noopener noreferrer nofollow"
_IMG = re.compile(r"<img\b([^>]*)>")
_ATTR = re.compile(r'([a-z-]+)="([^"]*)"')


def page_relative(address: str) -> bool:
    """"images/logo.png", "./lesson/README.md": relative to the page the text
    was written for (a README beside its files), so broken on any page here.
    "/static/…" (this site's own) and "#part" are not."""
    address = address.strip()
    return bool(address) and not address.startswith(("/", "#")) and ":" not in address.split("/", 1)[0]


def _shown_inline(src: str) -> bool:
    """Images the CSP lets a browser show: data:image/… and this site's own
    (root-relative) addresses."""
    lowered = src.strip().lower()
    if lowered.startswith("data:"):
        return lowered.startswith("data:image/")
    return src.strip().startswith("/") and not src.strip().startswith("//")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    # data: is allowed as a URL scheme for images only.
    if attribute in {"href", "src"} and value.strip().lower().startswith("data:"):
        return value if tag == "img" and value.strip().lower().startswith("data:image/") else None
    if tag == "a" and attribute == "href" and page_relative(value):
        return None  # a raw <a>'s words stay, as text: the file it pointed to is not here
    return value


def _image(match: re.Match) -> str:
    attributes = {name: value for name, value in _ATTR.findall(match.group(1))}
    src, alt = unescape(attributes.get("src", "")), unescape(attributes.get("alt", "")).strip()
    if src and _shown_inline(src):
        return match.group(0)
    label = gettext("Image: %(alt)s") % {"alt": alt} if alt else gettext("Image")
    if not src or page_relative(src):
        return escape(f"[{label}]")
    return f'<a href="{escape(src)}" rel="{_LINK_REL}" class="image-link">{escape(label)}</a>'


def render_markdown(text: str) -> str:
    """Render Markdown to sanitised HTML; headings are shifted down to h3+
    so that authored text never competes with the page's own headings."""
    # Keyed on the interface language too: a linked image's label is in it.
    return _render_markdown(text, get_language())


@lru_cache(maxsize=4096)
def _render_markdown(text: str, language: str | None) -> str:
    if not text:
        return ""
    html = nh3.clean(
        _renderer.renderer.render(_without_local_links(_renderer.parse(text)), _renderer.options, {}),
        tags=_ALLOWED_TAGS,
        clean_content_tags=_CONTENT_DROPPED,
        attributes=_ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "mailto", "data"},
        link_rel=_LINK_REL,
    )
    # After cleaning, tags have no attributes left but the allowed ones, so
    # these plain replacements see every heading.
    for level in (2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 2}>").replace(f"</h{level}>", f"</h{level + 2}>")
    return _IMG.sub(_image, html)


def _without_local_links(tokens: list) -> list:
    """A Markdown link to a file beside the original page ("./lesson/README.md")
    keeps its words and loses its tag. (A raw <a> to one loses its href in
    _attribute_filter: the stylesheet shows an <a> without one as text.)"""
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        kept, open_links = [], []  # each open link: whether its tags are dropped
        for child in token.children:
            if child.type == "link_open":
                open_links.append(page_relative(str(child.attrs.get("href", ""))))
                if open_links[-1]:
                    continue
            elif child.type == "link_close" and open_links and open_links.pop():
                continue
            kept.append(child)
        token.children = kept
    return tokens


class _Census(HTMLParser):
    """Counts the tags and attributes of rendered HTML that the sanitiser drops."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.emptied: Counter[str] = Counter()
        self.attributes: Counter[str] = Counter()
        self.linked_images = 0
        self.unlinked = 0  # links and images relative to the page the text came from

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _CONTENT_DROPPED:
            self.emptied[tag] += 1
            return
        if tag not in _ALLOWED_TAGS:
            self.tags[tag] += 1
            return
        allowed = _ALLOWED_ATTRIBUTES.get(tag, set())
        for name, _ in attrs:
            if name not in allowed:
                self.attributes[f"{tag} {name}"] += 1
        address = dict(attrs).get("href" if tag == "a" else "src") or ""
        if tag in ("a", "img") and page_relative(address):
            self.unlinked += 1
        elif tag == "img" and not _shown_inline(address):
            self.linked_images += 1

    handle_startendtag = handle_starttag


def _times(count: int) -> str:
    return f" ×{count}" if count > 1 else ""


def sanitiser_losses(text: str) -> list[str]:
    """What rendering `text` drops or changes, in words ("<div> ×3 (its text kept)")."""
    if not text or "<" not in text and "](" not in text:
        return []
    census = _Census()
    census.feed(_renderer.render(text))
    census.close()
    losses = []
    if census.tags:
        names = ", ".join(f"<{tag}>{_times(n)}" for tag, n in sorted(census.tags.items()))
        losses.append(gettext("tags dropped (their text kept): %(names)s") % {"names": names})
    if census.emptied:
        names = ", ".join(f"<{tag}>{_times(n)}" for tag, n in sorted(census.emptied.items()))
        losses.append(gettext("dropped with their content: %(names)s") % {"names": names})
    if census.attributes:
        names = ", ".join(f"{name}{_times(n)}" for name, n in sorted(census.attributes.items()))
        losses.append(gettext("attributes dropped: %(names)s") % {"names": names})
    if census.linked_images:
        n = census.linked_images
        losses.append(ngettext(
            "%(count)d image from another site shown as a link (the site shows only its own)",
            "%(count)d images from another site shown as links (the site shows only its own)",
            n,
        ) % {"count": n})
    if census.unlinked:
        n = census.unlinked
        losses.append(ngettext(
            "%(count)d link or image to a file beside the original (“images/…”, “./…”) shown as its words only",
            "%(count)d links or images to files beside the original (“images/…”, “./…”) shown as their words only",
            n,
        ) % {"count": n})
    return losses
