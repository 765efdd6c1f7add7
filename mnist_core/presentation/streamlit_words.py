"""Streamlit's own words on the photo controls, in the visitor's language.

Streamlit writes a few English words into its file uploader and camera ("Upload", "Take
Photo", "Drag and drop a file here") and offers no setting for them. A German class would
read them in the middle of a German page, so a small script puts the catalog's words in
their place inside one container, again whenever Streamlit redraws it; the uploader's
size-and-type line, which cannot be matched word for word, is hidden, and the page writes
the same facts in its own label.
"""

from __future__ import annotations

import json

from mnist_core.i18n.translator import Translator


def words(tr: Translator) -> dict[str, str]:
    """Streamlit's English word -> the visitor's; only the ones the language changes."""
    # Translators: the words Streamlit shows on the photo controls (a file uploader, a camera).
    said = {
        "Upload": tr("Upload"),
        "Drag and drop a file here": tr("Drag and drop a file here"),
        "Take Photo": tr("Take Photo"),
        "Clear photo": tr("Clear photo"),
        "Switch camera": tr("Switch camera"),
        "Uploading...": tr("Uploading..."),
        "This app would like to use your camera.": tr("This app would like to use your camera."),
        "Learn how to allow access.": tr("Learn how to allow access."),
    }
    return {word: own for word, own in said.items() if own != word}


def translating_script(container: str, tr: Translator) -> str:
    """A <style> and <script> for st.html: Streamlit's words inside `.st-key-<container>`
    replaced by the language's (their text and the buttons' accessible names alike)."""
    replace = json.dumps(words(tr), ensure_ascii=False)
    selector = json.dumps(f".st-key-{container}")
    return f"""<style>
.st-key-{container} [data-testid=stFileUploaderDropzoneInstructions] {{ display: none; }}
</style><script>
(() => {{
  const words = {replace};
  if (!Object.keys(words).length) return;
  const translate = () => document.querySelectorAll({selector}).forEach((box) => {{
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {{
      const own = words[node.nodeValue.trim()];
      if (own !== undefined) node.nodeValue = own;
    }}
    box.querySelectorAll("[aria-label]").forEach((element) => {{
      const own = words[element.getAttribute("aria-label")];
      if (own !== undefined) element.setAttribute("aria-label", own);
    }});
  }});
  new MutationObserver(translate).observe(document.body,
    {{ childList: true, subtree: true, characterData: true }});
  translate();
}})();
</script>"""
