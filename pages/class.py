"""Class page: the class's digits on a wall for the projector, how well a model reads them,
how to join, and the digits as files."""

from __future__ import annotations

import html

import streamlit as st

from mnist_core.presentation.charts import confusion_chart
from mnist_core.presentation.class_wall import per_digit_rows, score, wall_html
from mnist_core.presentation.join import join_addresses, qr_png
from mnist_core.roles import NotAllowed
from mnist_core.serving.evaluation import Evaluation
from mnist_core.serving.model_files import ModelFileError, read_metadata
from mnist_core.serving.model_listing import model_info
from mnist_core.storage.database import StorageError
from mnist_core.storage.drawings import ClassDrawings, StoredDrawing
from mnist_core.storage.export import npz_bytes, zip_bytes
from pages import class_store, network_for, pick_model, registry, through_app, visitor

through_app()

WALL_SIZE = 48  # the newest drawings on the wall
TEACHER_COLUMNS = 6  # the teacher's wall, with a Remove button under each picture
TEACHER_ERROR = "_class_teacher_error"
CONFIRM_CLEAR = "_class_confirm_clear"
REFRESH_SECONDS = 2.0

st.title("The class's digits")


def join_box() -> None:
    """The address in large type and as a QR code, so a class joins from phones in seconds."""
    address, *others = join_addresses(st.context.url)
    with st.container(key="join-address"):
        text_col, code_col = st.columns([3, 1], vertical_alignment="center")
        text_col.markdown("**Join from your phone or laptop:**")
        text_col.markdown(
            "<div style='font-size:clamp(26px,3.5vw,52px);font-weight:700;"
            f"word-break:break-all'>{html.escape(address)}</div>",
            unsafe_allow_html=True,
        )
        if others:
            text_col.caption("If that does not open, try: " + ", ".join(others))
        text_col.caption("Draw a digit, then tap Right or tell it what it really is.")
        code_col.image(qr_png(address), width=180)


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
        "Model to score",
        "class-model",
        "Any model of the Draw page's list, scored on every drawing the class kept.",
    )
    try:
        network = network_for(choice)
        collection = store.collection()
        mnist = mnist_accuracy(choice)
    except (StorageError, ModelFileError) as exc:
        st.warning(str(exc))
        return
    evaluation = None if network is None else score(network, collection)
    with st.container(key="class-score"):
        count = len(collection)
        if evaluation is None:
            st.markdown(
                f"### {count:,} labelled drawings"
                + ("" if count else ": draw a digit on the Draw page and label it")
            )
        else:
            st.markdown(
                f"### {count:,} labelled drawings: the model reads "
                f"{evaluation.accuracy:.1%} of them right"
            )
            if mnist is not None:
                st.caption(
                    f"On 10,000 test digits it never saw while learning (MNIST's test set, "
                    f"written by American students and staff) it reads {mnist:.2%} right.",
                    help="MNIST: 70,000 handwritten digits collected in the 1990s; networks "
                    "learn from 60,000 of them and are scored on the other 10,000.",
                )
    wall(store)
    if evaluation is not None:
        details(evaluation)


def details(evaluation: Evaluation) -> None:
    """Per digit: how many the class drew and how many are read right; the confusions."""
    st.markdown("#### Digit by digit")
    table_col, chart_col = st.columns([2, 3], gap="large")
    table_col.dataframe(
        per_digit_rows(evaluation),
        hide_index=True,
        width="stretch",
        column_config={
            "read right": st.column_config.ProgressColumn(
                "read right", format="percent", min_value=0.0, max_value=1.0
            )
        },
    )
    chart_col.altair_chart(
        confusion_chart(evaluation.confusion, "Which digit was read as which (class drawings)"),
        width="stretch",
    )


