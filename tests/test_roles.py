"""Who may do what, decided on the server: the rules, and the registry and store applying them."""

from __future__ import annotations

import os
import stat
import threading

import pytest

from mnist_core.access.roles import (
    CODE_ALPHABET,
    CODE_FILE,
    MAX_WRONG_CODES,
    MAX_WRONG_CODES_SERVER,
    WAIT_SECONDS,
    CodeGuard,
    NotAllowed,
    Refusal,
    Visitor,
    code_warning,
    may_start,
    may_stop,
    require_teacher,
    server_code,
    stored_code,
)
from mnist_core.i18n.translator import english
from mnist_core.runs.registry import MAX_WAITING
from mnist_core.runs.states import CANCELLED, QUEUED, RUNNING, STOPPED
from mnist_core.storage.database import open_database
from mnist_core.storage.drawings import ClassDrawings
from mnist_core.storage.pace import TooFast
from tests import fake_training as fake

TEACHER = Visitor("teacher-session", teacher=True)
ALICE = Visitor("alice")
BOB = Visitor("bob")


def test_with_no_code_set_one_is_generated_kept_private_and_shared(tmp_path):
    folder = tmp_path / "data"
    codes = []
    threads = [threading.Thread(target=lambda: codes.append(stored_code(folder))) for _ in range(8)]
    for thread in threads:  # several servers sharing the data folder, at once
        thread.start()
    for thread in threads:
        thread.join()
    [code] = set(codes)
    assert len(code.replace("-", "")) >= 8 and set(code) <= set(CODE_ALPHABET + "-")
    assert stat.S_IMODE(os.stat(folder / CODE_FILE).st_mode) == 0o600
    assert os.listdir(folder) == [CODE_FILE]  # no temporary file left behind
    assert server_code("", folder) == code  # a restart keeps it
    assert server_code("owl-42-lantern", folder) == "owl-42-lantern"  # a configured one wins
    (folder / CODE_FILE).write_text("  \n")  # emptied by hand: a new code, never a blank one
    assert stored_code(folder) not in ("", code) and len(stored_code(folder)) >= 8
    (tmp_path / "a file").write_text("not a folder")
    fallback = server_code("", tmp_path / "a file" / "data")  # cannot be kept: still a code
    assert len(fallback) >= 8 and server_code("", tmp_path / "a file" / "data") == fallback


def test_a_short_configured_code_gets_a_warning():
    assert "shorter than 8" in code_warning("1234")
    assert code_warning("owl-42-lantern") is None


def said(refusal: Refusal | None) -> str | None:
    """The sentence the page shows, after the refusal went there and back as a flag."""
    if refusal is None:
        return None
    assert Refusal.from_flag(refusal.flag()) == refusal
    return english().render(refusal.sentence())


def test_five_wrong_codes_from_any_sessions_make_every_try_wait(capsys):
    guard = CodeGuard()  # one per server: every session's tries count together
    assert guard.try_code("s3cret", "s3cret", now=0.0) is None
    for n in range(1, MAX_WRONG_CODES):
        assert said(guard.try_code("guess", "s3cret", now=float(n))) == (
            "That is not the teacher code."
        )
    assert said(guard.try_code("guess", "s3cret", now=10.0)) == (
        "That is not the teacher code. Too many tries: wait 5 s."
    )
    # Waiting: even the right code is refused, from any session, until the wait is over.
    assert said(guard.try_code("s3cret", "s3cret", now=14.0)) == (
        "Too many wrong codes: wait 1 s before trying again."
    )
    assert guard.try_code("s3cret", "s3cret", now=15.0) is None
    # Each further wrong try within the minute doubles the wait, up to a minute.
    waits = []
    now = 15.0
    for _ in range(5):
        refusal = guard.try_code("guess", "s3cret", now=now)
        assert refusal.wrong and said(refusal)
        waits.append(refusal.wait)
        now += waits[-1]
    assert waits == [10, 20, 40, WAIT_SECONDS, WAIT_SECONDS]
    logged = capsys.readouterr().err
    assert logged.count("a wrong teacher code was entered") == MAX_WRONG_CODES + 5
    assert "guess" not in logged
    # A quiet minute ends the streak.
    assert guard.try_code("guess", "s3cret", now=now + 61) == Refusal(wrong=True)


def test_a_pranksters_guesses_do_not_lock_the_teacher_out_but_a_class_of_guessers_waits():
    guard = CodeGuard()
    for n in range(MAX_WRONG_CODES + 3):  # one student's phone, many sessions
        guard.try_code("guess", "s3cret", now=float(n), source="192.168.1.23")
    assert guard.try_code("s3cret", "s3cret", now=6.0, source="192.168.1.23").wait
    # The teacher's own machine (Streamlit gives no address for it) gets in at once.
    assert guard.try_code("s3cret", "s3cret", now=6.0, source="") is None
    # Guessers spread over many addresses still run into the server's own count.
    now = 10.0
    for n in range(MAX_WRONG_CODES_SERVER):
        now += 1
        guard.try_code("guess", "s3cret", now=now, source=f"10.0.0.{n}")
    assert guard.try_code("s3cret", "s3cret", now=now, source="").wait
    assert guard.try_code("s3cret", "s3cret", now=now + WAIT_SECONDS, source="") is None


