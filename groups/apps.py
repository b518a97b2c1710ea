from django.apps import AppConfig


class GroupsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "groups"
    verbose_name = "study groups"

    def ready(self) -> None:
        # "Download my data" gets the learner's memberships.
        from accounts.userdata import register_section
        from groups.exports import export_memberships

        register_section("study_groups", export_memberships)
