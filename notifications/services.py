"""Writes of the notifications app (the outbox's own are in outbox.py)."""

from __future__ import annotations

from accounts.models import User


def digest_turn_off(*, user: User) -> None:
    """The unsubscribe link's one effect; settings turn it back on."""
    if user.weekly_digest:
        user.weekly_digest = False
        user.save(update_fields=["weekly_digest"])
