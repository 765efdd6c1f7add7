"""Several app servers on one database (SQLite file or PostgreSQL), as registries here: the
database numbers the runs, every server lists every run, a stop asked on one is acted on by
the server that trains the run, and "Only the teacher starts training" is the class's.

tests/test_several_app_servers.py does the same with two real app servers.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from mnist_core.access.roles import NotAllowed, Visitor
from mnist_core.runs import registry as registry_module
from mnist_core.runs.registry import TrainingRegistry, server_gone, server_name
from mnist_core.runs.states import FINISHED, INTERRUPTED, RUNNING, STOPPED
from mnist_core.storage.database import open_database
from mnist_core.storage.runs import RunRecords
from tests import fake_training as fake

TEACHER = Visitor("teacher", teacher=True)
ALICE = Visitor("alice")
BOB = Visitor("bob")


@pytest.fixture
def servers(url, tmp_path, monkeypatch):
    """Make app servers' registries on one database; each is shut down after the test."""
    monkeypatch.setattr(registry_module, "train_in_child", fake.fake_child)
    made = []

    def make() -> TrainingRegistry:
        made.append(
            TrainingRegistry(
                records=RunRecords(open_database(url)),
                checkpoints=tmp_path / "checkpoints",
                niceness=0,
            )
        )
        return made[-1]

    yield make
    for registry in made:
        registry.shutdown()


def test_runs_of_two_servers_are_numbered_apart_and_listed_on_both(servers, url):
    a, b = servers(), servers()
    on_a = a.submit(fake.config(fake.FINISH), "on a", visitor=ALICE)
    on_b = b.submit(fake.config(fake.FINISH), "on b", visitor=BOB)
    assert on_a != on_b
    assert a.wait(on_a, timeout=60).state == b.wait(on_b, timeout=60).state == FINISHED
    # Each server shows the other's run, with its result and its checkpoint to draw with.
    seen_on_b = b.wait(on_a, until=lambda v: v.state == FINISHED and v.checkpoint, timeout=30)
    assert seen_on_b.name == "on a" and seen_on_b.from_database
    assert seen_on_b.result.evaluation.accuracy == a.get(on_a).result.evaluation.accuracy
    assert a.wait(on_b, until=lambda v: v.state == FINISHED, timeout=30).name == "on b"
    assert {v.id for v in a.runs()} == {v.id for v in b.runs()} == {on_a, on_b}
    kept = {r.id: r for r in RunRecords(open_database(url)).all()}
    assert (kept[on_a].name, kept[on_b].name) == ("on a", "on b")
    assert kept[on_a].server == a.server != kept[on_b].server == b.server


def test_a_server_opened_while_another_trains_leaves_that_run_alone(servers):
    a = servers()
    run_id = a.submit(fake.config(fake.UNTIL_STOPPED), "busy", visitor=ALICE)
    a.wait(run_id, until=lambda v: v.state == RUNNING, timeout=60)
    a._write_journal()
    b = servers()
    assert b.get(run_id).state == RUNNING  # not "interrupted": its server is there
    a.refresh()
    assert a.get(run_id).state == RUNNING


def test_the_teacher_stops_another_servers_run(servers):
    a, b = servers(), servers()
    run_id = a.submit(fake.config(fake.UNTIL_STOPPED), "busy", visitor=ALICE)
    a.wait(run_id, until=lambda v: v.state == RUNNING, timeout=60)
    b.wait(run_id, until=lambda v: v.state == RUNNING, timeout=30)
    with pytest.raises(NotAllowed):
        b.stop(run_id, BOB)  # another student's run
    b.stop(run_id, TEACHER)
    # Server a looks for stop requests every second.
    assert a.wait(run_id, timeout=10).state == STOPPED
    assert b.wait(run_id, until=lambda v: not v.active, timeout=30).state == STOPPED


def test_a_run_made_on_another_server_a_moment_ago_is_found_by_its_number(servers, monkeypatch):
    """An address naming another server's new run (/train?run=N) shows that run, even before
    this server's watcher has read it: else the page showed this server's own newest run,
    and a teacher's Stop stopped the wrong one."""
    monkeypatch.setattr(registry_module, "WATCH_SECONDS", 3600.0)  # no look of its own
    b = servers()
    run_id = servers().submit(fake.config(fake.UNTIL_STOPPED), "on a", visitor=ALICE)
    assert b.get(run_id) is None  # not read here yet
    found = b.find(run_id)
    assert found is not None and found.name == "on a" and found.from_database
    assert b.get(run_id) == found
    assert b.find(run_id + 1) is None  # a number no server has made


