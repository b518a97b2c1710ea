from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    name = "roadmaps"
    verbose_name = "Roadmaps"

    def ready(self) -> None:
        from roadmaps import signals  # noqa: F401  (connects the post_save receiver)
