from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "groups"
    verbose_name = _("study groups")

    def ready(self) -> None:
        # "Download my data" gets the learner's memberships.
        from accounts.userdata import register_section
        from groups.exports import export_memberships

        register_section("study_groups", export_memberships)
