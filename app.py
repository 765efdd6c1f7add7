"""Digit Lab: draw a digit and watch a network read it, or train one and watch it learn.

Run with `streamlit run app.py`. This file only sets up the pages; each lives in pages/.

`streamlit run` finds `app` below and serves it: its lifespan runs once when the server
starts, and prints the teacher code and the students' address in the terminal; its routes
take the teacher code's form and set the teacher's pass, its middleware gives each browser a
student id (mnist_core.access.cookie_routes). Each browser visit then runs this file as the app's
script (as `__main__`).
"""

import contextlib

import streamlit as st
from starlette.middleware import Middleware

from mnist_core.serving.blas import one_blas_thread

one_blas_thread()  # before the pages load NumPy: see blas.py

from mnist_core.access.cookie_routes import StudentIdMiddleware, cookie_routes  # noqa: E402
from mnist_core.storage.locations import data_dir  # noqa: E402
from pages import (  # noqa: E402
    APP_RAN,
    announce,
    code_guard,
    language,
    language_menu,
    navigation,
    page_head,
    teacher_code,
    teacher_panel,
)


@contextlib.asynccontextmanager
async def _starting(_app):
    announce()
    yield


if __name__ == "__main__":
    st.set_page_config(page_title="Digit Lab", page_icon="✏️", layout="wide")
    st.session_state[APP_RAN] = True
    with st.sidebar:
        language_menu()
        teacher_panel()
        page_head(language().tag)
    navigation().run()
else:
    app = st.App(
        "app.py",
        lifespan=_starting,
        routes=cookie_routes(
            teacher_code, code_guard(), data_dir, st.get_option("server.baseUrlPath") or ""
        ),
        middleware=[Middleware(StudentIdMiddleware)],
    )
