"""Draw page: draw a digit, see the 28x28 image the network gets and what it thinks."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import streamlit as st
from streamlit_drawable_canvas import st_canvas

from mnist_core.presentation.charts import activation_heatmap, probability_frame, probability_spec
from mnist_core.presentation.pictures import enlarge, weight_image
from mnist_core.serving import reading as rd
from mnist_core.serving.drawings import DrawingRefused, canvas_pixels
from mnist_core.serving.model_files import ModelFileError
from mnist_core.storage.database import StorageError
from mnist_core.storage.drawings import NewDrawing
from pages import class_store, network_for, pick_model, registry, session_id, through_app

through_app()

CANVAS = 280
CANVAS_GENERATION = "canvas_generation"  # a new number gives a new, blank canvas
PENDING = "_label_pending"  # the reading and drawing a label would keep
KEPT = "_label_kept"  # this session's last kept drawing
LABEL_ERROR = "_label_error"


class Kept(NamedTuple):
    id: int
    label: int
    total: int  # the class's drawings after this one was kept


TOP_UNITS = 8

# On a phone (Streamlit stacks columns below 640 px) the canvas and the answer come first,
# so both are in view while drawing; the model and brush follow them, the title shrinks.
# Touch screens cannot hover, so there the canvas's toolbar stays shown, with its own hint.
PAGE_STYLE = """<style>
@media (max-width: 640px) {
  [data-testid=stMainBlockContainer] { padding-top: 3.75rem; }
  .st-key-intro h1 { font-size: 1.5rem; padding: 0.25rem 0 0; }
  .st-key-intro [data-testid=stCaptionContainer] { display: none; }
  [data-testid=stMainBlockContainer] > [data-testid=stVerticalBlock] > :has(> .st-key-settings) {
    order: 1;
  }
}
/* Beside an open sidebar (a tablet held sideways) the canvas's column keeps the whole canvas
   and the answer's column gives way. */
