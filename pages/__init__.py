"""The app's pages, and what they share: one training registry per server, models loaded once.

Page scripts live beside this file. This file is not a page: Streamlit's old multipage mode
skips __init__.py.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from mnist_core.presentation.model_picker import ModelChoice
from mnist_core.runs.registry import TrainingRegistry
from mnist_core.serving.model_files import load_model
from mnist_core.serving.network import MLP

APP_RAN = "_digit_lab_app_ran"


def navigation():
    """The app's pages, in menu order; app.py runs whichever the address names."""
    return st.navigation(
        [
            st.Page("pages/draw.py", title="Draw", icon=":material/draw:", default=True),
            st.Page("pages/train.py", title="Train", icon=":material/model_training:"),
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


@st.cache_resource
def registry() -> TrainingRegistry:
    """Every session of this server sees the same runs and the same waiting line."""
    return TrainingRegistry.from_env()


@st.cache_resource(max_entries=16)
def _load(path: str, modified: float) -> MLP:
    del modified  # part of the cache key: a replaced file is read again
    return load_model(path).network


def network_for(choice: ModelChoice) -> MLP | None:
    """The weights behind a picker entry; a training run's are its latest snapshot."""
    if choice.run_id is not None:
        run = registry().get(choice.run_id)
        return None if run is None else run.live_network
    path = Path(choice.path)
    return _load(str(path), path.stat().st_mtime)
