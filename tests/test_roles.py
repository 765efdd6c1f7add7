"""Who may do what, decided on the server: the rules, and the registry and store applying them."""

from __future__ import annotations

import pytest

from mnist_core.roles import (
    MAX_WRONG_CODES,
    WAIT_SECONDS,
    CodeAttempts,
    NotAllowed,
    Visitor,
    may_start,
    may_stop,
    require_teacher,
    teacher_by_address,
)
from mnist_core.runs.states import RUNNING, STOPPED
from mnist_core.storage.database import open_database
from mnist_core.storage.drawings import ClassDrawings
from tests import fake_training as fake

TEACHER = Visitor("teacher-session", teacher=True)
ALICE = Visitor("alice")
BOB = Visitor("bob")


def test_without_a_code_only_the_servers_own_machine_is_the_teacher():
    assert teacher_by_address("", "127.0.0.1")
    assert teacher_by_address("", "::1")
    assert not teacher_by_address("", "192.168.1.20")
    assert not teacher_by_address("", None)
    assert not teacher_by_address("", "not an address")
    # With a code set, only the code makes a teacher, the server's own machine included.
    assert not teacher_by_address("s3cret", "127.0.0.1")


def test_the_right_code_opens_and_five_wrong_ones_make_the_session_wait():
    attempts = CodeAttempts()
    assert attempts.try_code("s3cret", "s3cret", now=0.0) is None
    for n in range(1, MAX_WRONG_CODES):
        assert attempts.try_code("guess", "s3cret", now=float(n)) == "That is not the teacher code."
    assert "wait" in attempts.try_code("guess", "s3cret", now=10.0)
    # Locked: even the right code is refused until the minute is over.
    assert "wait" in attempts.try_code("s3cret", "s3cret", now=10.0 + WAIT_SECONDS - 1)
    assert attempts.try_code("s3cret", "s3cret", now=10.0 + WAIT_SECONDS) is None


def test_no_code_set_means_no_code_opens():
    assert CodeAttempts().try_code("", "", now=0.0) == "That is not the teacher code."


def test_students_start_one_run_at_a_time_and_none_when_the_teacher_says_so():
    may_start(ALICE, teacher_only=False, own_active_runs=0)
    with pytest.raises(NotAllowed, match="already have a run"):
        may_start(ALICE, teacher_only=False, own_active_runs=1)
    with pytest.raises(NotAllowed, match="Only the teacher starts training"):
        may_start(ALICE, teacher_only=True, own_active_runs=0)
    may_start(TEACHER, teacher_only=True, own_active_runs=3)
    may_start(None, teacher_only=True, own_active_runs=3)  # the command line


def test_a_student_stops_only_their_own_runs_and_the_teacher_any():
    may_stop(ALICE, owner="alice")
    may_stop(TEACHER, owner="alice")
    with pytest.raises(NotAllowed, match="Only the student who started this run"):
        may_stop(BOB, owner="alice")
    with pytest.raises(NotAllowed, match="Only the teacher can remove a drawing"):
        require_teacher(ALICE, "remove a drawing")
    require_teacher(TEACHER, "remove a drawing")


def test_the_registry_applies_the_rules_whatever_the_page_showed(make_registry):
    registry = make_registry(max_concurrent=2)
    alices = registry.submit(fake.config(fake.UNTIL_STOPPED), "alice's", visitor=ALICE)
    registry.wait(alices, until=lambda view: view.state == RUNNING, timeout=60)
    with pytest.raises(NotAllowed):
        registry.submit(fake.config(fake.FINISH), "a second one", visitor=ALICE)
    with pytest.raises(NotAllowed):
        registry.stop(alices, BOB)
    assert registry.get(alices).state == RUNNING
    with pytest.raises(NotAllowed):
        registry.set_teacher_only(True, ALICE)
    registry.set_teacher_only(True, TEACHER)
    with pytest.raises(NotAllowed, match="Only the teacher starts training"):
        registry.submit(fake.config(fake.FINISH), "bob's", visitor=BOB)
    assert [run.owner for run in registry.runs()] == ["alice"]
    registry.stop(alices, TEACHER)
    assert registry.wait(alices).state == STOPPED


def test_only_the_teacher_removes_or_clears_the_class_drawings(tmp_path, small_mnist):
    from tests.test_storage import kept, readings_of

    store = ClassDrawings(open_database(f"sqlite:///{tmp_path / 'd.db'}"))
    ids = [store.add(kept(*reading)) for reading in readings_of(small_mnist, 3)]
    with pytest.raises(NotAllowed):
        store.remove(ids[0], ALICE)
    with pytest.raises(NotAllowed):
        store.clear(ALICE)
    assert store.count() == 3
    assert store.remove(ids[0], TEACHER)
    assert store.clear(TEACHER) == 2
    assert store.count() == 0
