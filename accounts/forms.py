"""Forms for the account pages Waymark adds next to allauth's."""

from __future__ import annotations

import re

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordKeyForm as AllauthResetPasswordKeyForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import WEEKLY_HOURS_MAX, WEEKLY_HOURS_MIN, User
from accounts.validators import DEFAULT_TIME_ZONE, time_zone_choices, validate_time_zone

# Handles become URLs (/u/<handle>/) next to the site's own paths, so words
# that are, or may become, a top-level path or a confusing identity are refused.
RESERVED_HANDLES = frozenset(
    {
        "about", "account", "accounts", "admin", "administrator", "api", "auth", "dashboard",
        "editor", "editors", "help", "login", "logout", "me", "media", "new", "null", "profile",
        "progress", "roadmap", "roadmaps", "root", "settings", "signin", "signup", "staff",
        "static", "support", "system", "u", "user", "users", "waymark", "www",
    }
)  # fmt: skip
HANDLE_MIN_LENGTH = 3
HANDLE_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# static/js/timezone.js fills a select marked with this attribute from the
# browser's own zone; only where nobody chose one yet, so it never overrides a
# choice (a stored zone, or one on a form sent back with an error).
BROWSER_TIME_ZONE_ATTR = "data-browser-time-zone"


class TimeZoneSelect(forms.Select):
    """A select of some 600 zones whose options its own template writes:
    Django's renders a template per option, which made the settings and
    sign-up pages cost some 60 ms to draw."""

    template_name = "forms/widgets/time_zone_select.html"


def time_zone_field(**kwargs) -> forms.CharField:
    return forms.CharField(
        label=_("Time zone"),
        # No max_length: on a <select> it renders as an invalid `maxlength`;
        # the validator only lets a known zone through.
        validators=[validate_time_zone],
        widget=TimeZoneSelect(choices=time_zone_choices()),
        **kwargs,
    )


def offer_browser_time_zone(field: forms.Field) -> None:
    # The attribute's value is the line the script writes under the field, in
    # the page's language ({zone} is the zone it filled in).
    field.widget.attrs[BROWSER_TIME_ZONE_ATTR] = _("Filled in from your browser: {zone}.")


class AccountSettingsForm(forms.ModelForm):
    time_zone = time_zone_field(help_text=_("Your week, study days and reminders follow this time zone."))
    weekly_hours_goal = forms.IntegerField(
        label=_("Weekly hours goal"),
        min_value=WEEKLY_HOURS_MIN,
        max_value=WEEKLY_HOURS_MAX,
        help_text=format_lazy(
            _("Hours a week you mean to study, from {min} to {max}."), min=WEEKLY_HOURS_MIN, max=WEEKLY_HOURS_MAX
        ),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Follow my browser")), *settings.LANGUAGES],
        help_text=_("Waymark’s pages and emails to you in this language."),
    )
    handle = forms.CharField(
        label=_("Public profile handle"),
        required=False,
        max_length=40,
        help_text=_(
            "The name in your public progress link: 3–40 lower-case letters, digits "
            "and single hyphens. Leave it empty to keep no public profile."
        ),
    )

    class Meta:
        model = User
        fields = ["display_name", "language", "time_zone", "weekly_hours_goal", "email_notifications",
                  "weekly_digest", "digest_weekday", "handle"]
        labels = {
            "display_name": _("Display name"),
            "email_notifications": _("Send me email reminders"),
            "weekly_digest": _("Send me “Your week on Waymark”"),
            "digest_weekday": _("Weekly summary day"),
        }
        help_texts = {
            "display_name": _("How Waymark addresses you. Up to 80 characters; leave empty to use your email."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.time_zone == DEFAULT_TIME_ZONE:
            offer_browser_time_zone(self.fields["time_zone"])
        if self.is_bound and "digest_weekday" not in self.data:
            # A client that sends no day (not this page, whose select always
            # does) keeps the learner's day rather than failing the form.
            self.data = self.data.copy()
            self.data["digest_weekday"] = self.instance.digest_weekday

    def clean_display_name(self) -> str:
        return " ".join(self.cleaned_data["display_name"].split())

    def clean_handle(self) -> str | None:
        handle = self.cleaned_data["handle"].strip().lower()
        if not handle:
            return None  # NULL, so any number of learners may have no handle
        if len(handle) < HANDLE_MIN_LENGTH:
            raise ValidationError(
                _("A handle needs at least %(min)d characters."), code="too_short", params={"min": HANDLE_MIN_LENGTH}
            )
        if not HANDLE_PATTERN.match(handle):
            raise ValidationError(
                _(
                    "Use only lower-case letters, digits and single hyphens, "
                    "starting and ending with a letter or digit."
                ),
                code="invalid_handle",
            )
        if handle in RESERVED_HANDLES:
            raise ValidationError(
                _("“%(handle)s” is reserved by Waymark; choose another handle."),
                code="reserved_handle",
                params={"handle": handle},
            )
        if User.objects.filter(handle__iexact=handle).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("That handle is taken; choose another."), code="handle_taken")
        return handle


class DeleteAccountForm(forms.Form):
    """Confirms with the current password; learners without one (GitHub only)
    confirm with a code emailed to them instead."""

    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label=_("The code we emailed you"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, user: User, request, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request
        del self.fields["password" if not user.has_usable_password() else "code"]

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("That is not your current password."), code="wrong_password")
        return password

    def clean_code(self) -> str:
        from accounts.services import account_delete_code_check

        code = self.cleaned_data["code"]
        if not account_delete_code_check(request=self.request, user=self.user, code=code):
            raise ValidationError(_("That code is wrong or has expired; ask for a new one."), code="wrong_code")
        return code


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form, its remember box worded like the rest of Waymark."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "remember" in self.fields:  # gone when ACCOUNT_SESSION_REMEMBER is set
            self.fields["remember"].label = _("Keep me signed in")


class ResetPasswordKeyForm(AllauthResetPasswordKeyForm):
    """allauth's "choose a new password" form, in sentence case."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, label in (("password1", _("New password")), ("password2", _("New password (again)"))):
            self.fields[name].label = label
            self.fields[name].widget.attrs["placeholder"] = label


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form, asking for the time zone too (saved by
    accounts.adapter), and doing the same work whether or not the address
    already has an account."""

    time_zone = time_zone_field(
        initial=DEFAULT_TIME_ZONE,
        error_messages={"required": _("Choose your time zone.")},
        help_text=_("Your week, study days and reminders follow it. You can change it later in your account settings."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # allauth orders its own fields and leaves ours after the email; the
        # zone reads better once the account itself is filled in.
        self.fields["time_zone"] = self.fields.pop("time_zone")
        if self.is_bound and "time_zone" not in self.data:
            # A client that sends no zone at all (not this page's form, which
            # always does) gets the model's default, as before the field existed.
            self.data = self.data.copy()
            self.data["time_zone"] = DEFAULT_TIME_ZONE
        if not self.is_bound:
            offer_browser_time_zone(self.fields["time_zone"])

    def try_save(self, request):
        # With ACCOUNT_PREVENT_ENUMERATION allauth answers a known address as
        # it answers a new one, but only the new one pays for hashing the
        # password (deliberately slow), so the answer's timing told which
        # emails are registered (11 ms against 233 ms). Hash it and throw the
        # result away; nothing is stored.
        password = self.cleaned_data.get("password1")
        if self.account_already_exists and password:
            make_password(password)
        return super().try_save(request)
