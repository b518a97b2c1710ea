from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = "emails and digests"

    def ready(self) -> None:
        from accounts.userdata import register_section
        from notifications.exports import export_emails

        register_section("emails", export_emails)
