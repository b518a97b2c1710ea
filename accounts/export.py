"""The "account" section of "download my data"."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession

from accounts.models import User


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def export_account(user: User) -> dict[str, Any]:
    """Profile, email addresses, sign-in methods and signed-in sessions;
    never a password hash, TOTP secret, recovery code or session key."""
    return {
        "email": user.email,
        "display_name": user.display_name,
        "handle": user.handle,
        "time_zone": user.time_zone,
        "language": user.language,
        "weekly_hours_goal": user.weekly_hours_goal,
        "email_notifications": user.email_notifications,
        "is_editor": user.is_staff,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "has_password": user.has_usable_password(),
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
        ],
        "two_factor_methods": [
            {"type": authenticator.type, "created_at": _iso(authenticator.created_at)}
            for authenticator in Authenticator.objects.filter(user=user).order_by("created_at")
        ],
        "connected_accounts": [
            {"provider": account.provider, "date_joined": _iso(account.date_joined)}
            for account in SocialAccount.objects.filter(user=user).order_by("provider")
        ],
        "sessions": [
            {
                "ip": session.ip,
                "user_agent": session.user_agent,
                "created_at": _iso(session.created_at),
                "last_seen_at": _iso(session.last_seen_at),
            }
            for session in UserSession.objects.filter(user=user).order_by("created_at", "pk")
        ],
    }
