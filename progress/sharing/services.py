"""Writes for sharing: the public page switch, the secret link and the
calendar feed's token."""

from __future__ import annotations

import secrets

from progress.models import Enrolment


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def enrolment_set_public(*, enrolment: Enrolment, public: bool) -> Enrolment:
    if enrolment.is_public != public:
        enrolment.is_public = public
        enrolment.save(update_fields=["is_public", "updated_at"])
    return enrolment


def enrolment_rotate_share_link(*, enrolment: Enrolment, revoke: bool = False) -> Enrolment:
    """A new secret link (the old one stops working), or none at all."""
    enrolment.share_token = None if revoke else _new_token()
    enrolment.save(update_fields=["share_token", "updated_at"])
    return enrolment


def enrolment_rotate_calendar_token(*, enrolment: Enrolment, revoke: bool = False) -> Enrolment:
    enrolment.calendar_token = None if revoke else _new_token()
    enrolment.save(update_fields=["calendar_token", "updated_at"])
    return enrolment
