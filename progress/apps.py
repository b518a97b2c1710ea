from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "progress"
    verbose_name = _("Learner progress")

    def ready(self) -> None:
        # "Download my data" gets a section for everything a learner keeps here.
        from accounts.userdata import register_section
        from progress import receivers  # noqa: F401  (connects the content-change receiver)
        from progress.sharing.exports import SECTIONS

        for name, exporter in SECTIONS.items():
            register_section(name, exporter)
