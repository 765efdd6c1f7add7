"""The baseline for the Draw page's speed: what a plain Streamlit page for the same job does.

The canvas in a fragment, the drawing shrunk to the 28x28 image, one NumPy forward pass
through a 784-1024-1024-10 network (random weights: the work, not the answer, matters) and
a bar chart, written as a user would write it: no thread settings of its own.
`streamlit run benchmarks/bare_canvas_app.py`; benchmarks/draw_latency.py and
benchmarks/load.py compare the Draw page against this page on the same machine.
"""

import itertools

import numpy as np
import streamlit as st
from PIL import Image
from streamlit_drawable_canvas import st_canvas

SIZES = (784, 1024, 1024, 10)


@st.cache_resource
def weights() -> list[np.ndarray]:
    rng = np.random.default_rng(0)
    return [rng.normal(0, 0.05, shape).astype(np.float32) for shape in itertools.pairwise(SIZES)]


@st.fragment
def drawing() -> None:
    canvas = st_canvas(
        stroke_width=20,
        stroke_color="#FFFFFF",
        background_color="#000000",
        width=280,
        height=280,
        return_image_data=True,
        key="canvas",
    )
    image = canvas.image_data
    ink = np.zeros((280, 280), np.uint8) if image is None else image[..., 0].astype(np.uint8)
    small = np.asarray(Image.fromarray(ink).resize((28, 28), Image.Resampling.BILINEAR))
    x = small.reshape(784).astype(np.float32) / 255.0
    for layer in weights()[:-1]:
        x = np.maximum(x @ layer, 0.0)
    scores = x @ weights()[-1]
    st.image(small, width=112)
    st.bar_chart({"score": scores})
    st.caption(f"ink {ink.reshape(10, -1).mean(axis=1).sum():.0f}")  # what draw_latency waits for


drawing()
