"""Every word a visitor reads, in the class's language: messages, catalogs, numbers.

No Streamlit here. The core says what it means as a `Message` (English text with named
placeholders, `msg` and `nmsg`); a page renders it through a `Translator` for the visitor's
language, which also writes numbers, percents and durations as that language does. The
catalogs are gettext `.po` files under `locales/`, read through Babel and compiled when
first used.
"""

from .message import Message, Number, Percent, msg, nmsg

__all__ = ["Message", "Number", "Percent", "msg", "nmsg"]
