"""allauth's admins for rows that belong to one account, re-registered so
that staff can never hand one to another account, nor read or edit the
secrets they hold (a TOTP secret, a live session key, an OAuth token).

An email address stays editable (staff mark it verified for support), its
owner read-only on change. Authenticators, sessions, GitHub links and tokens
can be looked at and deleted (a learner who lost their phone, a session to
end, a link to undo) but not changed: allauth's own change forms for them
cannot even be saved unchanged (required JSON and date fields that are empty),
and every change would be a re-owning or a forged secret.

Imported by accounts.admin, which Django's autodiscover loads after allauth's
own admin modules (INSTALLED_APPS order)."""

from __future__ import annotations

from allauth.account.admin import EmailAddressAdmin as AllauthEmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin as AllauthAuthenticatorAdmin
from allauth.mfa.models import Authenticator
from allauth.socialaccount.admin import SocialAccountAdmin as AllauthSocialAccountAdmin
from allauth.socialaccount.admin import SocialTokenAdmin as AllauthSocialTokenAdmin
from allauth.socialaccount.models import SocialAccount, SocialToken
from allauth.usersessions.admin import UserSessionAdmin as AllauthUserSessionAdmin
from allauth.usersessions.models import UserSession
from django.contrib import admin

from accounts.admin_owner import OwnerReadOnlyOnChange


class EmailAddressAdmin(OwnerReadOnlyOnChange, AllauthEmailAddressAdmin):
    pass


class ViewAndDeleteOnly:
    """Mixed in before admin.ModelAdmin."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class AuthenticatorAdmin(ViewAndDeleteOnly, AllauthAuthenticatorAdmin):
    exclude = ("data",)  # the TOTP secret, the recovery codes' seed


class UserSessionAdmin(ViewAndDeleteOnly, AllauthUserSessionAdmin):
    exclude = ("session_key",)  # whoever holds it is signed in as the learner


class SocialAccountAdmin(ViewAndDeleteOnly, AllauthSocialAccountAdmin):
    pass


class SocialTokenAdmin(ViewAndDeleteOnly, AllauthSocialTokenAdmin):
    exclude = ("token", "token_secret")
    list_display = ("app", "account", "expires_at")


for model, model_admin in (
    (EmailAddress, EmailAddressAdmin),
    (Authenticator, AuthenticatorAdmin),
    (UserSession, UserSessionAdmin),
    (SocialAccount, SocialAccountAdmin),
    (SocialToken, SocialTokenAdmin),
):
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
