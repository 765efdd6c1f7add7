"""Draw page: draw a digit, see the 28x28 image the network gets and what it thinks."""

from __future__ import annotations

import numpy as np
import streamlit as st
from streamlit_drawable_canvas import st_canvas

from mnist_core.locations import models_dir
from mnist_core.presentation.charts import activation_heatmap, probability_frame, probability_spec
from mnist_core.presentation.model_picker import BUNDLED_KEY, ModelChoice, model_choices
from mnist_core.presentation.pictures import enlarge, weight_image
from mnist_core.serving import reading as rd
from pages import network_for, registry, through_app

through_app()

CANVAS = 280
TOP_UNITS = 8

st.title("Draw a digit")
st.caption(
    "Draw one digit, 0 to 9, in the black square. After every stroke the network reads it: "
    "the drawing is shrunk to 28x28 pixels, the way the MNIST digits it learnt from were made."
)

choices = {c.key: c for c in model_choices(models_dir(), registry().runs())}
if st.session_state.get("model") not in choices:
    st.session_state["model"] = BUNDLED_KEY

picker_col, brush_col = st.columns([5, 6], gap="large")
choice: ModelChoice = choices[
    picker_col.selectbox(
        "Model",
        list(choices),
        format_func=lambda key: choices[key].label,
        key="model",
        help="The bundled model, runs trained on the Train page, and saved models.",
    )
]
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
    with left:
        # Above the canvas, this line also leaves room for the toolbar that floats over it.
        st.caption("Hover over the canvas for its toolbar: undo a stroke, or clear it all.")
        canvas = st_canvas(
            stroke_width=brush,
            stroke_color="#FFFFFF",
            background_color="#000000",
            width=CANVAS,
            height=CANVAS,
            drawing_mode="freedraw",
            return_image_data=True,
            key="canvas",
        )
    network = network_for(choice)
    drawing = canvas.image_data
    if network is None or drawing is None:
        reading = rd.Reading(rd.BLANK, None, None)
    else:
        reading = rd.read_drawing(network, drawing)
    with right:
        show_reading(reading, network)


def show_reading(reading: rd.Reading, network) -> None:
    """The verdict, the ten probabilities, the 28x28 input, and a look inside."""
    # A fixed height, so the chart below does not jump when the first stroke lands.
    with st.container(key="prediction", height=210, border=False):
        if network is None:
            st.markdown("### This run has no weights yet")
            st.caption("Training is starting; predictions appear with its first steps.")
        else:
            describe(reading)
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
