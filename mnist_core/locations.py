"""Where Digit Lab keeps what it makes, as a server operator sets it in the environment."""

from __future__ import annotations

import os
from pathlib import Path

ENV_MODELS_DIR = "DIGITLAB_MODELS_DIR"
DEFAULT_MODELS_DIR = Path(__file__).resolve().parent.parent / "saved_models"


def models_dir() -> Path:
    """Where the Train page saves models: $DIGITLAB_MODELS_DIR, else ./saved_models."""
    return Path(os.environ.get(ENV_MODELS_DIR) or DEFAULT_MODELS_DIR)
