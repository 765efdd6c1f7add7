"""The baseline for the Draw page's speed: a canvas and a bar chart, nothing else.

`streamlit run benchmarks/bare_canvas_app.py`; benchmarks/draw_latency.py compares the
Draw page against this page on the same machine.
"""

import numpy as np
import streamlit as st
from streamlit_drawable_canvas import st_canvas

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
ink = np.zeros(10) if image is None else image[..., 0].reshape(10, -1).mean(axis=1)
st.bar_chart({"ink per band": ink})
st.caption(f"ink {ink.sum():.0f}")  # what the benchmark waits for
