"""Digit Lab: draw a digit and watch a network read it, or train one and watch it learn.

Run with `streamlit run app.py`. This file only sets up the pages; each lives in pages/.
"""

import streamlit as st

from mnist_core.serving.blas import one_blas_thread

one_blas_thread()  # before the pages load NumPy: see blas.py

from pages import APP_RAN, navigation, teacher_panel  # noqa: E402

st.set_page_config(page_title="Digit Lab", page_icon="✏️", layout="wide")
st.session_state[APP_RAN] = True
with st.sidebar:
    teacher_panel()
navigation().run()
