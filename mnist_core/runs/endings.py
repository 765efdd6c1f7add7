"""What the Train page says when a training process ends without its last word."""

from __future__ import annotations

import signal
from typing import TYPE_CHECKING

from mnist_core.i18n import Message, Number, msg

if TYPE_CHECKING:
    from .registry import RunView


def killed_message(exitcode: int | None, run: RunView) -> Message:
    """The process died (killed, crashed, or exited early): say how, and what is kept."""
    kept = _kept(run)
    if exitcode == -signal.SIGKILL:
        return msg("The training process was killed (out of memory?); {kept}.", kept=kept)
    if exitcode is not None and exitcode < 0:
        return msg(
            "The training process was ended by signal {signal}; {kept}.",
            signal=_signal_name(-exitcode),
            kept=kept,
        )
    return msg(
        "The training process ended unexpectedly (exit code {code}); {kept}.",
        code=str(exitcode),
        kept=kept,
    )


def unreadable_message(error: Exception, run: RunView) -> Message:
    """The server could not read what the process sent, so it ended the run."""
    return msg(
        # Translators: {error} is the name of a Python exception, such as EOFError.
        "The server could not read a message from the training process ({error}), so it "
        "ended the run; {kept}.",
        error=type(error).__name__,
        kept=_kept(run),
    )


def _kept(run: RunView) -> Message:
    if run.live_network is None:
        return msg("nothing it learnt could be kept")
    # Translators: a step is one update of the weights, after one batch of images.
    return msg("the weights after step {step} are kept", step=Number(run.live_step))


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)
