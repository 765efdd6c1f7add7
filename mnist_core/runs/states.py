"""The states a training run goes through, defined once for the registry, engines and pages."""

from __future__ import annotations

from mnist_core.i18n import msg

# Waiting or under way.
QUEUED = "queued"
STARTING = "starting"
RUNNING = "running"
ACTIVE_STATES = (QUEUED, STARTING, RUNNING)

# How a run ended.
FINISHED = "finished"
STOPPED = "stopped"
CANCELLED = "cancelled"  # stopped while it waited in line: nothing was trained
DIVERGED = "diverged"
FAILED = "failed"
INTERRUPTED = "interrupted"  # the server stopped while it was waiting or training

FINISHED_MESSAGE = msg("Training finished.")
STOPPED_MESSAGE = msg("Stopped by request; the weights learnt so far are kept.")
