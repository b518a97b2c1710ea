"""The digest's one-click unsubscribe link: a signed token that names the
learner, in the query string (never logged: config.middleware logs paths
only). It needs no sign-in and does not expire, as a link in an old email
must still work; it can do one thing only, turn the weekly digest off."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.http import urlencode

from accounts.models import User

SALT = "notifications.digest.unsubscribe"


def token_for(user: User) -> str:
    return signing.Signer(salt=SALT).sign(str(user.pk))


def user_for(token: str) -> User | None:
    """The active learner the token was made for, or None (forged, mangled,
    or the account is gone)."""
    try:
        pk = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=int(pk), is_active=True).first()


def url(user: User) -> str:
    return f"{settings.SITE_URL}{reverse('notifications:unsubscribe')}?{urlencode({'token': token_for(user)})}"
