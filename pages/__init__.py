"""The app's pages, and what they share: one training registry per server, models loaded once.

Page scripts live beside this file. This file is not a page: Streamlit's old multipage mode
skips __init__.py.
"""

from __future__ import annotations

import functools
import json
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import streamlit as st

from mnist_core.access.cookie_routes import CODE_SAID, LEAVE_ROUTE, TEACHER_ROUTE, route_path
from mnist_core.access.cookies import (
    STUDENT_COOKIE,
    TEACHER_COOKIE,
    TEACHER_SECONDS,
    cookie_secret,
    is_teacher_pass,
    student_id,
)
from mnist_core.access.roles import (
    CodeGuard,
    Refusal,
    Visitor,
    code_warning,
    configured_code,
    server_code,
)
from mnist_core.i18n import Message, msg
from mnist_core.i18n.languages import BY_TAG, LANGUAGES, Language, choose, find
from mnist_core.i18n.translator import Translator, translator
from mnist_core.presentation.join import join_address
from mnist_core.presentation.model_picker import BUNDLED_KEY, ModelChoice, model_menu
from mnist_core.presentation.teacher_form import code_form, leave_form
from mnist_core.runs.registry import TrainingRegistry
from mnist_core.serving.model_files import ModelFileError, load_model
from mnist_core.serving.network import MLP
from mnist_core.storage.class_settings import ClassSettings
from mnist_core.storage.database import StorageError, open_database
from mnist_core.storage.drawings import ClassDrawings
from mnist_core.storage.locations import data_dir, database_url, models_dir

APP_RAN = "_digit_lab_app_ran"
SESSION_ID = "_digit_lab_session"
# Set by tests only (AppTest cannot send cookies): no widget has this key, and Streamlit never
# reads a browser's widget state into a key no widget of the page registered.
TEACHER = "_digit_lab_teacher"


def navigation():
    """The app's pages, in menu order; app.py runs whichever the address names. Their
    addresses stay English (/train, /class) whatever the menu says, so a join link works
    in every language."""
    _ = tr()
    return st.navigation(
        [
            st.Page("pages/draw.py", title=_("Draw"), icon=":material/draw:", default=True),
            st.Page(
                "pages/train.py",
                title=_("Train"),
                icon=":material/model_training:",
                url_path="train",
            ),
            st.Page("pages/class.py", title=_("Class"), icon=":material/groups:", url_path="class"),
        ]
    )


def through_app() -> None:
    """Call first in every page: make sure the visit went through app.py.

    On a fresh server whose first visitor opens a page's own address (/train), Streamlit
    runs that page file directly, in its old pages-folder mode: no app.py, no page config,
    every file listed. Declaring the navigation turns that mode off for the server, and the
    rerun then goes through app.py to the same page.
    """
    if not st.session_state.get(APP_RAN):
        navigation()
        st.rerun()


_class_stores: dict[str, ClassDrawings] = {}
_opening_store = threading.RLock()  # class_settings() opens the store while holding it


def class_store() -> ClassDrawings:
    """The class's drawings, shared by every session; raises StorageError with a sentence.

    Kept in a module dictionary, not st.cache_resource: any browser can send Streamlit's
    "clear cache" message, which would open a new database engine each time and forget the
    label rate. A database that cannot be opened raises and is not kept: the next visit
    tries again."""
    url = database_url()
    with _opening_store:
        if url not in _class_stores:
            _class_stores[url] = ClassDrawings(open_database(url))
        return _class_stores[url]


def configured_teacher_code() -> str:
    """$DIGITLAB_TEACHER_CODE, else `teacher_code` in Streamlit's secrets, else "" (none)."""
    try:
        secret = st.secrets.get("teacher_code")
    except FileNotFoundError:  # no secrets file at all
        secret = None
    return configured_code(secret if isinstance(secret, str) else None)


def teacher_code() -> str:
    """The code that makes a browser session the teacher: the configured one, else the one
    generated and kept in the data folder (printed in the terminal when the app starts)."""
    return server_code(configured_teacher_code(), data_dir())


def announce() -> None:
    """Printed in the terminal that starts the app, like Jupyter's token: the teacher code
    (when generated) and the address students open."""
    configured = configured_teacher_code()
    if configured:
        print("Digit Lab: the teacher code is the one you set.", flush=True)
        warning = code_warning(configured)
        if warning:
            print(f"Digit Lab: warning: {warning}.", flush=True)
    else:
        print(f"\nTeacher code: {teacher_code()}", flush=True)
    port = st.get_option("server.port")
    print(f"Students open: {join_address(f'http://localhost:{port}')}\n", flush=True)


