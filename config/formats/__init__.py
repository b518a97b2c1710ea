"""Date formats per language, over Django's own (FORMAT_MODULE_PATH).

Templates and Python name the format (`|date:"SHORT_DATE_FORMAT"`,
`formats.date_format(day, "SHORT_DATE_FORMAT")`), never the letters, so each
language writes a day its own way: "2 Dec 2026" in English, "2 dic 2026" in
Spanish. Django's "M" capitalises every language's abbreviation ("2 Dic
2026"), so Spanish uses "b", the lower-case one. Only what Waymark shows
differently from Django's defaults is here, plus Waymark's own named formats
(WEEKDAY_DATE_FORMAT and the like). Django prints an unknown name as letters,
so every language in LANGUAGES must define every one of those: a test checks.
"""
