from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reviews"
    verbose_name = _("spaced review")

    def ready(self) -> None:
        # progress does not import this app: it calls what is registered here
        # (progress/extensions.py), and "download my data" gets a section.
        from accounts.userdata import register_section
        from progress import extensions
        from reviews import calendar, exports, planning, services

        extensions.register("state_changed", services.card_for_state_change)
        extensions.register("reserved_hours", planning.reserved_hours, name="reviews")
        extensions.register("calendar_events", calendar.review_days)
        extensions.register("item_exports", exports.item_review_columns, columns=exports.ITEM_COLUMNS)
        register_section("reviews", exports.export_reviews)
