#!/usr/bin/env python3
"""The pages a learner opens right after a write, against the stack's baseline
(`make bench`, after bench_dashboard has made its learners).

Runs ../shared/bench/pagebench.py --queries-only --after-post for:
- the dashboard of the big bench learner (three 2,000-item roadmaps) and of
  the one-item learner, each right after an item-state POST;
- the big learner's page of a 2,000-item roadmap, right after a POST there.

It prints pagebench's lines (queries, and `cpu`: the baseline's CPU time per
request over the page's: 1.0 = as cheap as the baseline). Skipped with a
message when pagebench is not beside the project.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGEBENCH = ROOT.parent / "shared" / "bench" / "pagebench.py"


def main() -> int:
    if not PAGEBENCH.exists():
        print(f"{PAGEBENCH} not found: skipping the after-a-write figures.")
        return 0
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from progress.management.commands.bench_dashboard import LEARNER_EMAIL, SMALL_EMAIL
    from progress.models import Enrolment

    runs = []
    for email in (LEARNER_EMAIL, SMALL_EMAIL):
        enrolment = Enrolment.objects.filter(user__email=email).select_related("roadmap").order_by("pk").first()
        if enrolment is None:
            print(f"No bench learner {email}: run `manage.py bench_dashboard` first.")
            return 1
        item = enrolment.roadmap.items.active().order_by("pk").first()
        post = f"/progress/{enrolment.pk}/items/{item.pk}/state/"
        paths = ["/dashboard/"] + ([enrolment.roadmap.get_absolute_url()] if email == LEARNER_EMAIL else [])
        runs.append((email, post, paths))
    status = 0
    for email, post, paths in runs:
        print(f"\n== {email}: right after POST {post} ==", flush=True)
        status |= subprocess.call(
            [sys.executable, str(PAGEBENCH), "--queries-only", "--user", email, "--after-post", post,
             "--data", "state=done", "--data", "state=in_progress", *paths],
            cwd=ROOT,
        )
    return status


if __name__ == "__main__":
    sys.exit(main())
