"""The roadmap page's body, put in place as bytes.

A big roadmap's page is megabytes of HTML, nearly all of it the cached
sections. Passed through the template as one string, it was copied at every
level of the template that holds it and encoded to UTF-8 again on every
request: most of a visitor's request. So the template prints a mark where
the body goes (`body_mark`, from the tag that builds the body) and the view
puts the body's pieces there, already encoded as the cache keeps them, in
one join of bytes (`with_body`).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.utils.safestring import SafeString, mark_safe

# A comment no content can produce: titles are escaped, Markdown is
# sanitised without comments (the same guarantee as the sections' slots).
BODY_MARK = "<!--roadmap-body-->"
_BODY_MARK_BYTES = BODY_MARK.encode()


def body_mark(request: HttpRequest, pieces: Sequence[bytes]) -> SafeString:
    """Where the body goes: `pieces` (UTF-8) are kept on the request."""
    request.roadmap_body = pieces
    return mark_safe(BODY_MARK)


def with_body(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    pieces = getattr(request, "roadmap_body", None)
    if pieces is None:
        return response
    head, tail = response.content.split(_BODY_MARK_BYTES, 1)
    response.content = b"".join([head, *pieces, tail])
    return response
