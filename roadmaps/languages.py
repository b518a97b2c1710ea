"""The languages a roadmap's content can be written in.

Every language Django knows, not only the interface's (settings.LANGUAGES):
editors may write a roadmap in a language the interface does not offer.
Codes are spelt as Django spells them (lower case, "pt-br").
"""

from __future__ import annotations

import unicodedata

from django.conf import global_settings
from django.utils.translation import get_language, gettext

DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = dict(global_settings.LANGUAGES)
MAX_CODE_LENGTH = 15


def _sort_key(name: str) -> str:
    # "Árabe" sorts with the A's, not after "Zulú".
    return "".join(char for char in unicodedata.normalize("NFKD", name) if not unicodedata.combining(char)).casefold()


def language_name(code: str) -> str:
    """The language's name in the reader's language (Django's catalogue has them)."""
    return gettext(LANGUAGE_NAMES[code]) if code in LANGUAGE_NAMES else code


def language_choices() -> list[tuple[str, str]]:
    """(code, name) of every language, sorted by the name as the reader reads it.

    A callable, so the model field's choices are evaluated per use, in the
    active language, and the migration refers to this function instead of
    copying a hundred names."""
    return sorted(((code, language_name(code)) for code in LANGUAGE_NAMES), key=lambda choice: _sort_key(choice[1]))


def normalise_language_code(text: str) -> str:
    """A BCP 47 tag as Django spells the code: "pt-BR" and "pt_BR" → "pt-br"."""
    return text.strip().replace("_", "-").lower()


def language_if_not_interface(code: str) -> str:
    """`code` where it is not the interface's language, else "": what the
    editors wrote is marked `lang="…"` (a screen reader then reads it in its
    own voice), and nothing is marked when both are the same."""
    return code if code != get_language() else ""


def is_known_language(code: str) -> bool:
    return code in LANGUAGE_NAMES