def teacher_wall(store: ClassDrawings, drawings: list[StoredDrawing]) -> None:
    for start in range(0, len(drawings), TEACHER_COLUMNS):
        for column, drawing in zip(
            st.columns(TEACHER_COLUMNS), drawings[start : start + TEACHER_COLUMNS]
        ):
            with column:
                st.html(wall_html([drawing]))
                st.button(
                    "Remove",
                    key=f"remove-{drawing.id}",
                    on_click=remove_drawing,
                    args=(store.remove, drawing.id),
                    width="stretch",
                )
                st.button(
                    "Remove all from this student",
                    key=f"remove-session-{drawing.id}",
                    on_click=remove_drawing,
                    args=(store.remove_session, drawing.id),
                    width="stretch",
                    help="Every drawing this student's browser kept.",
                )


def remove_drawing(removal, drawing_id: int) -> None:
    """Run a teacher's removal (one drawing, or a student's all); a refusal is one sentence."""
    try:
        removal(drawing_id, visitor())
    except (NotAllowed, StorageError) as exc:
        st.session_state[TEACHER_ERROR] = str(exc)


def clear_section(store: ClassDrawings) -> None:
    """Clearing every drawing takes two clicks: the second says how many will go."""
    if not st.session_state.get(CONFIRM_CLEAR):
        st.button(
            "Clear all the class's drawings",
            on_click=st.session_state.__setitem__,
            args=(CONFIRM_CLEAR, True),
        )
        return
    count = store.count()
    st.warning(f"Remove all {count:,} drawings of the class? This cannot be undone.")
    yes_col, no_col = st.columns(2)
    yes_col.button(f"Yes, remove all {count:,}", type="primary", on_click=clear, args=(store,))
    no_col.button("Cancel", on_click=st.session_state.pop, args=(CONFIRM_CLEAR, None))


def clear(store: ClassDrawings) -> None:
    st.session_state.pop(CONFIRM_CLEAR, None)
    try:
        store.clear(visitor())
    except (NotAllowed, StorageError) as exc:
        st.session_state[TEACHER_ERROR] = str(exc)


def export_section(store: ClassDrawings) -> None:
    st.markdown("#### Take the digits with you")
    me = visitor()  # the store checks again that this is the teacher
    npz_col, zip_col = st.columns(2)
    npz_col.download_button(
        "Download as .npz (MNIST's layout)",
        data=lambda: npz_bytes(store.export(me)[0]),
        file_name="class-digits.npz",
        mime="application/octet-stream",
        help="For programs: x holds the pictures (28 by 28 grey values, 0 to 255), y what "
        "each digit really is, laid out as in Keras's mnist.npz.",
    )
    zip_col.download_button(
        "Download as PNG images (.zip)",
        data=lambda: zip_bytes(*store.export(me)),
        file_name="class-digits.zip",
        mime="application/zip",
        help="One folder per digit, and the drawings as they were drawn.",
    )


def wall(store: ClassDrawings) -> None:
    """The newest drawings, marked with their label and what the network read; the teacher's
    wall has a Remove button under each."""
    digit_col, wrong_col = st.columns([3, 2], vertical_alignment="bottom")
    digit = digit_col.segmented_control(
        "Show only", [str(d) for d in range(10)], key="wall-digit", help="Pick a digit."
    )
    wrong_only = wrong_col.toggle("Only the ones the network got wrong", key="wall-wrong")
    try:
        drawings = store.newest(WALL_SIZE, None if digit is None else int(digit), wrong_only)
    except StorageError as exc:
        st.warning(str(exc))
        return
    with st.container(key="class-wall"):
        problem = st.session_state.pop(TEACHER_ERROR, None)
        if problem:
            st.error(problem)
        if drawings and visitor().teacher:
            teacher_wall(store, drawings)
        elif drawings:
            st.html(wall_html(drawings))
            st.caption(
                "Green: the network read it right when it was drawn. Orange: it did not. "
                f"The newest {WALL_SIZE} are shown."
            )
        else:
            st.info("No drawings here yet.")


join_box()
try:
    store = class_store()
except StorageError as exc:
    st.warning(str(exc))
else:
    live_section(store)
    if visitor().teacher:
        export_section(store)
        clear_section(store)
