# Day before month, as the rest of the site writes it (Django's English is American).
DATE_FORMAT = "j F Y"  # 2 December 2026
SHORT_DATE_FORMAT = "j M Y"  # 2 Dec 2026
MONTH_DAY_FORMAT = "j M"  # 2 Dec
SHORT_DATETIME_FORMAT = "j M Y, H:i"  # 2 Dec 2026, 14:05
FIRST_DAY_OF_WEEK = 1  # Monday: a study week starts on Monday
# Named here, not in templates, so each language can put its own words between
# the parts (Spanish writes "miércoles 2 de diciembre").
DAY_MONTH_FORMAT = "j F"  # 2 December
WEEKDAY_DAY_MONTH_FORMAT = "l j F"  # Wednesday 2 December
WEEKDAY_DATE_FORMAT = "l j F Y"  # Wednesday 2 December 2026
WEEKDAY_SHORT_DAY_FORMAT = "l j M"  # Wednesday 2 Dec
