"""Stand-ins for the training process, for registry tests that must not wait for TensorFlow.

`fake_child` takes `train_in_child`'s place (tests patch it into the registry module; the
spawned process imports this module by name). The run's seed picks what it does.
"""

from __future__ import annotations

import os
import signal
import struct

import numpy as np

from mnist_core.config import TrainConfig
from mnist_core.runs.events import RunStarted, WeightsSnapshot
from mnist_core.runs.history import History
from mnist_core.runs.process import Failed, Finished
from mnist_core.runs.result import TrainResult
from mnist_core.runs.states import FINISHED, STOPPED
from mnist_core.serving.evaluation import evaluate, sample_mistakes
from mnist_core.serving.network import MLP

FINISH = 0  # starts, sends weights, finishes at once
DIE_MID_MESSAGE = 1  # sends weights after step 1180, starts a big message and is killed
SEND_GARBAGE = 2  # starts, then sends bytes that are not a message
UNTIL_STOPPED = 3  # starts, then trains until asked to stop
STILL_STARTING = 4  # never says it started (TensorFlow loading) until asked to stop
KILLED_STEP = 1180


def config(behaviour: int) -> TrainConfig:
    return TrainConfig(hidden=(4,), epochs=1, seed=behaviour)


def network(seed: int = 0) -> MLP:
    rng = np.random.default_rng(seed)
    return MLP.from_arrays(
        [rng.normal(size=(784, 4)), np.zeros(4), rng.normal(size=(4, 10)), np.zeros(10)],
        "softmax",
    )


def fake_child(config: TrainConfig, settings, connection, stop_event, inputs) -> None:
    if config.seed == STILL_STARTING:
        stop_event.wait()
        return
    connection.send(RunStarted(epochs=1, steps_per_epoch=10, train_size=640, validation_size=0))
    if config.seed == FINISH:
        connection.send(WeightsSnapshot(step=5, network=network()))
        connection.send(_finished(config, FINISHED))
    elif config.seed == DIE_MID_MESSAGE:
        connection.send(WeightsSnapshot(step=KILLED_STEP, network=network()))
        # What Connection.send writes: a 4-byte length, then the pickle. Only 1 MB of a
        # promised 80 MB gets through before the process dies, as under the OOM killer.
        os.write(connection.fileno(), struct.pack("!i", 80_000_000) + bytes(1 << 20))
        os.kill(os.getpid(), signal.SIGKILL)
    elif config.seed == SEND_GARBAGE:
        connection.send_bytes(b"\x80\x05this is not a pickle")
        stop_event.wait()
    elif config.seed == UNTIL_STOPPED:
        stop_event.wait()
        connection.send(_finished(config, STOPPED))
    else:
        connection.send(Failed(f"no fake behaviour {config.seed}"))


def _finished(config: TrainConfig, status: str) -> Finished:
    images = np.random.default_rng(1).random((20, 784), np.float32)
    labels = np.arange(20) % 10
    net = network()
    evaluation = evaluate(net, images, labels)
    result = TrainResult(status, status, net, config, History(), evaluation, 0.1, 6400.0, "fake")
    return Finished(result, sample_mistakes(evaluation, images, labels))
