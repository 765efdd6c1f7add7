"""Model names as people type them, turned into safe file names."""

from __future__ import annotations

import re

from mnist_core.i18n import msg

MAX_NAME_LENGTH = 60


def clean_model_name(name: str) -> str:
    """A name a user typed, as a safe file name; refuses what cannot be one."""
    name = name.strip()
    if not name:
        raise ValueError(msg("give the model a name"))
    if len(name) > MAX_NAME_LENGTH:
        raise ValueError(msg("keep the name under {count} characters", count=MAX_NAME_LENGTH))
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip(".-")
    if not slug:
        raise ValueError(msg("use some letters or digits in the name"))
    return slug
