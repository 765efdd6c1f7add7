"""What the Train page says when a training process ends without its last word."""

from __future__ import annotations

import signal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .registry import RunView


def killed_message(exitcode: int | None, run: RunView) -> str:
    """The process died (killed, crashed, or exited early): say how, and what is kept."""
    if exitcode == -signal.SIGKILL:
        how = "was killed (out of memory?)"
    elif exitcode is not None and exitcode < 0:
        how = f"was ended by signal {_signal_name(-exitcode)}"
    else:
        how = f"ended unexpectedly (exit code {exitcode})"
    return f"The training process {how}; {_kept(run)}."


def unreadable_message(error: Exception, run: RunView) -> str:
    """The server could not read what the process sent, so it ended the run."""
    return (
        f"The server could not read a message from the training process "
        f"({type(error).__name__}), so it ended the run; {_kept(run)}."
    )


def _kept(run: RunView) -> str:
    if run.live_network is None:
        return "nothing it learnt could be kept"
    return f"the weights after step {run.live_step:,} are kept"


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)
