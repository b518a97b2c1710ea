# Spanish writes month abbreviations in lower case: "b", not Django's "M".
# DATE_FORMAT stays Django's ("2 de diciembre de 2026").
SHORT_DATE_FORMAT = "j b Y"  # 2 dic 2026
MONTH_DAY_FORMAT = "j b"  # 2 dic
SHORT_DATETIME_FORMAT = "j b Y, H:i"  # 2 dic 2026, 14:05
DAY_MONTH_FORMAT = r"j \d\e F"  # 2 de diciembre
WEEKDAY_DAY_MONTH_FORMAT = r"l j \d\e F"  # miércoles 2 de diciembre
WEEKDAY_DATE_FORMAT = r"l j \d\e F \d\e Y"  # miércoles 2 de diciembre de 2026
WEEKDAY_SHORT_DAY_FORMAT = "l j b"  # miércoles 2 dic
