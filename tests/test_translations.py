"""Every word a visitor reads comes from the catalogs, in every language Digit Lab speaks."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from mnist_core.i18n import Number, Percent, msg, nmsg
from mnist_core.i18n.catalogs import check, extract, placeholders
from mnist_core.i18n.languages import LANGUAGES, choose, find
from mnist_core.i18n.translator import translator

ROOT = Path(__file__).resolve().parent.parent
# Where visible words are written: the pages and the core's presentation.
VISIBLE = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
VISIBLE += sorted((ROOT / "mnist_core" / "presentation").glob("*.py"))
TRANSLATING_CALLS = {"_", "tr", "msg", "nmsg", "plural"}
WORDS = re.compile(r"[A-Za-z]{2,}[,.:;!?]? +[A-Za-z]{2,}")
# Calls whose words no visitor reads: the terminal's lines, the product's own name.
UNSEEN_CALLS = {"print", "set_page_config"}
# Keyword arguments whose text no visitor reads: widget keys, styles, icons, formats.
UNSEEN_KEYWORDS = {"key", "icon", "format", "type", "mime", "file_name", "page_icon", "sort"}
# Module-level constants that are code, not words: the pages' CSS and scripts.
CODE_CONSTANTS = {"PAGE_STYLE", "HIDE_TOOLBAR", "WALL_STYLE", "CLASS_STYLE", "STYLE"}


def _english_literals(path: Path) -> list[str]:
    """String literals in `path` that read like English words and reach no catalog."""
    tree = ast.parse(path.read_text(), filename=str(path))
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):  # a docstring
            skip.add(id(first.value))
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in TRANSLATING_CALLS or name in UNSEEN_CALLS:
                skip.update(id(n) for arg in node.args for n in ast.walk(arg))
            if name in UNSEEN_CALLS:
                skip.update(id(n) for kw in node.keywords for n in ast.walk(kw.value))
            skip.update(
                id(n)
                for keyword in node.keywords
                if keyword.arg in UNSEEN_KEYWORDS
                for n in ast.walk(keyword.value)
            )
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id in CODE_CONSTANTS for t in node.targets
        ):
            skip.update(id(n) for n in ast.walk(node.value))
        if isinstance(node, ast.Compare | ast.Subscript | ast.Dict):
            # Compared with, used as a key: the code's own names ("queued", "test accuracy").
            parts = [node.left, *node.comparators] if isinstance(node, ast.Compare) else []
            parts += [node.slice] if isinstance(node, ast.Subscript) else []
            parts += [k for k in node.keys if k] if isinstance(node, ast.Dict) else []
            skip.update(id(n) for part in parts for n in ast.walk(part))
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        elif isinstance(node, ast.JoinedStr):
            text = "".join(
                v.value for v in node.values if isinstance(v, ast.Constant) and id(v) not in skip
            )
            skip.update(id(v) for v in node.values)
        else:
            continue
        if WORDS.search(text) and not text.lstrip().startswith(("<", "@", "[", "#", ".", "{")):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {text[:60]!r}")
    return found


def test_visible_words_go_through_the_catalogs():
    found = [line for path in VISIBLE for line in _english_literals(path)]
    assert not found, "English shown without the catalogs:\n" + "\n".join(found)


def test_every_message_is_translated_in_every_language_with_its_placeholders():
    problems = check()
    assert not problems, "\n".join(problems[:40]) + f"\n({len(problems)} in all)"


def test_the_catalogs_hold_the_pages_words():
    template = extract()
    for text in ("Draw a digit", "Why this answer?", "Inside the network", "It is a digit:"):
        assert template.get(text) is not None, text
    assert len(template) > 300


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang.tag != "en"])
def test_a_translated_sentence_keeps_its_digit_and_percent(language):
    _ = translator(language.tag)
    said = _("It's a {digit}! {percent} sure", digit=7, percent=_.percent(0.99))
    assert "7" in said and "99" in said
    assert said != "It's a 7! 99% sure"


def test_numbers_are_written_the_languages_way():
    # CLDR puts a no-break space before German and French percent signs (which one, plain or
    # narrow, has changed between CLDR releases): never a line break between 99,3 and %.
    assert re.fullmatch("99,3[\xa0\u202f]%", translator("de").percent(0.993, 1))
    assert re.fullmatch("99,3[\xa0\u202f]%", translator("fr").percent(0.993, 1))
    assert translator("en").percent(0.993, 1) == "99.3%"
    assert translator("de").number(60_000) == "60.000"
    assert translator("en").number(60_000) == "60,000"
    said = translator("de").render(
        msg("{share} of {count}", share=Percent(0.5), count=Number(1234))
    )
    assert "50\xa0%" in said and "1.234" in said


def test_plural_forms_follow_the_language():
    one = nmsg("{count} drawing", "{count} drawings", 1, count=Number(1))
    many = nmsg("{count} drawing", "{count} drawings", 3, count=Number(3))
    assert str(one) == "1 drawing" and str(many) == "3 drawings"


def test_a_placeholder_may_share_its_name_with_the_translators_own_arguments():
    """As the pages write it: `count` the plural's number and a placeholder's name alike."""
    _ = translator("en")
    said = _.plural("{count} drawing", "{count} drawings", 1234, count=_.number(1234))
    assert said == "1,234 drawings"
    assert _("{text} and {singular}", text="a", singular="b") == "a and b"
    assert str(msg("{text}", text="a")) == "a"


@pytest.mark.parametrize(
    "asked",
    ["", "xx", "klingon", "de" * 5000, "../../etc/passwd", "<script>", "\x00de", "en-XX-1-2"],
)
def test_junk_languages_get_english_or_their_primary_language(asked):
    assert choose(asked, None, None).tag == "en" or find(asked) is not None


def test_browser_languages_are_matched_by_their_first_part():
    assert choose(None, None, "de-AT").tag == "de"
    assert choose(None, None, "pt-PT").tag == "pt-BR"
    assert choose(None, None, "zh-TW").tag == "zh-Hans"
    assert choose(None, None, "ja-JP").tag == "en"
    assert choose("fr", "de", "es").tag == "fr"
    assert choose(None, "de", "es").tag == "de"


def test_placeholders_are_read_from_the_braces():
    assert placeholders("It's a {digit}! {percent} sure") == {"digit", "percent"}
    with pytest.raises(ValueError):
        placeholders("a stray { brace")
