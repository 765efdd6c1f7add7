"""How long a run will take on this server, from how fast earlier runs here actually went.

No guesses: the speed comes from runs that trained on this server (kept in the database, so
a restart keeps them). A run's work grows with the images it looks at times the weights it
updates, so a measured run's "weights x images per second" scales to other settings. Runs
of the same engine with the same augmentation measure best; without any run with a speed
yet, there is no estimate.
"""

from __future__ import annotations

from dataclasses import dataclass

from mnist_core.config import TrainConfig

from .registry import RunView


@dataclass(frozen=True)
class Estimate:
    seconds: float
    run_id: int  # the run whose speed it is measured from
    same_kind: bool  # that run used the same engine and augmentation


@dataclass(frozen=True)
class _Speed:
    run_id: int
    engine: str
    augment: bool
    work_per_second: float  # images x weights per second, steady
    train_size: int  # training images per epoch on this server
    overhead: float  # seconds besides the steady steps: starting, compiling, checking


def estimate(config: TrainConfig, runs: list[RunView]) -> Estimate | None:
    """Seconds `config` should take here, from the newest run that measured a speed (one of
    the same kind if there is one); None when no run on this server has measured one yet."""
    speeds = [speed for run in runs if (speed := _speed(run)) is not None]
    same = [s for s in speeds if (s.engine, s.augment) == (config.engine, config.augment)]
    engine = [s for s in speeds if s.engine == config.engine]
    chosen = (same or engine or speeds or [None])[0]
    if chosen is None:
        return None
    images = config.epochs * chosen.train_size
    steady = images * config.parameter_count / chosen.work_per_second
    return Estimate(steady + chosen.overhead, chosen.run_id, bool(same))


def _speed(run: RunView) -> _Speed | None:
    """What one ended run measured (newest runs come first in `runs`)."""
    result, started, ended = run.result, run.started, run.ended
    if result is None or started is None or ended is None or result.samples_per_second <= 0:
        return None
    images = ended.step * run.config.batch_size
    steady = images / result.samples_per_second
    return _Speed(
        run_id=run.id,
        engine=run.config.engine,
        augment=run.config.augment,
        work_per_second=result.samples_per_second * run.config.parameter_count,
        train_size=started.train_size,
        overhead=max(result.seconds - steady, 0.0),
    )