def test_only_the_teacher_starts_training_on_every_server_and_after_a_restart(servers):
    a, b = servers(), servers()
    with pytest.raises(NotAllowed):
        b.set_teacher_only(True, ALICE)
    a.set_teacher_only(True, TEACHER)
    with pytest.raises(NotAllowed, match="Only the teacher"):
        b.submit(fake.config(fake.FINISH), "not now", visitor=ALICE)
    b.refresh()
    assert b.teacher_only and servers().teacher_only
    b.set_teacher_only(False, TEACHER)
    a.refresh()
    assert not a.teacher_only
    a.submit(fake.config(fake.FINISH), "now", visitor=ALICE)


def ended_here() -> str:
    """A server on this machine whose process has ended (beyond Linux's highest process id)."""
    return server_name().split(":")[0] + ":4194305:0123abcd"


def test_a_run_whose_server_has_gone_is_interrupted():
    now = datetime.now(UTC)
    elsewhere = "another-machine:4242:abcdef01"
    assert not server_gone(elsewhere, now - timedelta(seconds=5))
    assert server_gone(elsewhere, now - timedelta(minutes=5))  # no renewal for minutes
    assert not server_gone(server_name(), now)  # this very process
    assert server_gone(ended_here(), now)
    assert server_gone(None, now)  # a run from before several servers


def test_a_run_left_by_a_server_that_ended_is_interrupted_on_the_others(servers, url):
    a = servers()
    run_id = a.submit(fake.config(fake.UNTIL_STOPPED), "left", visitor=ALICE)
    a.wait(run_id, until=lambda v: v.state == RUNNING, timeout=60)
    a._write_journal()
    records = RunRecords(open_database(url))
    [record] = records.all([run_id])
    # As if its server's process had ended: another process id on this machine.
    records.save(replace(record, server=ended_here()))
    b = servers()
    assert b.get(run_id).state == INTERRUPTED
    assert [r.state for r in records.all([run_id])] == [INTERRUPTED]


def test_a_run_record_this_server_cannot_read_is_left_out_not_fatal(servers, url):
    """A run another server wrote with settings this one does not know (a newer Digit Lab
    during an upgrade, or odd JSON) is left out of the list: it neither stops the server
    from starting nor ends its watcher, which must go on acting on stop requests."""
    a = servers()
    run_id = a.submit(fake.config(fake.UNTIL_STOPPED), "busy", visitor=ALICE)
    a.wait(run_id, until=lambda v: v.state == RUNNING, timeout=60)
    records = RunRecords(open_database(url))
    [record] = records.all([run_id])
    odd = replace(record, id=0, config={**record.config, "from_the_future": 1}, history=[])
    odd_id = records.create(odd)
    b = servers()  # reads the odd run as it starts
    assert b.get(odd_id) is None
    b.wait(run_id, until=lambda v: v.state == RUNNING, timeout=30)
    b.stop(run_id, TEACHER)
    assert a.wait(run_id, timeout=10).state == STOPPED  # a's watcher read the odd run too


def test_a_run_that_leaves_the_line_reads_starting_on_the_other_servers(servers):
    """A waiting run leaves the line the moment its process starts: the other servers read
    it as starting, not still waiting, so the teacher's Cancel all waiting runs there leaves
    it alone."""
    from mnist_core.runs.states import STARTING

    a, b = servers(), servers()
    busy = a.submit(fake.config(fake.UNTIL_STOPPED), "busy", visitor=TEACHER)
    run_id = a.submit(fake.config(fake.STILL_STARTING), "waiting", visitor=ALICE)
    a._write_journal()  # written down as waiting
    a.stop(busy, TEACHER)
    a.wait(run_id, until=lambda v: v.state == STARTING, timeout=60)
    a._write_journal()
    b.refresh()
    assert b.get(run_id).state == STARTING
    assert b.cancel_waiting(TEACHER) == 0
    a.refresh()
    assert a.get(run_id).state == STARTING
