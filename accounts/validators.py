import zoneinfo
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


@lru_cache(maxsize=1)
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in _time_zones():
        raise ValidationError(
            _("“%(value)s” is not a time zone we know. Use a name such as Europe/Paris or America/New_York."),
            params={"value": value},
            code="invalid_time_zone",
        )


DEFAULT_TIME_ZONE = "UTC"


def time_zone_choices() -> list[tuple[str, str]]:
    # The default first and spelled out: without JavaScript nothing fills in
    # the browser's zone, and "UTC" alone, selected near the end of a
    # 600-line list, reads like a choice someone made.
    others = sorted(_time_zones() - {DEFAULT_TIME_ZONE})
    return [(DEFAULT_TIME_ZONE, _("UTC (Coordinated Universal Time)"))] + [
        (name, name.replace("_", " ")) for name in others
    ]