# A module global, not st.cache_resource: any browser can send Streamlit's "clear cache"
# message, which would start the count afresh and give a guesser endless tries.
_CODE_GUARD = CodeGuard()


def code_guard() -> CodeGuard:
    """One count of wrong codes for the whole server, per address and in all: a new session
    gets no fresh tries."""
    return _CODE_GUARD


def visitor() -> Visitor:
    """This browser session as the server judges it: the teacher only with a pass the server
    signed when the code was entered (its cookie), for the code of now; or, in AppTest
    tests, with the TEACHER flag in the session."""
    return Visitor(session_id(), bool(st.session_state.get(TEACHER, False)) or _has_pass())


def _has_pass() -> bool:
    value = _cookie(TEACHER_COOKIE)
    if value is None:  # a student: no files read
        return False
    return is_teacher_pass(value, cookie_secret(data_dir()), teacher_code(), time.time())


def _cookie(name: str) -> str | None:
    """A cookie as the browser sent it when this session's websocket opened. Under AppTest
    the runtime is a stand-in whose cookies are not strings: none."""
    value = st.context.cookies.get(name)
    return value if isinstance(value, str) else None


def route(name: str) -> str:
    """The address of one of app.py's own routes (mnist_core.access.cookie_routes)."""
    return route_path(st.get_option("server.baseUrlPath") or "", name)


def teacher_panel() -> None:
    """In the sidebar of every page: the teacher code, entered once per browser; it lasts
    12 hours, across reloads and tabs, until *Leave teacher mode* or a new code."""
    refusal = Refusal.from_flag(st.query_params.get(CODE_SAID))
    if CODE_SAID in st.query_params:
        del st.query_params[CODE_SAID]  # said once: a reload does not say it again
    _ = tr()
    if visitor().teacher:
        st.markdown(":material/school: **" + _("Teacher") + "**")
        st.html(leave_form(route(LEAVE_ROUTE), page_address(), _("Leave teacher mode")))
        hours = TEACHER_SECONDS // 3600
        st.caption(
            _.plural(
                "This browser stays the teacher for {hours} hour, or until you leave.",
                "This browser stays the teacher for {hours} hours, or until you leave.",
                hours,
                hours=_.number(hours),
            )
        )
        return
    st.html(code_form(route(TEACHER_ROUTE), page_address(), _("Teacher code"), _("Enter")))
    if refusal is not None:
        st.error(_.render(refusal.sentence()))


def page_address() -> str:
    """This page's path and query, where the code's form sends the browser back to."""
    path = urlsplit(st.context.url or "").path or "/"
    query = {k: v for k, v in st.query_params.to_dict().items() if k != CODE_SAID}
    return f"{path}?{urlencode(query)}" if query else path


def session_id() -> str:
    """An anonymous id for this browser: its student id cookie, so a reload or a new tab is
    the same student (the class's drawings carry no names). Without one (a browser that
    refuses cookies, AppTest), an id for this browser session alone."""
    kept = student_id(_cookie(STUDENT_COOKIE))
    return kept or st.session_state.setdefault(SESSION_ID, uuid.uuid4().hex)


def pick_model(label: str, key: str, help: str) -> ModelChoice:
    """The model picker both pages use: the same list, the bundled model first, and a line
    naming any saved file left out of it and why."""
    _ = tr()
    menu = model_menu(models_dir(), registry().runs(), _)
    choices = {c.key: c for c in menu.choices}
    if st.session_state.get(key) not in choices:
        found = menu.choice_for(st.session_state.get(key))
        st.session_state[key] = BUNDLED_KEY if found is None else found.key
    picked = st.selectbox(
        label, list(choices), format_func=lambda k: choices[k].label, key=key, help=help
    )
    if menu.left_out:
        reasons = " ".join(_("{reason}.", reason=_.render(why)) for _name, why in menu.left_out)
        st.caption(_("Left out of the list: {reasons}", reasons=reasons))
    return choices[picked]


_making_registry = threading.Lock()


