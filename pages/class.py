"""Class page: the class's digits on a wall for the projector, how well a model reads them,
how to join, and the digits as files."""

from __future__ import annotations

import html

import streamlit as st

from mnist_core.access.roles import NotAllowed
from mnist_core.i18n.languages import BY_TAG, LANGUAGES, configured
from mnist_core.presentation.charts import confusion_chart
from mnist_core.presentation.class_wall import per_digit_rows, score, wall_html
from mnist_core.presentation.join import join_addresses, qr_png, with_language
from mnist_core.serving.evaluation import Evaluation
from mnist_core.serving.model_files import ModelFileError, read_metadata
from mnist_core.serving.model_listing import model_info
from mnist_core.storage.database import StorageError
from mnist_core.storage.drawings import ClassDrawings, StoredDrawing
from mnist_core.storage.export import npz_bytes, zip_bytes
from pages import (
    class_language,
    class_settings,
    class_store,
    network_for,
    pick_model,
    registry,
    through_app,
    tr,
    visitor,
)

through_app()
_ = tr()

WALL_SIZE = 48  # the newest drawings on the wall
TEACHER_COLUMNS = 6  # the teacher's wall, with a Remove button under each picture
TEACHER_ERROR = "_class_teacher_error"
CONFIRM_CLEAR = "_class_confirm_clear"
REFRESH_SECONDS = 2.0

# The "Show only" digits wrap onto a second row on a narrow phone instead of running off it.
CLASS_STYLE = """<style>
.st-key-wall-digit [data-testid=stButtonGroup] > div { flex-wrap: wrap; }
</style>"""
st.html(CLASS_STYLE)
st.title(_("The class's digits"))


def join_box() -> None:
    """The address in large type and as a QR code, so a class joins from phones in seconds."""
    server = configured()  # $DIGITLAB_LANGUAGE, where the teacher set none on this page
    language = class_language() or (server.tag if server else "")
    address, *others = (with_language(a, language) for a in join_addresses(st.context.url))
    with st.container(key="join-address"):
        text_col, code_col = st.columns([3, 1], vertical_alignment="center")
        text_col.markdown("**" + _("Join from your phone or laptop:") + "**")
        text_col.markdown(
            "<div style='font-size:clamp(26px,3.5vw,52px);font-weight:700;"
            f"word-break:break-all'>{html.escape(address)}</div>",
            unsafe_allow_html=True,
        )
        if others:
            text_col.caption(
                _("If that does not open, try: {addresses}", addresses=", ".join(others))
            )
        text_col.caption(
            _(
                "Draw a digit, then tap {right} or tell it what it really is.",
                right=_("Right"),
            )
        )
        code_col.image(
            qr_png(address),
            width=180,
            caption=_("QR code of {address}", address=address),
            alt=_("QR code of {address}", address=address),
        )


def mnist_accuracy(choice) -> float | None:
    """The chosen model's accuracy on the MNIST test set, where it is known."""
    if choice.run_id is not None:
        run = registry().get(choice.run_id)
        result = None if run is None else run.result
        return None if result is None else result.evaluation.accuracy
    return model_info(choice.path, read_metadata(choice.path)).test_accuracy


@st.fragment(run_every=REFRESH_SECONDS)
def live_section(store: ClassDrawings) -> None:
    """Score, wall and details, redrawn every couple of seconds while the page is open, so a
    projector follows the class without anyone touching it."""
    choice = pick_model(
        _("Model to score"),
        "class-model",
        _("Any model of the Draw page's list, scored on every drawing the class kept."),
    )
    try:
        network = network_for(choice)
        collection = store.collection()
        mnist = mnist_accuracy(choice)
    except (StorageError, ModelFileError) as exc:
        st.warning(_.render(exc))
        return
    evaluation = None if network is None else score(network, collection)
    with st.container(key="class-score"):
        count = len(collection)
        if evaluation is None:
            st.markdown(
                "### "
                + (
                    _.plural(
                        "{count} labelled drawing",
                        "{count} labelled drawings",
                        count,
                        count=_.number(count),
                    )
                    if count
                    else _("No labelled drawings yet: draw a digit on the Draw page and label it")
                )
            )
        else:
            st.markdown(
                "### "
                + _.plural(
                    "{count} labelled drawing: the model reads {percent} of them right",
                    "{count} labelled drawings: the model reads {percent} of them right",
                    count,
                    count=_.number(count),
                    percent=_.percent(evaluation.accuracy, 1),
                )
            )
            if mnist is not None:
                st.caption(
                    _(
                        "On {count} test digits it never saw while learning (MNIST's test set, "
                        "written by American students and staff) it reads {percent} right.",
                        count=_.number(10_000),
                        percent=_.percent(mnist, 2),
                    ),
                    help=_(
                        "MNIST: {all} handwritten digits collected in the 1990s; networks "
                        "learn from {train} of them and are scored on the other {test}.",
                        all=_.number(70_000),
                        train=_.number(60_000),
                        test=_.number(10_000),
                    ),
                )
    wall(store)
    if evaluation is not None:
        details(evaluation)


def details(evaluation: Evaluation) -> None:
    """Per digit: how many the class drew and how many are read right; the confusions."""
    st.markdown("#### " + _("Digit by digit"))
    table_col, chart_col = st.columns([2, 3], gap="large")
    table_col.dataframe(
        per_digit_rows(evaluation),
        hide_index=True,
        width="stretch",
        column_config={
            "digit": st.column_config.TextColumn(_("digit")),
            "drawings": st.column_config.NumberColumn(_("drawings")),
            "read right": st.column_config.ProgressColumn(
                _("read right"), format="percent", min_value=0.0, max_value=1.0
            ),
        },
    )
    chart_col.altair_chart(
        confusion_chart(
            evaluation.confusion, _("Which digit was read as which (class drawings)"), _
        ),
        width="stretch",
    )


