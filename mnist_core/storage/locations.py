"""Where Digit Lab keeps what it makes, as a server operator sets it in the environment."""

from __future__ import annotations

import os
from pathlib import Path

ENV_MODELS_DIR = "DIGITLAB_MODELS_DIR"
DEFAULT_MODELS_DIR = Path(__file__).resolve().parents[2] / "saved_models"


def models_dir() -> Path:
    """Where the Train page saves models: $DIGITLAB_MODELS_DIR, else ./saved_models."""
    return Path(os.environ.get(ENV_MODELS_DIR) or DEFAULT_MODELS_DIR)


ENV_DATA_DIR = "DIGITLAB_DATA_DIR"
ENV_DATABASE_URL = "DIGITLAB_DATABASE_URL"
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "data"
DATABASE_FILE = "digitlab.db"


def data_dir() -> Path:
    """The app's own data (the class's drawings): $DIGITLAB_DATA_DIR, else ./data."""
    return Path(os.environ.get(ENV_DATA_DIR) or DEFAULT_DATA_DIR)


def database_url() -> str:
    """$DIGITLAB_DATABASE_URL (PostgreSQL, for several app servers), else SQLite in data_dir()."""
    return os.environ.get(ENV_DATABASE_URL) or f"sqlite:///{data_dir() / DATABASE_FILE}"
