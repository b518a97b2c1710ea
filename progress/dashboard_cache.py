"""The learner's dashboard, rendered once per change and then served from the cache.

Rendering the dashboard costs a dozen queries and a pass through every item
of every roadmap the learner follows; the learner opens it far more often
than anything it shows changes. What it shows depends only on:

- the learner's own rows (enrolments, progress, log, milestones, breaks,
  metrics, retrospectives), which change through their own POSTs
  (`LearnerDataVersionMiddleware`) or staff edits in the admin
  (`LearnerRowsAdminMixin`): both move `User.data_version`;
- the content of the roadmaps they follow: every editor save sends
  `roadmap_changed`, and `progress.receivers` moves the version of every
  learner enrolled on that roadmap;
- their goal, their time zone and their local date (the week's plan, the
  forecast, the streaks and which retrospectives are due move with the day);
- the code that renders it: a digest of the templates and Python sources.

All of these are on the user row the authentication middleware loads anyway,
so a cached dashboard costs no query of its own. No entry is ever deleted: a
change makes a new key, and the old entry expires.

The cached HTML holds nothing of the request: the CSRF token is rendered as
a placeholder and filled per response (each browser session has its own
secret), and flash messages are rendered by the base template, outside it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.middleware.csrf import get_token

from config.caching import cache_get_or_compute

# The key already changes with the date; a day bounds what an idle learner's
# entry occupies.
TIMEOUT_SECONDS = 24 * 60 * 60
# No template, title or user text can produce it: titles are escaped.
CSRF_PLACEHOLDER = "\x00waymark-csrf\x00"
SOURCE_DIRS = ("templates", "config", "progress", "retrospectives", "roadmaps", "accounts")


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of every template and Python module that can shape the
    dashboard: a deploy that changes any of them never serves old markup
    from a shared cache. Read once per process."""
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR)
    for folder in SOURCE_DIRS:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in {".html", ".txt", ".py"} and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def dashboard_key(user, today: date) -> str:
    return (
        f"dashboard:{code_digest()}:{user.pk}:{user.data_version}:"
        f"{user.weekly_hours_goal}:{user.time_zone}:{today.isoformat()}"
    )


def cached_dashboard_html(request, *, key: str, render: Callable[[str], str]) -> str:
    """The dashboard's HTML for this request: from the cache, else `render()`
    (called with the CSRF placeholder as the token) and stored. A cache
    outage costs speed, never the page."""
    html = cache_get_or_compute(key, lambda: render(CSRF_PLACEHOLDER), timeout=TIMEOUT_SECONDS)
    return html.replace(CSRF_PLACEHOLDER, get_token(request))
