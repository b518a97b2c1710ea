# Day before month, as the rest of the site writes it (Django's English is American).
DATE_FORMAT = "j F Y"  # 2 December 2026
SHORT_DATE_FORMAT = "j M Y"  # 2 Dec 2026
MONTH_DAY_FORMAT = "j M"  # 2 Dec
SHORT_DATETIME_FORMAT = "j M Y, H:i"  # 2 Dec 2026, 14:05
FIRST_DAY_OF_WEEK = 1  # Monday: a study week starts on Monday
