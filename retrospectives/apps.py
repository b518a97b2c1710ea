from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetrospectivesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "retrospectives"
    verbose_name = _("retrospectives")

    def ready(self) -> None:
        from accounts.userdata import register_section
        from retrospectives.exports import export_retrospectives

        register_section("retrospectives", export_retrospectives)

        # The calendar feed lists the days retrospectives fall due.
        from progress import extensions
        from retrospectives.calendar import due_retrospectives

        extensions.register("calendar_events", due_retrospectives)