@media (min-width: 641px) {
  [data-testid=stHorizontalBlock]:has([data-testid=stBidiComponentIsolated]) {
    flex-wrap: nowrap;
  }
  [data-testid=stColumn]:has([data-testid=stBidiComponentIsolated]) { min-width: 282px; }
}
@media (hover: hover) { .touch-hint { display: none; } }
@media (hover: none) { .hover-hint { display: none; } }
/* The block holding this style and the script below takes no room on the page. */
[data-testid=stVerticalBlock] > :has(> .st-key-page-setup) { display: none; }
</style>"""
# The canvas keeps its toolbar in a shadow root, out of reach of the page's CSS: this adds
# one rule there, for screens that cannot hover, to each canvas as it appears.
TOUCH_TOOLBAR = """<script>
(() => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync("@media (hover: none) { .dc-toolbar { opacity: 1; top: -2.65rem; } }");
  const pin = () => document.querySelectorAll("[data-testid=stBidiComponentIsolated]")
    .forEach((host) => {
      const root = host.shadowRoot;
      if (root && !root.adoptedStyleSheets.includes(sheet)) {
        root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
      }
    });
  new MutationObserver(pin).observe(document.body, { childList: true, subtree: true });
  pin();
})();
</script>"""
with st.container(key="page-setup"):
    st.html(PAGE_STYLE + TOUCH_TOOLBAR, unsafe_allow_javascript=True)

with st.container(key="intro"):
    st.title("Draw a digit")
    st.caption(
        "Draw one digit, 0 to 9, in the black square. After every stroke the network reads "
        "it: the drawing is shrunk to 28x28 pixels, the way the MNIST digits it learnt from "
        "were made."
    )

with st.container(key="settings"):
    picker_col, brush_col = st.columns([5, 6], gap="large")
    with picker_col:
        choice = pick_model(
            "Model", "model", "The bundled model, runs trained on the Train page, and saved models."
        )
    brush = brush_col.slider(
        "Brush width",
        8,
        40,
        20,
        key="brush",
        help="About 20 matches the pen strokes in MNIST once the drawing is shrunk.",
    )


def describe(reading: rd.Reading) -> None:
    """The verdict, big enough to read from the back of a classroom."""
    colour = {"confident": "#ff4b4b", "unsure": "#f0a030", "not_a_digit": "#9aa5b1"}
    big = "?" if reading.verdict == rd.BLANK else reading.digit
    st.markdown(
        f"<div style='font-size:110px;font-weight:700;line-height:1;"
        f"color:{colour.get(reading.verdict, '#d0d5dc')}'>{big}</div>",
        unsafe_allow_html=True,
    )
    if reading.verdict == rd.BLANK:
        st.markdown("### Draw a digit on the canvas")
        st.caption("The network's answer will appear here.")
        return
    if reading.verdict == rd.CONFIDENT:
        st.markdown(f"### {reading.confidence:.0%} sure")
    elif reading.verdict == rd.UNSURE:
        st.markdown(f"### Not sure: only {reading.confidence:.0%}")
        st.caption("Its best guess, but other digits are close. Try drawing it larger or clearer.")
    else:
        st.markdown("### That does not look like a digit")
        st.caption(
            f"It covers far more of the square than any MNIST digit; the network still "
            f"guesses something ({reading.confidence:.0%}), because it must."
        )


def inside(reading: rd.Reading, network) -> None:
    """Hidden-unit activity, and what the most active first-layer units respond to."""
    if reading.probabilities is None:
        st.write("Draw a digit to see how its hidden units respond.")
        return
    for number, activations in enumerate(reading.hidden, start=1):
        st.altair_chart(activation_heatmap(activations, number), width="stretch")
    first = reading.hidden[0]
    top = np.argsort(first)[::-1][:TOP_UNITS]
    st.markdown(
        f"**The {TOP_UNITS} most active units of layer 1, and the input weights they learnt.** "
        "Red pixels push a unit to fire, blue ones hold it back: each unit looks for a pattern "
        "of strokes."
    )
    cols = st.columns(TOP_UNITS // 2)
    for i, unit in enumerate(top):
        cols[i % len(cols)].image(
            weight_image(network.weights[0][:, unit]),
            caption=f"unit {unit}: {first[unit]:.2f}",
        )


def label_area(reading: rd.Reading, drawing: np.ndarray | None) -> None:
    """Under the reading: one tap tells the network the truth, and the drawing is kept."""
    # A fixed height, so what follows does not jump as the controls come and go.
    with st.container(height=170, border=False):
        error = st.session_state.pop(LABEL_ERROR, None)
        if error:
            st.error(error)
        if reading.verdict in (rd.CONFIDENT, rd.UNSURE) and drawing is not None:
            st.session_state[PENDING] = (reading, drawing, choice.label)
            st.button("Right", on_click=keep_right, type="primary", icon=":material/check:")
            st.segmented_control(
                "No, it's a",
                [str(digit) for digit in range(10)],
                key=f"truth-{st.session_state.get(CANVAS_GENERATION, 0)}",
                on_change=keep_choice,
                help="Was it wrong? Tap the digit you meant. Either answer adds your drawing "
                "to the class's collection.",
            )
            return
        st.session_state.pop(PENDING, None)
        kept = st.session_state.get(KEPT)
        if kept is not None:
            with st.container(key="labelled"):
                st.success(
                    f"Kept: your {kept.label} is in the class's collection, which now has "
                    f"{kept.total:,} digit{'s' if kept.total != 1 else ''}. Draw the next one!"
                )
                st.button("Take it back", on_click=take_back, icon=":material/undo:")
        elif reading.verdict == rd.BLANK:
            st.caption("When it has read your digit, tell it whether it was right.")


def keep_right() -> None:
    pending = st.session_state.get(PENDING)
    if pending is not None:
        keep(pending[0].digit)


def keep_choice() -> None:
    value = st.session_state.get(f"truth-{st.session_state.get(CANVAS_GENERATION, 0)}")
    if value is not None:
        keep(int(value))


def keep(label: int) -> None:
    """Keep the drawing just read with its true label, then clear the canvas for the next."""
    pending = st.session_state.pop(PENDING, None)
    if pending is None:
        return
    reading, drawing, model = pending
    try:
        store = class_store()
        kept_id = store.add(NewDrawing.from_reading(reading, drawing, label, model, session_id()))
        total = store.count()
    except StorageError as exc:
        st.session_state[LABEL_ERROR] = str(exc)
        return
    st.session_state[KEPT] = Kept(kept_id, label, total)
    st.session_state[CANVAS_GENERATION] = st.session_state.get(CANVAS_GENERATION, 0) + 1


def take_back() -> None:
    kept = st.session_state.pop(KEPT, None)
    if kept is None:
        return
    try:
        class_store().take_back(kept.id, session_id())
    except StorageError as exc:
        st.session_state[KEPT] = kept
        st.session_state[LABEL_ERROR] = str(exc)


def chosen_run_is_training() -> bool:
    if choice.run_id is None:
        return False
    run = registry().get(choice.run_id)
    return run is not None and run.active


live = chosen_run_is_training()


@st.fragment(run_every=1.0 if live else None)
def drawing_area() -> None:
    """Canvas and reading rerun on their own for each stroke, without the rest of the page,
    and every second while the chosen model is still training."""
    if live and not chosen_run_is_training():
        st.rerun()  # training has ended: stop polling
    left, right = st.columns([5, 6], gap="large")
    canvas_key = f"canvas-{st.session_state.get(CANVAS_GENERATION, 0)}"
    with left:
        # Above the canvas, this line also leaves room for the toolbar that floats over it
        # (on a touch screen it stays there, right of the short hint).
        st.caption(
            "<span class='hover-hint'>Hover over the canvas for its toolbar: undo a stroke, "
            "or clear it all.</span><span class='touch-hint'>Undo, or clear it all:</span>",
            unsafe_allow_html=True,
        )
        st_canvas(
            stroke_width=brush,
            stroke_color="#FFFFFF",
            background_color="#000000",
            width=CANVAS,
            height=CANVAS,
            drawing_mode="freedraw",
            return_image_data=True,
            key=canvas_key,
        )
    problem = ""
    try:
        network = network_for(choice)
    except ModelFileError as exc:
        network, problem = None, f"This model cannot be used: {exc}. Pick another one."
    try:
        drawing = canvas_pixels(sent_drawing(canvas_key), CANVAS, CANVAS)
    except DrawingRefused as exc:
        drawing, problem = None, problem or str(exc)
    if network is None or drawing is None:
        reading = rd.Reading(rd.BLANK, None, None)
    else:
        reading = rd.read_drawing(network, drawing)
    with right:
        show_reading(reading, network, drawing, problem)


def sent_drawing(canvas_key: str) -> object:
    """The canvas's PNG data URL as the browser sent it: checked before anything decodes it."""
    state = st.session_state.get(canvas_key)
    drawing = state.get("drawing") if isinstance(state, dict) else None
    return drawing.get("data") if isinstance(drawing, dict) else None


