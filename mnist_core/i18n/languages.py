"""The languages Digit Lab speaks, and which one a visitor gets.

First match wins: `?lang=` in the address (a student's own choice in the sidebar puts it
there too), the class's language (set by the teacher on the Class page, kept in the
database so that every app server agrees), $DIGITLAB_LANGUAGE, the browser's language,
English. Anything unknown, malformed or huge is passed over, never an error.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

ENV_LANGUAGE = "DIGITLAB_LANGUAGE"
MAX_TAG = 35  # the longest language tag worth reading (BCP 47 tags in practice are short)


@dataclass(frozen=True)
class Language:
    tag: str  # BCP 47: in ?lang=, in the page's <html lang>, in the database
    catalog: str  # its folder under locales/ (gettext's naming)
    locale: str  # the Babel locale that writes its numbers
    name: str  # its own name, for the language menu


ENGLISH = Language("en", "en", "en_US", "English")
LANGUAGES: tuple[Language, ...] = (
    ENGLISH,
    Language("de", "de", "de_DE", "Deutsch"),
    Language("fr", "fr", "fr_FR", "Français"),
    Language("es", "es", "es_ES", "Español"),
    Language("pt-BR", "pt_BR", "pt_BR", "Português (Brasil)"),
    Language("zh-Hans", "zh_Hans", "zh_Hans_CN", "简体中文"),
)
BY_TAG = {language.tag: language for language in LANGUAGES}
# A browser's or visitor's tag by its first part: pt-PT readers read Brazilian Portuguese
# better than English, and zh-TW readers Simplified Chinese.
BY_PRIMARY = {language.tag.split("-")[0].lower(): language for language in LANGUAGES}


def find(text: object) -> Language | None:
    """The language a tag names ("de", "de-AT", "pt_br", "zh-Hans-CN"), or None for
    anything Digit Lab does not speak or that is not a tag at all."""
    if not isinstance(text, str) or not 0 < len(text) <= MAX_TAG or not text.isascii():
        return None
    parts = text.strip().replace("_", "-").lower().split("-")
    if not all(part.isalnum() for part in parts):
        return None
    return BY_PRIMARY.get(parts[0])


def configured() -> Language | None:
    """The server's language: $DIGITLAB_LANGUAGE, if it names one Digit Lab speaks."""
    return find(os.environ.get(ENV_LANGUAGE, ""))


def choose(
    query: object = None,
    class_language: object = None,
    browser: object = None,
) -> Language:
    """The visitor's language: the address's ?lang=, the class's, the server's setting,
    the browser's, else English."""
    for candidate in (find(query), find(class_language), configured(), find(browser)):
        if candidate is not None:
            return candidate
    return ENGLISH
