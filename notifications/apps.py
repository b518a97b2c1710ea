from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = _("emails and digests")

    def ready(self) -> None:
        from accounts.userdata import register_section
        from notifications.exports import export_emails

        register_section("emails", export_emails)
