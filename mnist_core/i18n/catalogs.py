"""The message catalogs kept up to date with the code, and checked: a translator's tools.

`python -m mnist_core.i18n.catalogs update` reads every message the code says (the same as
`pybabel extract -F babel.cfg -k tr -k msg -k nmsg:1,2 -k plural:1,2 -c Translators: .`),
writes `locales/digitlab.pot`, and merges it into each language's `.po` file (as `pybabel
update` does: new messages arrive empty, changed ones marked fuzzy, translations kept).
`check` lists what a language lacks: a message without a translation, a fuzzy one, or one
whose `{placeholders}` differ from the English. The tests run `check`; an empty or fuzzy
entry would show English in the middle of a German page.
"""

from __future__ import annotations

import argparse
import io
import string
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from mnist_core.serving.model_files import write_atomically

from .languages import ENGLISH, LANGUAGES, Language
from .translator import DOMAIN, LOCALES, catalog_path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("app.py", "pages", "mnist_core")  # where visitors' words are written
# The calls whose first argument (and second, for plurals) is a message: `_` and `tr` are a
# page's and a presentation function's translator, `msg` and `nmsg` the core's messages.
KEYWORDS = {"_": None, "tr": None, "msg": None, "nmsg": (1, 2), "plural": (1, 2)}
COMMENT_TAG = "Translators:"
TEMPLATE = LOCALES / f"{DOMAIN}.pot"


def extract(root: Path = ROOT) -> Catalog:
    """Every message in the code, with where it is and the comment left for translators."""
    template = Catalog(project="Digit Lab", domain=DOMAIN, fuzzy=False)
    for source in SOURCES:
        path = root / source
        found = (
            extract_from_dir(
                path,
                method_map=[("**.py", "python")],
                keywords=KEYWORDS,
                comment_tags=(COMMENT_TAG,),
                strip_comment_tags=True,
            )
            if path.is_dir()
            else _extract_file(path)
        )
        for filename, line, text, comments, context in found:
            where = (path / filename if path.is_dir() else path).relative_to(root)
            template.add(
                text,
                locations=[(where.as_posix(), line)],
                auto_comments=comments,
                context=context,
            )
    return template


def _extract_file(path: Path) -> Iterator[tuple]:
    from babel.messages.extract import extract

    with path.open("rb") as source:
        for line, text, comments, context in extract(
            "python",
            source,
            keywords=KEYWORDS,
            comment_tags=(COMMENT_TAG,),
            strip_comment_tags=True,
        ):
            yield path.name, line, text, comments, context


def read_catalog(language: Language) -> Catalog:
    with catalog_path(language).open("rb") as po:
        return read_po(po, locale=language.catalog)


def update(root: Path = ROOT) -> None:
    """Write the template and bring every language's catalog up to date with the code."""
    template = extract(root)
    _write(TEMPLATE, template)
    for language in LANGUAGES:
        if language is ENGLISH:
            continue
        path = catalog_path(language)
        if path.exists():
            catalog = read_catalog(language)
            catalog.update(template, update_header_comment=False)
            catalog.obsolete.clear()  # a message the code no longer says is gone for good
        else:
            catalog = Catalog(locale=language.catalog, domain=DOMAIN, project="Digit Lab")
            catalog.update(template)
        _write(path, catalog)


def _write(path: Path, catalog: Catalog) -> None:
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=False, sort_output=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, out.getvalue(), overwrite=True)


def placeholders(text: str) -> set[str]:
    """The `{named}` fields of a message; raises ValueError for a stray brace."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def problems(language: Language, template: Catalog) -> list[str]:
    """What this language's catalog lacks for the code's messages, one line each."""
    catalog = read_catalog(language)
    found = []
    for wanted in template:
        if not wanted.id:
            continue
        have = catalog.get(wanted.id, context=wanted.context)
        shown = (wanted.id if isinstance(wanted.id, str) else wanted.id[0])[:60]
        if have is None or have.fuzzy or not _translated(have):
            found.append(f"{language.tag}: no translation for {shown!r}")
            continue
        english = _fields(wanted)
        try:
            forms = have.string if isinstance(have.string, tuple | list) else (have.string,)
            for form in forms:
                if placeholders(form) - english or (
                    not wanted.pluralizable and placeholders(form) != english
                ):
                    found.append(f"{language.tag}: placeholders differ in {shown!r}")
                    break
            if wanted.pluralizable and placeholders(forms[-1]) != english:
                found.append(f"{language.tag}: placeholders differ in {shown!r}")
        except ValueError:
            found.append(f"{language.tag}: a stray brace in the translation of {shown!r}")
    return found


def _fields(message: Message) -> set[str]:
    ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
    return set().union(*(placeholders(text) for text in ids))


def _translated(message: Message) -> bool:
    forms = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return all(form.strip() for form in forms)


def check(root: Path = ROOT) -> list[str]:
    """Every language's problems, against the code as it is now."""
    template = extract(root)
    return [line for lang in LANGUAGES if lang is not ENGLISH for line in problems(lang, template)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mnist_core.i18n.catalogs")
    parser.add_argument("action", choices=["update", "check"])
    args = parser.parse_args(argv)
    if args.action == "update":
        update()
        print(f"wrote {TEMPLATE.relative_to(ROOT)} and the languages' catalogs")
        return 0
    found = check()
    for line in found:
        print(line)
    print(f"{len(found)} problem(s)", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
