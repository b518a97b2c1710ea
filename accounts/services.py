"""Account writes that reach beyond one form."""

from __future__ import annotations

import secrets
import time

from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts.models import User

DELETE_CODE_SESSION_KEY = "accounts.delete_code"
DELETE_CODE_TTL_SECONDS = 10 * 60


def account_delete(*, user: User) -> None:
    """Delete the learner and, through on_delete=CASCADE, every row they own.

    Roadmaps an editor authored stay: Roadmap.created_by is SET_NULL.
    """
    with transaction.atomic():
        user.delete()


def _code_digest(user: User, code: str) -> str:
    return salted_hmac("accounts.delete_code", f"{user.pk}:{code}").hexdigest()


def account_delete_code_send(*, request: HttpRequest, user: User) -> None:
    """Email a one-off code that confirms deleting an account without a
    password (GitHub-only learners). Only its digest is kept, in the session."""
    code = f"{secrets.randbelow(10**6):06d}"
    request.session[DELETE_CODE_SESSION_KEY] = {"digest": _code_digest(user, code), "at": time.time()}
    context = {"code": code, "minutes": DELETE_CODE_TTL_SECONDS // 60}
    send_mail(
        render_to_string("accounts/email/delete_code_subject.txt", context).strip(),
        render_to_string("accounts/email/delete_code_message.txt", context),
        None,
        [user.email],
    )


def account_delete_code_check(*, request: HttpRequest, user: User, code: str) -> bool:
    stored = request.session.get(DELETE_CODE_SESSION_KEY)
    if not stored or time.time() - stored["at"] > DELETE_CODE_TTL_SECONDS:
        return False
    return constant_time_compare(stored["digest"], _code_digest(user, code.strip()))