def teacher_wall(store: ClassDrawings, drawings: list[StoredDrawing]) -> None:
    for start in range(0, len(drawings), TEACHER_COLUMNS):
        for column, drawing in zip(
            st.columns(TEACHER_COLUMNS), drawings[start : start + TEACHER_COLUMNS]
        ):
            with column:
                st.html(wall_html([drawing], _))
                st.button(
                    _("Remove"),
                    key=f"remove-{drawing.id}",
                    on_click=remove_drawing,
                    args=(store.remove, drawing.id),
                    width="stretch",
                )
                st.button(
                    _("Remove all from this student"),
                    key=f"remove-session-{drawing.id}",
                    on_click=remove_drawing,
                    args=(store.remove_session, drawing.id),
                    width="stretch",
                    help=_("Every drawing this student's browser kept."),
                )


def remove_drawing(removal, drawing_id: int) -> None:
    """Run a teacher's removal (one drawing, or a student's all); a refusal is one sentence."""
    try:
        removal(drawing_id, visitor())
    except (NotAllowed, StorageError) as exc:
        st.session_state[TEACHER_ERROR] = _.render(exc)


def clear_section(store: ClassDrawings) -> None:
    """Clearing every drawing takes two clicks: the second says how many will go."""
    if not st.session_state.get(CONFIRM_CLEAR):
        st.button(
            _("Clear all the class's drawings"),
            on_click=st.session_state.__setitem__,
            args=(CONFIRM_CLEAR, True),
        )
        return
    count = store.count()
    shown = _.number(count)
    st.warning(
        _.plural(
            "Remove the class's {count} drawing? This cannot be undone.",
            "Remove all {count} drawings of the class? This cannot be undone.",
            count,
            count=shown,
        )
    )
    yes_col, no_col = st.columns(2)
    yes_col.button(
        _("Yes, remove all {count}", count=shown), type="primary", on_click=clear, args=(store,)
    )
    no_col.button(_("Cancel"), on_click=st.session_state.pop, args=(CONFIRM_CLEAR, None))


def clear(store: ClassDrawings) -> None:
    st.session_state.pop(CONFIRM_CLEAR, None)
    try:
        store.clear(visitor())
    except (NotAllowed, StorageError) as exc:
        st.session_state[TEACHER_ERROR] = _.render(exc)


def export_section(store: ClassDrawings) -> None:
    st.markdown("#### " + _("Take the digits with you"))
    me = visitor()  # the store checks again that this is the teacher
    npz_col, zip_col = st.columns(2)
    npz_col.download_button(
        _("Download as .npz (MNIST's layout)"),
        data=lambda: npz_bytes(store.export(me)[0]),
        file_name="class-digits.npz",
        mime="application/octet-stream",
        help=_(
            "For programs: x holds the pictures (28 by 28 grey values, 0 to 255), y what "
            "each digit really is, laid out as in Keras's mnist.npz."
        ),
    )
    zip_col.download_button(
        _("Download as PNG images (.zip)"),
        data=lambda: zip_bytes(*store.export(me)),
        file_name="class-digits.zip",
        mime="application/zip",
        help=_("One folder per digit, and the drawings as they were drawn."),
    )


def wall(store: ClassDrawings) -> None:
    """The newest drawings, marked with their label and what the network read; the teacher's
    wall has a Remove button under each."""
    digit_col, wrong_col = st.columns([3, 2], vertical_alignment="bottom")
    digit = digit_col.segmented_control(
        _("Show only"), [str(d) for d in range(10)], key="wall-digit", help=_("Pick a digit.")
    )
    wrong_only = wrong_col.toggle(_("Only the ones the network got wrong"), key="wall-wrong")
    try:
        drawings = store.newest(WALL_SIZE, None if digit is None else int(digit), wrong_only)
    except StorageError as exc:
        st.warning(_.render(exc))
        return
    with st.container(key="class-wall"):
        problem = st.session_state.pop(TEACHER_ERROR, None)
        if problem:
            st.error(problem)
        if drawings and visitor().teacher:
            teacher_wall(store, drawings)
        elif drawings:
            st.html(wall_html(drawings, _))
            st.caption(
                _(
                    "Green with a tick: the network read it right when it was drawn. Orange "
                    "with a cross: it did not. The newest {count} are shown.",
                    count=WALL_SIZE,
                )
            )
        else:
            st.info(_("No drawings here yet."))


def language_section() -> None:
    """The teacher sets the class's language: every student's page, new or reloaded, on
    every app server, and the join address and its QR code, follow it."""
    st.markdown("#### " + _("The class's language"))
    tags = ["", *(language.tag for language in LANGUAGES)]
    current = class_language()
    st.selectbox(
        _("Language of every student's pages"),
        tags,
        index=tags.index(current) if current in tags else 0,
        format_func=lambda tag: BY_TAG[tag].name if tag else _("Each browser's own language"),
        key="class-language",
        on_change=set_class_language,
        help=_(
            "A student can still pick another language for themself in the sidebar. The join "
            "address and its QR code open the pages in this language."
        ),
    )


def set_class_language() -> None:
    try:
        class_settings().set_language(st.session_state.get("class-language", ""), visitor())
    except (NotAllowed, StorageError) as exc:
        st.session_state[TEACHER_ERROR] = _.render(exc)


join_box()
try:
    store = class_store()
except StorageError as exc:
    st.warning(_.render(exc))
else:
    live_section(store)
    if visitor().teacher:
        language_section()
        export_section(store)
        clear_section(store)