def show_reading(
    reading: rd.Reading, network, drawing: np.ndarray | None, problem: str = ""
) -> None:
    """The verdict, the ten probabilities, the 28x28 input, and a look inside."""
    # A fixed height, so the chart below does not jump when the first stroke lands.
    with st.container(key="prediction", height=210, border=False):
        if problem:
            st.warning(problem)
        elif network is None:
            st.markdown("### This run has no weights yet")
            st.caption("Training is starting; predictions appear with its first steps.")
        else:
            describe(reading)
    label_area(reading, drawing)
    if choice.run_id is not None and network is not None:
        run = registry().get(choice.run_id)
        st.caption(f"Run {run.id}: weights after step {run.live_step} ({run.state}).")
    chart_col, image_col = st.columns([3, 2])
    chart_col.vega_lite_chart(
        probability_frame(reading.probabilities), probability_spec(), width="stretch"
    )
    pixels = np.zeros((28, 28)) if reading.pixels is None else reading.pixels
    image_col.image(enlarge(pixels, scale=8), caption="What the network sees: 28x28 pixels")
    # Computed only while open: a collapsed expander costs a stroke nothing.
    expander = st.expander("Inside the network", key="inside", on_change="rerun")
    if expander.open and network is not None:
        with expander:
            inside(reading, network)


drawing_area()