def registry() -> TrainingRegistry:
    """Every session of this server sees the same runs and the same waiting line.

    Kept by functools, not st.cache_resource: any browser can send Streamlit's "clear cache"
    message, which would start a second registry beside the first (its runs out of sight,
    the line's limits and Only the teacher starts training forgotten)."""
    with _making_registry:
        return _the_registry()


@functools.cache
def _the_registry() -> TrainingRegistry:
    return TrainingRegistry.from_env()


@st.cache_resource(max_entries=16)
def _load(path: str, modified: float) -> MLP | Message | str:
    """The network, or why the file cannot be used: a bad file is not read on every stroke."""
    del modified  # part of the cache key: a replaced file is read again
    try:
        return load_model(path).network
    except ModelFileError as exc:  # its Message, translated where it is shown
        return exc.args[0] if exc.args else str(exc)


def network_for(choice: ModelChoice) -> MLP | None:
    """The weights behind a picker entry; a training run's are its latest snapshot, or once
    it is let go of (or the server restarted), its checkpoint file.

    Raises ModelFileError, with the reason, for a file that cannot be used (any more).
    """
    if choice.run_id is not None:
        run = registry().get(choice.run_id)
        if run is not None and run.live_network is not None:
            return run.live_network
        if run is None or not run.checkpoint:
            return None
    path = Path(run.checkpoint if choice.run_id is not None else choice.path)
    try:
        modified = path.stat().st_mtime
    except OSError:
        raise ModelFileError(msg("{file} is no longer there", file=path.name)) from None
    loaded = _load(str(path), modified)
    if not isinstance(loaded, MLP):
        raise ModelFileError(loaded)
    return loaded


# The visitor's language ----------------------------------------------------------------

LANGUAGE_PICK = "_digit_lab_language"  # the language this student picked in the sidebar
_class_settings: dict[str, ClassSettings] = {}


def class_settings() -> ClassSettings:
    """The class's settings (its language), shared by every session of this server."""
    url = database_url()
    with _opening_store:
        if url not in _class_settings:
            _class_settings[url] = ClassSettings(class_store().engine)
        return _class_settings[url]


def class_language() -> str:
    """The class's language as the teacher set it; "" when unset or the database is away
    (a page in the browser's language beats no page at all)."""
    try:
        return class_settings().language()
    except StorageError:
        return ""


def language() -> Language:
    """This visitor's language: ?lang= in the address (the sidebar's menu sets it), the class's,
    $DIGITLAB_LANGUAGE, the browser's, English. The student's own pick is kept for the
    session, so moving between pages (which drops the address's query) keeps it."""
    asked = find(st.query_params.get("lang"))
    if asked is not None:
        st.session_state[LANGUAGE_PICK] = asked.tag
    picked = st.session_state.get(LANGUAGE_PICK)
    return choose(picked, class_language(), st.context.locale)


def tr() -> Translator:
    """The translator for this visitor's language: pages call it `_`."""
    return translator(language().tag)


def language_menu() -> None:
    """In the sidebar: the student's own language, for this browser session."""
    current = language()
    tags = [known.tag for known in LANGUAGES]
    picked = st.selectbox(
        ":material/translate: " + tr()("Language"),
        tags,
        index=tags.index(current.tag),
        format_func=lambda tag: BY_TAG[tag].name,
        key="language-menu",
    )
    if picked != current.tag:
        st.session_state[LANGUAGE_PICK] = picked
        st.query_params["lang"] = picked
        st.rerun()


# WCAG 2.1 AA for Streamlit's own elements: its captions and help texts are a faded grey
# (about 4.2:1 on white), the app's own grey reads 5.3:1; keyboard focus always shows, a
# dark ring on anything the keyboard reaches.
AA_MARK = "digit-lab-aa"  # names the style, so a test knows when it is in the page
AA_STYLE = f"""<style>
/* {AA_MARK} */
[data-testid=stCaptionContainer], [data-testid=stCaptionContainer] p {{
  color: #5f6b7a; opacity: 1;
}}
:focus-visible {{ outline: 3px solid #1a5fb4 !important; outline-offset: 2px; }}
</style>"""


def page_head(tag: str) -> None:
    """What every page needs in its head: its language, told to the browser (and screen
    readers, and the fonts it picks: Streamlit's page says `<html lang="en">` whatever it
    shows), and the style that keeps Streamlit's own elements AA."""
    st.html(
        AA_STYLE + f"<script>document.documentElement.lang = {json.dumps(tag)};</script>",
        unsafe_allow_javascript=True,
    )
