"""URL converters for secret tokens.

A share or calendar token is `secrets.token_urlsafe(32)` (progress/sharing/
services.py): URL-safe base64, 43 characters. Matching that alphabet in the
URL means anything else — a NUL byte above all, which PostgreSQL refuses in
a query and would turn into a 500 — is a 404 before any query is made.
"""

from __future__ import annotations


class TokenConverter:
    # The column holds up to 64 characters (Enrolment.share_token).
    regex = r"[A-Za-z0-9_-]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
