"""A sentence for a visitor, said in English by the core and translated by a page.

The core cannot know the visitor's language (a ConfigError is raised long before a page
shows it), so it says what it means as a `Message`: the English text with `{named}`
placeholders and their values. `str()` of a message is its English; a page's
`Translator.render` looks the text up in the visitor's catalog and fills the
placeholders there, numbers written the language's way. `msg` and `nmsg` are also the
keywords `pybabel extract` looks for (see babel.cfg), so every such text reaches the
catalogs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Number:
    """A number to write the visitor's way: 12,345 or 12.345 or 12 345; `decimals` fixes
    how many digits follow the decimal mark (None: as many as it has, up to three)."""

    value: float
    decimals: int | None = None


@dataclass(frozen=True)
class Percent:
    """A share from 0 to 1 to write as a percent the visitor's way: 99.3% or 99,3 %."""

    value: float
    decimals: int = 0


@dataclass(frozen=True)
class Message:
    """English `text` (or, with `plural`, the singular and plural forms chosen by
    `count`) and the values of its `{named}` placeholders: plain text, a Number, a
    Percent or another Message."""

    text: str
    params: Mapping[str, object] = field(default_factory=dict)
    plural: str | None = None
    count: int | None = None

    def __str__(self) -> str:
        from .translator import english  # Babel is loaded only once a message is shown

        return english().render(self)


def msg(text: str, /, **params: object) -> Message:
    """A message; extracted into the catalogs as `text`."""
    return Message(text, params)


def nmsg(singular: str, plural: str, count: int, /, **params: object) -> Message:
    """A message with a plural form chosen by `count` (each language has its own rules:
    French says 0 and 1 alike, Chinese has one form)."""
    return Message(singular, params, plural, count)
