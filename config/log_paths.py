"""Request paths as the logs write them: no tokens, no forged lines.

Some URLs carry a secret in the path itself: a share page or calendar feed
token, allauth's password-reset key (with the account's uidb36) and its email
confirmation key. Anyone who reads a log line with one can use it (a reset
path from the log sets a password). Both request logs — ours
(config.middleware.RequestLogMiddleware) and gunicorn's access log
(config.access_log) — write `loggable_path(...)`: the path with every
secret URL argument replaced by `<token>`, and characters that could end a
line or fake one (%0A decodes to a newline) percent-escaped.

Which URL arguments are secret is said once, in SECRET_KWARGS, by name;
tests/test_ops_log_redaction.py fails for any URL argument named neither
here nor in its list of public ones, so a new token URL cannot slip past.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from django.urls import URLPattern, URLResolver, get_resolver, get_urlconf
from django.urls.resolvers import RegexPattern

SECRET_KWARGS = frozenset({"token", "key", "uidb36"})
MARKER = "<token>"

# Characters that are not plain text in a log line: controls (newline,
# carriage return, escape), format characters (right-to-left override),
# line and paragraph separators, and spaces and quotes, which would blur
# where the path ends in gunicorn's `"GET <path> HTTP/1.1"`.
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Zs"})
_REGEX_SYNTAX = re.compile(r"[\\.^$*+?{}\[\]|()]")


def loggable_path(path_info: str, script_name: str = "") -> str:
    """The request's path, decoded as Django has it (request.path_info and
    request.META["SCRIPT_NAME"]), with secret URL arguments replaced by
    `<token>` and control characters escaped."""
    return escape_for_log(script_name.rstrip("/")) + escape_for_log(redact_path(path_info))


def redact_path(path: str) -> str:
    """`path` (decoded, as Django resolves it) with the secret arguments of
    the URL it resolves to replaced by MARKER. A path that resolves nowhere
    but starts like a token URL (e.g. without its trailing slash, which
    CommonMiddleware redirects) keeps only that start."""
    resolver = get_resolver(get_urlconf())
    prefixes = _secret_prefixes(resolver)
    relative = path[1:] if path.startswith("/") else path
    if not any(relative.startswith(prefix) for prefix in prefixes):
        return path  # no token URL starts like this one: nothing to look for
    try:
        spans = _secret_spans(resolver, path)
    except Exception:
        spans = None
    if spans is None:
        prefix = max((p for p in prefixes if relative.startswith(p) and len(relative) > len(p)), key=len, default=None)
        return path if prefix is None else "/" + prefix + MARKER
    for start, end in sorted(spans, reverse=True):
        path = path[:start] + MARKER + path[end:]
    return path


def escape_for_log(text: str) -> str:
    return "".join(
        "".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))
        if char in '"\\' or unicodedata.category(char) in _ESCAPED_CATEGORIES
        else char
        for char in text
    )


def _secret_spans(resolver: URLResolver, path: str, offset: int = 0) -> list[tuple[int, int]] | None:
    """Where the secret arguments are in `path`, following Django's own
    first-match order through the URLconf; None if nothing matches."""
    if resolver.pattern.match(path) is None:
        return None
    match = resolver.pattern.regex.search(path)
    spans = _spans(match, offset)
    rest, rest_offset = path[match.end() :], offset + match.end()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = _secret_spans(pattern, rest, rest_offset)
            if inner is not None:
                return spans + inner
        elif pattern.pattern.match(rest) is not None:
            return spans + _spans(pattern.pattern.regex.search(rest), rest_offset)
    return None


def _spans(match: re.Match, offset: int) -> list[tuple[int, int]]:
    return [
        (offset + match.start(name), offset + match.end(name))
        for name in SECRET_KWARGS & match.re.groupindex.keys()
        if match.group(name) is not None
    ]


@lru_cache(maxsize=8)
def _secret_prefixes(resolver: URLResolver) -> tuple[str, ...]:
    """The literal start (before the first argument) of every URL with a
    secret argument, e.g. "share/", "accounts/confirm-email/"."""
    return tuple(sorted(set(_walk_prefixes(resolver.url_patterns, ""))))


def _walk_prefixes(patterns, prefix: str):
    for pattern in patterns:
        literal, complete = _literal_start(pattern)
        if isinstance(pattern, URLResolver):
            if complete:
                yield from _walk_prefixes(pattern.url_patterns, prefix + literal)
            elif _has_secret(pattern):
                yield prefix + literal
        elif isinstance(pattern, URLPattern) and SECRET_KWARGS & pattern.pattern.regex.groupindex.keys():
            yield prefix + literal


def _has_secret(resolver: URLResolver) -> bool:
    return any(
        _has_secret(p) if isinstance(p, URLResolver) else bool(SECRET_KWARGS & p.pattern.regex.groupindex.keys())
        for p in resolver.url_patterns
    ) or bool(SECRET_KWARGS & resolver.pattern.regex.groupindex.keys())


def _literal_start(pattern: URLPattern | URLResolver) -> tuple[str, bool]:
    """The text a pattern starts with before any argument or regex syntax,
    and whether that is the whole pattern."""
    text = str(pattern.pattern)
    if isinstance(pattern.pattern, RegexPattern):  # re_path()
        text = text.removeprefix("^")
        syntax = _REGEX_SYNTAX.search(text)
        end = syntax.start() if syntax else len(text)
        complete = syntax is None or text[end:] == "$"
        return text[:end], complete
    end = text.find("<")
    return (text, True) if end == -1 else (text[:end], False)
