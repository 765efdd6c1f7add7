"""Every page in every language, in a real browser: no line left in English, a browser set to
German gets German with no ?lang=, junk in ?lang= gets English, and Chinese is drawn with
real glyphs, not boxes."""

import re

import pytest

from mnist_core.i18n.catalogs import read_catalog
from mnist_core.i18n.languages import BY_TAG, ENGLISH, LANGUAGES, Language
from mnist_core.i18n.translator import translator
from tests.conftest import app_tab, draw

OTHERS = [language for language in LANGUAGES if language is not ENGLISH]
# Words English sentences are made of and none of the other five languages writes alone.
ENGLISH_WORDS = {"the", "and", "with", "your", "you", "this", "that", "of", "is", "are", "to"}
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
PAGES = {  # the address of each page, and a sentence that shows it has run to its end
    "draw": ("", "Brush width"),
    "train": ("train", "Start training"),
    "class": ("class", "Show only"),
}


def english_pieces(language: Language) -> set[str]:
    """The runs of two words or more between the placeholders of the app's English
    messages that the language's own translations do not also say (a name such as
    `model.fit` is the same in every language)."""
    catalog = read_catalog(language)
    translated = " ".join(
        " ".join(m.string) if isinstance(m.string, tuple | list) else m.string
        for m in catalog
        if m.id
    )
    pieces = set()
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        for text in filter(None, ids):
            for part in PLACEHOLDER.split(text.replace("*", "").replace("`", "")):
                for line in part.splitlines():
                    piece = line.strip(" .,:;!?()\"'-")
                    if len(piece.split()) >= 2 and len(piece) >= 10 and piece not in translated:
                        pieces.add(piece)
    return pieces


def english_lines(text: str, pieces: set[str]) -> list[str]:
    """The lines of a page's text that are English: a piece of an English message, or two
    of English's own little words."""
    found = []
    for line in text.splitlines():
        words = set(re.findall(r"[a-z]+", line.lower()))
        if len(words & ENGLISH_WORDS) >= 2 or any(piece in line for piece in pieces):
            found.append(line)
    return found


def open_page(tab, app_url: str, page: str, query: str, wait_for: str) -> None:
    tab.goto(f"{app_url}/{page}{query}")
    tab.get_by_text(wait_for).first.wait_for()
    tab.wait_for_function(  # Streamlit's running indicator gone: the run has ended
        "() => !document.querySelector('[data-testid=stStatusWidget]')"
    )


@pytest.mark.parametrize("language", OTHERS, ids=[lang.tag for lang in OTHERS])
def test_every_page_speaks_the_language_with_no_line_left_in_english(
    browser, app_url, request, language
):
    _ = translator(language.tag)
    pieces = english_pieces(language)
    with app_tab(browser, app_url, request, viewport={"width": 1400, "height": 1000}) as tab:
        for name, (path, ready) in PAGES.items():
            open_page(tab, app_url, path, f"?lang={language.tag}", _(ready))
            if name == "draw":
                draw(tab, [[(140, 50), (140, 230)]])
                tab.wait_for_function(
                    "() => /\\d/.test(document.querySelector('.st-key-prediction').innerText)"
                )
            text = tab.locator("body").inner_text()
            left = english_lines(text, pieces)
            assert not left, f"{language.tag} /{path}: English lines {left}"
            assert tab.locator("html").get_attribute("lang") == language.tag


def test_a_browser_set_to_german_gets_german_without_lang(browser, app_url, request):
    de = translator("de")
    with app_tab(browser, app_url, request, locale="de-DE") as tab:
        tab.get_by_role("link", name=de("Train")).wait_for()
        tab.get_by_text(de("Brush width")).first.wait_for()
        assert "lang=" not in tab.url


@pytest.mark.parametrize("junk", ["xx", "x" * 5000, "de'><script>", "tlh-Latn", "%00"])
def test_junk_in_lang_gets_english_and_no_traceback(browser, app_url, request, junk):
    with app_tab(browser, app_url, request) as tab:
        open_page(tab, app_url, "", f"?lang={junk}", "Brush width")
        assert tab.locator("[data-testid=stException]").count() == 0
        assert tab.get_by_role("link", name="Train").count() == 1


def test_chinese_is_drawn_with_real_glyphs(browser, app_url, request):
    """Boxes for missing glyphs are all alike: the page's own characters drawn in the page's
    own font must all differ."""
    zh = translator("zh-Hans")
    with app_tab(browser, app_url, request) as tab:
        open_page(tab, app_url, "train", "?lang=zh-Hans", zh("Start training"))
        button = tab.get_by_role("button", name=zh("Start training"))
        characters = sorted(set(re.findall(r"[\u4e00-\u9fff]", zh("Start training"))))
        assert len(characters) >= 2
        distinct = button.evaluate(
            """(element, characters) => {
                const font = getComputedStyle(element).fontFamily;
                const canvas = document.createElement('canvas');
                canvas.width = canvas.height = 64;
                const context = canvas.getContext('2d');
                context.font = `48px ${font}`;
                const drawn = characters.map(character => {
                    context.clearRect(0, 0, 64, 64);
                    context.fillText(character, 4, 52);
                    return context.getImageData(0, 0, 64, 64).data.join(',');
                });
                return new Set(drawn).size;
            }""",
            characters,
        )
        assert distinct == len(characters)


def test_the_english_finder_sees_english_and_passes_over_german():
    """The check above could fail: the English page's own lines are found, German are not."""
    pieces = english_pieces(BY_TAG["de"])
    de = translator("de")
    english = ["Draw a digit on the canvas", "Brush width", "Start training"]
    assert english_lines("\n".join(english), pieces) == english
    assert english_lines("\n".join(de(line) for line in english), pieces) == []
    assert english_lines("Run 3: the model is ready", set()) != []  # English's own words
