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

import streamlit as st

from mnist_core.i18n.languages import BY_TAG, LANGUAGES, Language, choose, find
from mnist_core.i18n.translator import Translator, translator
from mnist_core.presentation.join import join_address
from mnist_core.presentation.model_picker import BUNDLED_KEY, ModelChoice, model_menu
from mnist_core.roles import CodeGuard, Visitor, code_warning, configured_code, server_code
from mnist_core.runs.registry import TrainingRegistry
from mnist_core.serving.model_files import ModelFileError, load_model
from mnist_core.serving.network import MLP
from mnist_core.storage.class_settings import ClassSettings
from mnist_core.storage.database import StorageError, open_database
from mnist_core.storage.drawings import ClassDrawings
from mnist_core.storage.locations import data_dir, database_url, models_dir

APP_RAN = "_digit_lab_app_ran"
SESSION_ID = "_digit_lab_session"
TEACHER = "_digit_lab_teacher"  # set only after the teacher code was checked on the server
CODE_ENTRY = "_digit_lab_code_entry"
CODE_ERROR = "_digit_lab_code_error"


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
    """This browser session as the server judges it: the teacher only after the code was
    checked here."""
    return Visitor(session_id(), bool(st.session_state.get(TEACHER, False)))


def teacher_panel() -> None:
    """In the sidebar of every page: the teacher code, entered once per browser session."""
    if visitor().teacher:
        st.markdown(":material/school: **Teacher**")
        st.button("Leave teacher mode", on_click=st.session_state.pop, args=(TEACHER, None))
        st.caption("Reloading the page asks for the code again.")
        return
    with st.form("teacher", border=False, enter_to_submit=True):
        st.text_input("Teacher code", type="password", key=CODE_ENTRY)
        st.form_submit_button("Enter", on_click=enter_code)
    error = st.session_state.pop(CODE_ERROR, None)
    if error:
        st.error(error)


def enter_code() -> None:
    entered = st.session_state.get(CODE_ENTRY, "")
    st.session_state[CODE_ENTRY] = ""  # the code never stays in the page
    # Counted per address, so a prankster's guesses do not lock the teacher's machine out.
    source = st.context.ip_address or ""
    problem = code_guard().try_code(entered, teacher_code(), time.monotonic(), source)
    if problem is None:
        st.session_state[TEACHER] = True
    else:
        st.session_state[CODE_ERROR] = problem


def session_id() -> str:
    """An anonymous id for this browser session: the class's drawings carry no names."""
    return st.session_state.setdefault(SESSION_ID, uuid.uuid4().hex)


def pick_model(label: str, key: str, help: str) -> ModelChoice:
    """The model picker both pages use: the same list, the bundled model first, and a line
    naming any saved file left out of it and why."""
    menu = model_menu(models_dir(), registry().runs())
    choices = {c.key: c for c in menu.choices}
    if st.session_state.get(key) not in choices:
        found = menu.choice_for(st.session_state.get(key))
        st.session_state[key] = BUNDLED_KEY if found is None else found.key
    picked = st.selectbox(
        label, list(choices), format_func=lambda k: choices[k].label, key=key, help=help
    )
    if menu.left_out:
        st.caption("Left out of the list: " + " ".join(f"{why}." for _, why in menu.left_out))
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
def _load(path: str, modified: float) -> MLP | str:
    """The network, or why the file cannot be used: a bad file is not read on every stroke."""
    del modified  # part of the cache key: a replaced file is read again
    try:
        return load_model(path).network
    except ModelFileError as exc:
        return str(exc)


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
        raise ModelFileError(f"{path.name} is no longer there") from None
    loaded = _load(str(path), modified)
    if isinstance(loaded, str):
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
        ":material/translate: Language",
        tags,
        index=tags.index(current.tag),
        format_func=lambda tag: BY_TAG[tag].name,
        key="language-menu",
    )
    if picked != current.tag:
        st.session_state[LANGUAGE_PICK] = picked
        st.query_params["lang"] = picked
        st.rerun()


def page_language(tag: str) -> None:
    """Tell the browser (and screen readers, and the fonts it picks) the page's language:
    Streamlit's page says `<html lang="en">` whatever it shows."""
    st.html(
        f"<script>document.documentElement.lang = {json.dumps(tag)};</script>",
        unsafe_allow_javascript=True,
    )
