"""One language's words and numbers: its catalog, compiled on first use, and Babel's rules.

The catalogs are the `.po` files in the repository (locales/<lang>/LC_MESSAGES/), read by
Babel and compiled in memory when a language is first asked for: no generated `.mo` file
is kept, so a translator edits one file and restarts. English is the source language: its
translator returns the text as written.
"""

from __future__ import annotations

import functools
import gettext
import io
import math
import re
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

from .languages import BY_TAG, ENGLISH, Language
from .message import Message, Number, Percent

LOCALES = Path(__file__).with_name("locales")
DOMAIN = "digitlab"


def catalog_path(language: Language) -> Path:
    return LOCALES / language.catalog / "LC_MESSAGES" / f"{DOMAIN}.po"


class Translator:
    """Translate and fill in messages for one language; write its numbers."""

    def __init__(self, language: Language, translations: gettext.NullTranslations) -> None:
        self.language = language
        self.locale = Locale.parse(language.locale)
        self._translations = translations

    # The message's own arguments are positional only, so that a placeholder may have any
    # name: `_.plural("{count} drawing", "{count} drawings", n, count=_.number(n))`.
    def __call__(self, text: str, /, **params: object) -> str:
        """`text` in this language, its `{named}` placeholders filled in."""
        return self._fill(self._translations.gettext(text), params)

    def plural(self, singular: str, plural: str, count: int, /, **params: object) -> str:
        """The form of the message that `count` calls for in this language."""
        return self._fill(self._translations.ngettext(singular, plural, count), params)

    def render(self, said: object) -> str:
        """A Message, or an exception raised with one, in this language; anything else
        (an operating system's own words, say) as it is."""
        if isinstance(said, BaseException) and said.args and isinstance(said.args[0], Message):
            said = said.args[0]
        if not isinstance(said, Message):
            return str(said)
        if said.plural is not None:
            return self.plural(said.text, said.plural, said.count or 0, **said.params)
        return self(said.text, **said.params)

    def number(self, value: float, decimals: int | None = None) -> str:
        """12,345 / 12.345 / 12 345; with `decimals`, exactly that many after the mark."""
        if decimals is None:
            return format_decimal(value, locale=self.locale)
        return format_decimal(
            value, format=_with_decimals(self._decimal, decimals), locale=self.locale
        )

    def percent(self, share: float, decimals: int = 0) -> str:
        """A share from 0 to 1 as the language writes a percent: 99.3%, 99,3 %, 99,3%."""
        if not math.isfinite(share):
            return "-"
        pattern = _with_decimals(self._percent, decimals)
        return format_percent(share, format=pattern, locale=self.locale)

    @functools.cached_property
    def _decimal(self) -> str:
        return self.locale.decimal_formats[None].pattern

    @functools.cached_property
    def _percent(self) -> str:
        return self.locale.percent_formats[None].pattern

    def _fill(self, text: str, params: dict) -> str:
        if not params:
            return text
        return text.format_map({k: self._value(v) for k, v in params.items()})

    def _value(self, value: object) -> object:
        if isinstance(value, Number):
            return self.number(value.value, value.decimals)
        if isinstance(value, Percent):
            return self.percent(value.value, value.decimals)
        if isinstance(value, Message | BaseException):
            return self.render(value)
        return value


def _with_decimals(pattern: str, decimals: int) -> str:
    """A Babel number pattern ("#,##0 %") with exactly `decimals` digits after the mark."""
    pattern = pattern.split(";")[0]
    whole = re.sub(r"\.[0#]*", "", pattern)
    if decimals <= 0:
        return whole
    last = whole.rfind("0")
    return whole[: last + 1] + "." + "0" * decimals + whole[last + 1 :]


@functools.cache
def translator(tag: str) -> Translator:
    """The translator for a language tag of LANGUAGES (English for any other)."""
    language = BY_TAG.get(tag, ENGLISH)
    if language is ENGLISH:
        return Translator(language, gettext.NullTranslations())
    return Translator(language, compiled(language))


def compiled(language: Language) -> gettext.GNUTranslations:
    """The language's .po file, compiled in memory (fuzzy and empty entries left out, so
    they fall back to English)."""
    with catalog_path(language).open("rb") as po:
        catalog = read_po(po, locale=language.catalog)
    mo = io.BytesIO()
    write_mo(mo, catalog)
    mo.seek(0)
    return gettext.GNUTranslations(mo)


def english() -> Translator:
    return translator(ENGLISH.tag)
