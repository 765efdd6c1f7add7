"""The training process's outbox: a server that stops reading costs it one snapshot, no more."""

import multiprocessing
import threading

from mnist_core.runs.events import BatchEnd, WeightsSnapshot
from mnist_core.runs.outbox import Outbox
from mnist_core.runs.process import Failed
from tests.test_network import random_mlp


def test_a_stalled_server_makes_snapshots_drop_not_pile_up():
    inbox, outgoing = multiprocessing.Pipe(duplex=False)
    outbox = Outbox(outgoing)
    network = random_mlp()  # 100 KB pickled: more than the pipe holds, so sending blocks
    for step in range(50):  # nobody reads meanwhile
        outbox.put(WeightsSnapshot(step=step, network=network))
        outbox.put(BatchEnd(step=step, epoch=1, loss=1.0, samples_per_second=1.0, elapsed=1.0))
    closing = threading.Thread(target=outbox.close, args=(Failed("the end"),))
    closing.start()
    received = [inbox.recv()]
    while not isinstance(received[-1], Failed):
        received.append(inbox.recv())
    closing.join()
    snapshots = [m.step for m in received if isinstance(m, WeightsSnapshot)]
    assert len(snapshots) <= 2 and snapshots[-1] == 49  # one in the pipe, then the newest
    assert [m.step for m in received if isinstance(m, BatchEnd)] == list(range(50))