def test_no_code_means_no_code_opens():
    assert CodeGuard().try_code("", "", now=0.0) == Refusal(wrong=True)


@pytest.mark.parametrize(
    "flag", [None, "", "wait", "wait-0", "wrong-100", "wrong-5x", "Wrong", "s3cret", "wrong-5&x"]
)
def test_an_address_typed_by_hand_says_no_refusal(flag):
    """?teacher=... comes back from the browser: only the flags the server makes are read."""
    assert Refusal.from_flag(flag) is None


def test_a_flag_typed_by_hand_never_claims_a_wait_beyond_a_minute():
    assert Refusal.from_flag("wait-99") == Refusal(wrong=False, wait=int(WAIT_SECONDS))


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
    readings = readings_of(small_mnist, 3)
    ids = [store.add(kept(*reading, session=f"s{n}")) for n, reading in enumerate(readings)]
    with pytest.raises(NotAllowed):
        store.remove(ids[0], ALICE)
    with pytest.raises(NotAllowed):
        store.clear(ALICE)
    assert store.count() == 3
    assert store.remove(ids[0], TEACHER)
    assert store.clear(TEACHER) == 2
    assert store.count() == 0


def test_twelve_students_fill_the_line_and_the_teacher_empties_it(make_registry):
    registry = make_registry(max_concurrent=1)
    students = [Visitor(f"student-{n}") for n in range(12)]
    accepted, refused = [], []
    for student in students:
        try:
            accepted.append(registry.submit(fake.config(fake.UNTIL_STOPPED), "r", visitor=student))
        except NotAllowed as exc:
            refused.append(str(exc))
    assert len(accepted) == 1 + MAX_WAITING  # one training, eight waiting
    assert refused == [refused[0]] * 3 and "The line is full" in refused[0]
    teachers = registry.submit(fake.config(fake.FINISH), "the teacher's", visitor=TEACHER)
    assert registry.get(teachers).state == QUEUED  # the teacher's runs are not capped
    with pytest.raises(NotAllowed, match="Only the teacher can cancel"):
        registry.cancel_waiting(ALICE)
    assert registry.cancel_waiting(TEACHER) == MAX_WAITING + 1
    states = [registry.get(run_id).state for run_id in [*accepted, teachers]]
    assert states[1:] == [CANCELLED] * (MAX_WAITING + 1)
    assert states[0] != CANCELLED  # the one training goes on
    registry.stop(accepted[0], TEACHER)
    registry.wait(accepted[0])


def test_the_teacher_removes_all_of_one_students_drawings(tmp_path, small_mnist):
    from tests.test_storage import kept, readings_of

    store = ClassDrawings(open_database(f"sqlite:///{tmp_path / 'd.db'}"), label_interval=0)
    readings = readings_of(small_mnist, 5)
    floods = [store.add(kept(*reading, session="flood")) for reading in readings[:4]]
    other = store.add(kept(*readings[4], session="careful"))
    with pytest.raises(NotAllowed):
        store.remove_session(floods[0], ALICE)
    assert store.count() == 5
    assert store.remove_session(floods[2], TEACHER) == 4
    assert [d.id for d in store.newest(10)] == [other]
    assert store.remove_session(floods[0], TEACHER) == 0  # already gone


def test_a_student_labels_at_most_one_drawing_a_second(tmp_path, small_mnist):
    from tests.test_pace import Clock
    from tests.test_storage import kept, readings_of

    clock = Clock()
    store = ClassDrawings(open_database(f"sqlite:///{tmp_path / 'd.db'}"), clock=clock)
    first, second = readings_of(small_mnist, 2)
    store.add(kept(*first, session="fast"))
    clock.seconds += 0.5
    with pytest.raises(TooFast, match="One label a second"):
        store.add(kept(*second, session="fast"))
    store.add(kept(*second, session="someone else"))  # other students are not held up
    store.add(kept(*first, session="fast"))  # the same drawing again is no new label
    clock.seconds += 0.5
    store.add(kept(*second, session="fast"))
    assert store.count() == 3


def test_only_the_teacher_exports_the_class_drawings(tmp_path, small_mnist):
    from tests.test_storage import kept, readings_of

    store = ClassDrawings(open_database(f"sqlite:///{tmp_path / 'd.db'}"))
    store.add(kept(*readings_of(small_mnist, 1)[0]))
    with pytest.raises(NotAllowed, match="Only the teacher can export"):
        store.export(ALICE)
    collection, originals = store.export(TEACHER)
    assert len(collection) == len(originals) == 1
