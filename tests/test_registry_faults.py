"""The registry under faults: children that die or talk nonsense, threads racing, old runs.

The children are fakes (tests/fake_training.py): no TensorFlow, so each test takes seconds.
"""

import threading

from mnist_core.runs.registry import KEEP_NETWORKS
from mnist_core.runs.states import CANCELLED, FAILED, FINISHED, RUNNING, STARTING, STOPPED
from tests import fake_training as fake


def test_a_child_killed_mid_message_fails_keeps_its_weights_and_the_next_run_starts(
    make_registry,
):
    registry = make_registry()
    doomed = registry.submit(fake.config(fake.DIE_MID_MESSAGE), "doomed")
    later = registry.submit(fake.config(fake.FINISH), "later")
    view = registry.wait(doomed, timeout=30)
    assert view.state == FAILED
    assert view.message == (
        "The training process was killed (out of memory?); the weights after step 1,180 are kept."
    )
    assert view.live_step == fake.KILLED_STEP and view.live_network is not None
    assert registry.wait(later, timeout=30).state == FINISHED


def test_a_message_that_cannot_be_read_ends_the_run_with_the_reason(make_registry):
    registry = make_registry()
    garbled = registry.submit(fake.config(fake.SEND_GARBAGE), "garbled")
    later = registry.submit(fake.config(fake.FINISH), "later")
    view = registry.wait(garbled, timeout=30)
    assert view.state == FAILED
    assert view.message.startswith("The server could not read a message from the training")
    assert "nothing it learnt could be kept" in view.message
    assert registry.wait(later, timeout=30).state == FINISHED


def test_only_the_last_few_ended_runs_keep_their_networks(make_registry):
    registry = make_registry()
    ids = [registry.submit(fake.config(fake.FINISH), f"run {n}") for n in range(KEEP_NETWORKS + 2)]
    views = [registry.wait(run_id, timeout=60) for run_id in ids]
    assert all(v.state == FINISHED for v in views)
    views = [registry.get(run_id) for run_id in ids]
    old, recent = views[:2], views[2:]
    for view in old:
        assert view.live_network is None and view.result.network is None
        assert view.result.evaluation.predictions.size == 0
        assert view.result.evaluation.accuracy == views[-1].result.evaluation.accuracy
        assert view.mistakes is not None  # the page still shows them
    for view in recent:
        assert view.live_network is view.result.network is not None


def test_many_threads_submitting_and_stopping_at_once(make_registry):
    registry = make_registry(max_concurrent=2)
    ids: list[int] = []
    broken: list[str] = []
    done = threading.Event()

    def student(number: int) -> None:
        for attempt in range(3):
            run_id = registry.submit(fake.config(fake.UNTIL_STOPPED), f"{number}-{attempt}")
            ids.append(run_id)
            if (number + attempt) % 2:
                registry.stop(run_id)

    def watch() -> None:
        while not done.wait(0.005):
            views = registry.runs()
            busy = sum(v.state in (STARTING, RUNNING) for v in views)
            line = sorted(v.queue_position for v in views if v.queue_position is not None)
            if busy > 2 or line != list(range(1, len(line) + 1)):
                broken.append(f"{busy} busy, line {line}")

    watcher = threading.Thread(target=watch)
    watcher.start()
    _all_at_once(student, range(6))
    _all_at_once(registry.stop, list(ids))  # the rest, from six threads at once
    try:
        views = [registry.wait(run_id, timeout=60) for run_id in ids]
    finally:
        done.set()
        watcher.join()
    assert sorted(ids) == list(range(1, 19))
    assert {v.state for v in views} <= {STOPPED, CANCELLED}
    assert broken == []


def _all_at_once(target, args) -> None:
    threads = [threading.Thread(target=target, args=(arg,)) for arg in args]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
