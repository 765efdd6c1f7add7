"""Counting steps and time for a run, and turning them into events.

`Reporter` is what both engines call as they train, so that they emit the same events with
the same meaning; `runs/history.py` rebuilds curves from those events, wherever they arrive.
`LastGoodWeights` keeps the weights a run that blows up hands back.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from mnist_core.config import TrainConfig, written
from mnist_core.i18n import Message, msg
from mnist_core.runs.events import (
    BatchEnd,
    EpochEnd,
    Event,
    EventSink,
    RunEnded,
    RunStarted,
    WeightsSnapshot,
)
from mnist_core.serving.network import MLP


class Reporter:
    """Steps, epochs and training-only time of one run, turned into events."""

    def __init__(
        self,
        config: TrainConfig,
        train_size: int,
        validation_size: int,
        on_event: EventSink | None = None,
        should_stop: Callable[[], bool] | None = None,
        snapshot_every: float | None = None,
        on_epoch_network: Callable[[int, MLP], None] | None = None,
    ) -> None:
        self.config = config
        self.train_size = train_size
        self.validation_size = validation_size
        self.steps_per_epoch = math.ceil(train_size / config.batch_size)
        self._on_event = on_event or (lambda event: None)
        self._should_stop = should_stop or (lambda: False)
        self.step = 0
        self.epoch = 1
        self.samples = 0
        self._epoch_loss_sum = 0.0
        self._epoch_steps = 0
        self._started = 0.0
        self._paused = 0.0
        self._pause_began = 0.0
        self._snapshot_every = snapshot_every
        self._on_epoch_network = on_epoch_network  # e.g. the TensorBoard log's histograms
        self._last_snapshot = 0.0
        self._warm: tuple[float, int] | None = None  # (elapsed, samples) after the first call

    def start(self) -> None:
        self._started = time.perf_counter()
        self._emit(
            RunStarted(
                epochs=self.config.epochs,
                steps_per_epoch=self.steps_per_epoch,
                train_size=self.train_size,
                validation_size=self.validation_size,
            )
        )

    @property
    def elapsed(self) -> float:
        """Seconds spent training, not evaluating."""
        return time.perf_counter() - self._started - self._paused

    @property
    def samples_per_second(self) -> float:
        elapsed = self.elapsed
        return self.samples / elapsed if elapsed > 0 else 0.0

    @property
    def steady_samples_per_second(self) -> float:
        """Samples per second after the first compiled call, which also compiled: the speed
        a longer run settles at. The overall rate while there is nothing after it."""
        if self._warm is None or self.samples == self._warm[1]:
            return self.samples_per_second
        warm_elapsed, warm_samples = self._warm
        return (self.samples - warm_samples) / max(self.elapsed - warm_elapsed, 1e-9)

    def pause(self) -> None:
        """Time from here to resume() does not count as training (validation, snapshots)."""
        self._pause_began = time.perf_counter()

    def resume(self) -> None:
        self._paused += time.perf_counter() - self._pause_began

    @contextmanager
    def paused(self) -> Iterator[None]:
        self.pause()
        try:
            yield
        finally:
            self.resume()

    def stop_requested(self) -> bool:
        return self._should_stop()

    def batch_done(self, loss: float, batch_size: int) -> None:
        self.step += 1
        self.samples += batch_size
        self._epoch_loss_sum += loss
        self._epoch_steps += 1
        # Every step at first, so a curve starts at once and a run that blows up early
        # still shows how; then every report_every steps and at each epoch's end.
        if (
            self.step <= self.config.report_every
            or self.step % self.config.report_every == 0
            or self._epoch_steps == self.steps_per_epoch
        ):
            self._emit(
                BatchEnd(
                    step=self.step,
                    epoch=self.epoch,
                    loss=loss,
                    samples_per_second=self.samples_per_second,
                    elapsed=self.elapsed,
                )
            )

    def batches_done(self, losses: Sequence[float], sizes: Sequence[int]) -> None:
        """The steps of one compiled call, each with its loss and batch size."""
        for loss, size in zip(losses, sizes, strict=True):
            self.batch_done(loss, size)
        if self._warm is None:
            self._warm = (self.elapsed, self.samples)

    def offer_weights(self, network: Callable[[], MLP]) -> None:
        """Emit the current weights if a snapshot is due; `network` is called only then."""
        if self._snapshot_every is None:
            return
        now = time.perf_counter()
        if now - self._last_snapshot < self._snapshot_every:
            return
        with self.paused():
            self._emit(WeightsSnapshot(step=self.step, network=network()))
        self._last_snapshot = time.perf_counter()

    def epoch_done(
        self,
        train_accuracy: float,
        val_accuracy: float | None,
        class_accuracy: float | None = None,
        network: Callable[[], MLP] | None = None,
    ) -> None:
        """End an epoch; `network` (the weights now) is called only if someone wants them."""
        if self._on_epoch_network is not None and network is not None:
            with self.paused():
                self._on_epoch_network(self.epoch, network())
        self._emit(
            EpochEnd(
                epoch=self.epoch,
                step=self.step,
                loss=self._epoch_loss_sum / max(self._epoch_steps, 1),
                train_accuracy=train_accuracy,
                val_accuracy=val_accuracy,
                samples_per_second=self.samples_per_second,
                elapsed=self.elapsed,
                class_accuracy=class_accuracy,
            )
        )
        self.epoch += 1
        self._epoch_loss_sum = 0.0
        self._epoch_steps = 0

    def end(self, status: str, message: Message | str) -> RunEnded:
        event = RunEnded(
            status=status,
            step=self.step,
            epoch=min(self.epoch, self.config.epochs),
            message=str(message),  # the event log's English; the result keeps the Message
            elapsed=self.elapsed,
            samples_per_second=self.steady_samples_per_second,
        )
        self._emit(event)
        return event

    def divergence_message(self, kept_step: int) -> Message:
        """Call before counting the step whose loss was not finite."""
        lr = self.config.learning_rate
        return msg(
            # Translators: loss is how wrong the network is; a step is one update of the
            # weights; an epoch one pass over all the training images.
            "The loss became NaN or infinite at step {step} (epoch {epoch}): a learning rate "
            "of {rate} is too large for this network, so each step overshoots further and "
            "the weights blow up. The weights from step {kept}, the last with a finite loss, "
            "are kept. Try a learning rate ten times smaller ({smaller}).",
            step=self.step + 1,
            epoch=self.epoch,
            rate=written(lr),
            kept=kept_step,
            smaller=written(lr / 10),
        )

    def _emit(self, event: Event) -> None:
        self._on_event(event)


class LastGoodWeights:
    """Weights known to give a finite loss: what a run that blows up hands back.

    A step's loss judges the weights from before that step, so a copy kept after step s is
    trusted once a later step's loss has come back finite. The engines keep a copy after
    each compiled call, whose steps they only see when it returns.
    """

    def __init__(self, initial: MLP) -> None:
        self.network = initial
        self.step = 0
        self._candidate: MLP | None = None
        self._candidate_step = 0

    def loss_was_finite(self, step: int) -> None:
        """Step `step`'s loss was finite: a copy kept before it is now trusted."""
        if self._candidate is not None and self._candidate_step < step:
            self.network, self.step = self._candidate, self._candidate_step
            self._candidate = None

    def keep(self, step: int, network: Callable[[], MLP]) -> None:
        """Copy the weights as they are after `step`, to be trusted by a later finite loss."""
        self._candidate, self._candidate_step = network(), step
