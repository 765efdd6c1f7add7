"""The sidebar's teacher forms as plain HTML: the code posted to the server, not to Streamlit.

Plain forms because only an HTTP answer can set a cookie (see mnist_core.access.cookie_routes):
no JavaScript, a real <label>, keyboard and screen readers as any web form; styled to
sit among Streamlit's own sidebar fields (its light theme, .streamlit/config.toml). The
labels come from the page, in the visitor's language.
"""

from __future__ import annotations

from html import escape

_STYLE = """<style>
.dl-teacher { margin: 0; font-family: inherit; color: inherit; }
.dl-teacher label { display: block; font-size: 14px; line-height: 1.6; margin-bottom: 4px; }
.dl-teacher input[type=password] {
  box-sizing: border-box; width: 100%; height: 40px; padding: 8px 12px;
  font: inherit; font-size: 14px; color: inherit;
  background: rgb(241, 240, 238); border: 1px solid rgb(215, 211, 207); border-radius: 8px;
}
.dl-teacher input[type=password]:focus { outline: none; border-color: rgb(197, 57, 72); }
.dl-teacher input[type=password]:focus-visible { box-shadow: 0 0 0 1px rgb(197, 57, 72); }
.dl-teacher #dl-teacher-code + button { margin-top: 16px; }
.dl-teacher button {
  min-height: 40px; padding: 4px 12px; font: inherit; color: inherit;
  background: rgb(255, 255, 255); border: 1px solid rgb(215, 211, 207); border-radius: 8px;
  cursor: pointer;
}
.dl-teacher button:hover { border-color: rgb(197, 57, 72); color: rgb(197, 57, 72); }
.dl-teacher button:focus-visible {
  outline: none; box-shadow: 0 0 0 3px rgba(197, 57, 72, 0.5);
}
</style>"""


def code_form(action: str, back: str, label: str, button: str) -> str:
    """The field the teacher types the code into and its button, posting to `action`;
    `back` is the page the server sends the browser back to."""
    return (
        f'{_STYLE}<form class="dl-teacher" method="post" action="{escape(action)}">'
        f'<input type="hidden" name="back" value="{escape(back)}">'
        f'<label for="dl-teacher-code">{escape(label)}</label>'
        '<input id="dl-teacher-code" name="code" type="password" autocomplete="off" '
        'autocapitalize="off" spellcheck="false" required maxlength="200">'
        f'<button type="submit">{escape(button)}</button></form>'
    )


def leave_form(action: str, back: str, button: str) -> str:
    """One button that posts to `action`, which ends the teacher's pass."""
    return (
        f'{_STYLE}<form class="dl-teacher" method="post" action="{escape(action)}">'
        f'<input type="hidden" name="back" value="{escape(back)}">'
        f'<button type="submit">{escape(button)}</button></form>'
    )
