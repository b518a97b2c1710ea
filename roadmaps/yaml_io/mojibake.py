"""UTF-8 text that was once read in a legacy code page and saved again, the
way a page copied between tools often arrives: "üöÄ" for 🚀 (read as Mac
OS Roman), "Ã©" for é or "â†’" for → (read as Windows-1252).

Each run of non-ASCII characters is turned back into the bytes that code
page gives it and read as UTF-8 again. A code page is only trusted when
every run it can hold reads back as UTF-8: real accented text ("Señor",
"café") does not, so a file with any of it is left as it is. Runs the
code page cannot hold (an emoji that came through intact, Cyrillic) are real
characters and stay.
"""

from __future__ import annotations

import re

# Windows-1252 first: "Ã©" also reads back under Mac OS Roman, as something else.
CODE_PAGES = {"cp1252": "Windows-1252", "mac_roman": "Mac OS Roman"}
NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def repair_mojibake(text: str) -> tuple[str, str, list[tuple[str, str]]]:
    """The text read again as UTF-8, the name of the code page it had been
    misread in ("" if it had not been), and the runs changed (misread, right)."""
    runs = set(NON_ASCII_RUN.findall(text))
    for code_page, name in CODE_PAGES.items():
        if repairs := _repairs(runs, code_page):
            return _apply(text, repairs), name, list(dict.fromkeys(
                (run, repairs[run]) for run in NON_ASCII_RUN.findall(text) if run in repairs
            ))
    return text, "", []


def _apply(text: str, repairs: dict[str, str]) -> str:
    return NON_ASCII_RUN.sub(lambda match: repairs.get(match.group(), match.group()), text)


def _repairs(runs: set[str], code_page: str) -> dict[str, str]:
    repairs: dict[str, str] = {}
    for run in runs:
        try:
            raw = run.encode(code_page)
        except UnicodeEncodeError:
            continue  # characters this code page never had: they came through intact
        try:
            repairs[run] = raw.decode("utf-8")
        except UnicodeDecodeError:
            return {}  # real text in this code page's range: the file was not misread in it
    return {run: right for run, right in repairs.items() if right != run}
