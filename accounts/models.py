"""The Waymark user: the email address is the login; there is no username."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.validators import DEFAULT_TIME_ZONE, validate_time_zone

WEEKLY_HOURS_MIN = 1
WEEKLY_HOURS_MAX = 80
WEEKDAYS = [(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday")),
            (5, _("Saturday")), (6, _("Sunday"))]


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, email: str) -> User:
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email address"), max_length=254, unique=True)
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default=DEFAULT_TIME_ZONE, validators=[validate_time_zone]
    )
    weekly_hours_goal = models.PositiveSmallIntegerField(
        _("weekly hours goal"), default=10,
        validators=[MinValueValidator(WEEKLY_HOURS_MIN), MaxValueValidator(WEEKLY_HOURS_MAX)],
        help_text=format_lazy(
            _("Hours a week you mean to study ({min}–{max})."), min=WEEKLY_HOURS_MIN, max=WEEKLY_HOURS_MAX
        ),
    )
    email_notifications = models.BooleanField(
        _("email notifications"), default=True, help_text=_("Send me reminders such as a retrospective falling due.")
    )
    # "Your week on Waymark" (notifications.digest): on by default, off in
    # one click from the email; sent on this weekday (0 = Monday) in the
    # learner's time zone.
    # db_default: the previous release, still serving during a deploy,
    # creates users without these columns.
    weekly_digest = models.BooleanField(
        _("weekly digest"),
        default=True,
        db_default=True,
        help_text=_("Email me a summary of my week: hours, streaks, what I finished, what comes next."),
    )
    digest_weekday = models.PositiveSmallIntegerField(
        _("digest weekday"), default=0, db_default=0, choices=WEEKDAYS,
        help_text=_("The day the weekly summary arrives, in your time zone.")
    )
    # "" follows the browser (Accept-Language, the footer's choice); a code
    # from settings.LANGUAGES wins over it (accounts.middleware).
    language = models.CharField(
        _("language"), max_length=10, blank=True, default="", db_default="", choices=settings.LANGUAGES
    )
    # The public-profile handle; empty until the learner chooses one.
    handle = models.SlugField(_("handle"), max_length=40, null=True, blank=True)
    is_staff = models.BooleanField(_("is staff"), default=False)
    is_active = models.BooleanField(_("is active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            # Handles are URLs: "Ada" and "ada" must not both exist.
            models.UniqueConstraint(Lower("handle"), name="user_handle_unique_ci"),
            models.CheckConstraint(
                condition=models.Q(weekly_hours_goal__gte=WEEKLY_HOURS_MIN)
                & models.Q(weekly_hours_goal__lte=WEEKLY_HOURS_MAX),
                name="user_weekly_hours_goal_range",
            ),
            models.CheckConstraint(condition=models.Q(digest_weekday__lte=6), name="user_digest_weekday_range"),
        ]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.display_name or self.email

    def get_short_name(self) -> str:
        return self.display_name or self.email.split("@")[0]
