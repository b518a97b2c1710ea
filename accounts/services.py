"""Account writes that reach beyond one form."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User


def account_delete(*, user: User) -> None:
    """Delete the learner and, through on_delete=CASCADE, every row they own.

    Roadmaps an editor authored stay: Roadmap.created_by is SET_NULL.
    """
    with transaction.atomic():
        user.delete()
