"""Training runs started by the app: a process-wide registry with a waiting line.

The Streamlit server holds one `TrainingRegistry`. Each run trains in its own spawned child
process (see process.py); a reader thread per run turns what the child sends into the run's
state, which pages read as immutable `RunView`s from their own threads. The reader waits on
the child's pipe and on the process itself, and the server keeps no write end of the pipe,
so a child that dies, even halfway through a message, is noticed at once. Only the last few
ended runs keep their networks: memory does not grow with every run a class makes.

With the app's database, several app servers of one class work together: the database
numbers the runs; each server writes down only the runs it trains (every JOURNAL_SECONDS),
renewing them while they wait or train, and reads every other run from it (every
WATCH_SECONDS), with its curves, results and checkpoint as written last. A stop asked for on
another server is a request in the database, which the server that trains the run acts on
at its next look. An active run whose server has gone (its process ended on this machine, or
no renewal for GONE_SECONDS) is interrupted. The training line (DIGITLAB_MAX_TRAININGS)
counts per server: it guards the CPU and memory of the machine the training processes run on.
No TensorFlow and no Streamlit here.
"""

from __future__ import annotations

import atexit
import itertools
import multiprocessing as mp
import os
import shutil
import socket
import sys
import threading
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from multiprocessing.connection import wait as wait_for_any
from pathlib import Path
from typing import Any

from mnist_core.access.roles import NotAllowed, Visitor, may_start, may_stop, require_teacher
from mnist_core.config import TrainConfig
from mnist_core.i18n import Message, msg
from mnist_core.serving.evaluation import Mistakes
from mnist_core.serving.model_files import SUFFIX, save_model
from mnist_core.serving.network import MLP
from mnist_core.storage.database import StorageError, open_database
from mnist_core.storage.locations import data_dir
from mnist_core.storage.runs import RunRecord, RunRecords

from .endings import killed_message, unreadable_message
from .events import BatchEnd, EpochEnd, RunEnded, RunStarted, WeightsSnapshot
from .history import History
from .process import ChildSettings, Failed, Finished, TrainingInputs, train_in_child
from .records import from_record, to_record
from .result import TrainResult
from .states import (
    ACTIVE_STATES,
    CANCELLED,
    FAILED,
    INTERRUPTED,
    QUEUED,
    RUNNING,
    STARTING,
    STOPPED,
)
from .wording import Said, to_text

ENV_MAX_RUNS = "DIGITLAB_MAX_TRAININGS"
ENV_THREADS = "DIGITLAB_TRAIN_THREADS"
MAX_WAITING = 8  # students' runs waiting in line across the server; the teacher's excepted
KEEP_NETWORKS = 5  # ended runs that keep their networks; older ones keep what the page shows
KEEP_RUN_FILES = 20  # ended runs that keep their checkpoint and TensorBoard folder on disk
JOURNAL_SECONDS = 2.0  # how often a changed run is written down
WATCH_SECONDS = 1.0  # how often the database is read: other servers' runs, stop requests
GONE_SECONDS = 30.0  # an active run not renewed for this long: its server has gone
CHECKPOINTS = "checkpoints"  # the folder, in the data folder, of the runs' weights
TENSORBOARD = "tensorboard"  # the folder, in the data folder, of the runs' event files


@dataclass(frozen=True)
class RunView:
    """One run as a page sees it at one moment."""

    id: int
    name: str
    preset: str | None
    config: TrainConfig
    state: str  # one of states.py: queued ... finished, stopped, cancelled, diverged, failed
    created: str
    queue_position: int | None = None  # 1 = next to start
    started: RunStarted | None = None
    losses: tuple[tuple[int, float], ...] = ()
    epochs: tuple[EpochEnd, ...] = ()
    last_batch: BatchEnd | None = None
    ended: RunEnded | None = None
    message: str = ""  # in English (logs, the command line); a page shows `said`
    said: Message | str = ""  # the same message as a page translates it (an old row: text)
    live_network: MLP | None = None
    live_step: int = 0
    result: TrainResult | None = None
    mistakes: Mistakes | None = None
    owner: str = ""  # the browser session that started it ("" = the server itself)
    by_teacher: bool = False
    checkpoint: str | None = None  # a model file of its latest kept weights
    checkpoint_step: int = 0
    # Read from the database, not held by this server: another server trains it (or an
    # earlier one did), and what it shows is what that server wrote last.
    from_database: bool = False

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES


@dataclass
class _Run:
    view: RunView
    stop_event: Any = None  # multiprocessing.Event, set to ask the child to stop
    process: Any = None  # multiprocessing.Process
    inbox: Any = None  # the read end of the pipe the child writes to
    history: History = field(default_factory=History)
    ended: int = 0  # order in which runs ended, counted from 1; 0 while active
    inputs: TrainingInputs = field(default_factory=TrainingInputs)  # until the child has them
    dirty: bool = False  # changed since the journal last wrote it
    checkpointed_epochs: int = -1  # epochs done when its weights were last written
    pruned: bool = False  # its checkpoint and TensorBoard folder are gone (KEEP_RUN_FILES)


class TrainingRegistry:
    def __init__(
        self,
        max_concurrent: int = 1,
        data_path: str | None = None,
        threads: int | None = None,
        niceness: int = 10,
        snapshot_every: float = 1.0,
        records: RunRecords | None = None,
        checkpoints: Path | None = None,
        tensorboard: Path | None = None,
    ) -> None:
        """With `records` (the app's database) and `checkpoints` (a folder), every run is
        written down as it goes, and the runs of earlier servers are there again."""
        if max_concurrent < 1:
            raise ValueError("at least one training must be allowed at a time")
        self.max_concurrent = max_concurrent
        self.settings = ChildSettings(
            data_path=data_path,
            threads=threads or os.cpu_count() or 1,
            niceness=niceness,
            snapshot_every=snapshot_every,
        )
        self._context = mp.get_context("spawn")
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)  # notified on every update
        self._runs: dict[int, _Run] = {}  # the runs this server trains, or trained
        self._others: dict[int, RunView] = {}  # every other run of the database
        self._last_read: dict[int, RunRecord] = {}  # the others as last read
        self._unreadable: dict[int, datetime | None] = {}  # runs left out: the version tried
        self._refresh_lock = threading.Lock()
        self._waiting: list[int] = []
        self._ids = itertools.count(1)
        self._endings = itertools.count(1)
        self._closed = False
        self._closing = threading.Event()
        self.teacher_only = False  # when set, students see runs but cannot start one
        self.server = server_name()  # this server among those that share the database
        self._records = records
        self._checkpoints = checkpoints
        self._tensorboard = tensorboard  # a folder of TensorBoard event files, one per run
        self._journal_due = threading.Event()
        self._journal_lock = threading.Lock()
        if records is not None:
            self.refresh()
            threading.Thread(target=self._journal, daemon=True, name="run-journal").start()
            threading.Thread(target=self._watch, daemon=True, name="run-watch").start()
        atexit.register(self.shutdown)

    @classmethod
    def from_env(cls) -> TrainingRegistry:
        """Settings a server operator can change without code: see README. Runs are kept in
        the app's database; if it cannot be opened, they live in memory only."""
        threads = os.environ.get(ENV_THREADS)
        try:
            records = RunRecords(open_database())
        except StorageError as exc:
            print(f"Digit Lab: runs are not kept across restarts: {exc}", file=sys.stderr)
            records = None
        return cls(
            max_concurrent=int(os.environ.get(ENV_MAX_RUNS, "1")),
            threads=int(threads) if threads else None,
            records=records,
            checkpoints=data_dir() / CHECKPOINTS,
            tensorboard=data_dir() / TENSORBOARD,
        )

    def submit(
        self,
        config: TrainConfig,
        name: str,
        preset: str | None = None,
        visitor: Visitor | None = None,
        inputs: TrainingInputs | None = None,
    ) -> int:
        """Queue a run (it starts at once if a slot is free); returns its id.

        Raises NotAllowed for a student who may not start one now (see roles.may_start).
        """
        config.validate()
        # Another server's teacher may have just changed who starts: ask the database.
        teacher_only = self.teacher_only if self._records is None else self._records.teacher_only()
        with self._lock:
            if self._closed:
                raise RuntimeError("the training registry has shut down")
            if visitor is not None:
                own = sum(v.active and v.owner == visitor.session for v in self._all_views())
                may_start(visitor, teacher_only, own)
                if not visitor.teacher and self._students_waiting() >= MAX_WAITING:
                    raise NotAllowed(
                        msg(
                            "The line is full ({count} runs are waiting): try again when one "
                            "has started.",
                            count=MAX_WAITING,
                        )
                    )
            view = RunView(
                id=0,
                name=name,
                preset=preset,
                config=config,
                state=QUEUED,
                created=datetime.now().isoformat(timespec="seconds"),
                owner=visitor.session if visitor else "",
                by_teacher=bool(visitor and visitor.teacher),
            )
        if self._records is None:
            run_id = next(self._ids)
        else:  # the database numbers it, apart from every other server's runs
            run_id = self._records.create(to_record(view, History(), self.server))
        with self._lock:
            if self._closed:
                raise RuntimeError("the training registry has shut down")
            view = replace(view, id=run_id)
            self._runs[run_id] = _Run(view, inputs=inputs or TrainingInputs(), dirty=True)
            self._waiting.append(run_id)
            self._start_waiting()
        return run_id

    def stop(self, run_id: int, visitor: Visitor | None = None) -> None:
        """Queued or still-starting runs end at once; running ones within one batch.

        Raises NotAllowed for a student stopping another's run.
        """
        with self._lock:
            run = self._runs.get(run_id)
            if run is None:  # another server's run: ask it, through the database
                other = self._others.get(run_id)
                if other is None or not other.active:
                    return
                may_stop(visitor, other.owner)
            elif not run.view.active:
                return
            else:
                may_stop(visitor, run.view.owner)
                self._stop_here(run)
                return
        self._records.request_stop(run_id)

    def _stop_here(self, run: _Run) -> None:
        """Stop a run this server trains; the caller holds the lock."""
        if not run.view.active:
            return
        if run.view.state == QUEUED:
            self._waiting.remove(run.view.id)
            self._finish(
                run, CANCELLED, msg("Cancelled while it waited in line: nothing was trained.")
            )
        elif run.view.state == STARTING:
            # Nothing learnt yet: no reason to wait for TensorFlow to finish loading.
            run.process.terminate()
            self._finish(run, STOPPED, msg("Stopped while starting; nothing was trained."))
        else:
            run.stop_event.set()

    def cancel_waiting(self, visitor: Visitor | None = None) -> int:
        """The teacher empties the line at once; runs already training go on. Returns how
        many were cancelled."""
        require_teacher(visitor, msg("cancel the waiting runs"))
        with self._lock:
            waiting, self._waiting = self._waiting, []
            for run_id in waiting:
                self._finish(
                    self._runs[run_id],
                    CANCELLED,
                    msg("Cancelled by the teacher while it waited in line: nothing was trained."),
                )
            elsewhere = [
                run_id
                for run_id, view in self._others.items()
                if view.state == QUEUED and run_id not in self._runs
            ]
        for run_id in elsewhere:  # other servers' lines: their servers cancel them
            self._records.request_stop(run_id)
        return len(waiting) + len(elsewhere)

    def _students_waiting(self) -> int:
        return sum(not self._runs[run_id].view.by_teacher for run_id in self._waiting)

    def set_teacher_only(self, on: bool, visitor: Visitor | None = None) -> None:
        """Only the teacher may decide that only the teacher starts training; with the
        database, on every server of the class, and after a restart."""
        require_teacher(visitor, msg("decide who starts training"))
        if self._records is not None:
            self._records.set_teacher_only(on)
        with self._lock:
            self.teacher_only = on
            self._changed.notify_all()

    def get(self, run_id: int) -> RunView | None:
        with self._lock:
            return self._current(run_id)

    def find(self, run_id: int) -> RunView | None:
        """A run an address names (/train?run=N). Another server's run made a moment ago is
        not read here until the watcher's next look, so an unknown one is looked for in the
        database at once: the page shows the run asked for, not some other one to stop."""
        view = self.get(run_id)
        if view is None and self._records is not None:
            self.refresh()
            view = self.get(run_id)
        return view

    def runs(self) -> list[RunView]:
        """Every run of the class, this server's and the database's, newest first."""
        with self._lock:
            return sorted(self._all_views(), key=lambda view: -view.id)

    def _current(self, run_id: int) -> RunView | None:
        run = self._runs.get(run_id)
        return self._others.get(run_id) if run is None else self._view(run)

    def _all_views(self) -> list[RunView]:
        """Caller holds the lock."""
        mine = [self._view(run) for run in self._runs.values()]
        return mine + [view for run_id, view in self._others.items() if run_id not in self._runs]

    def wait(
        self,
        run_id: int,
        until: Callable[[RunView], bool] = lambda view: not view.active,
        timeout: float = 600.0,
    ) -> RunView:
        """Block until the run satisfies `until` (default: it has ended); for scripts and tests."""

        def there() -> bool:
            view = self._current(run_id)
            return view is not None and until(view)

        with self._changed:
            if not self._changed.wait_for(there, timeout):
                raise TimeoutError(f"run {run_id} did not get there within {timeout} s")
            return self._current(run_id)

    def shutdown(self) -> None:
        """End every child process and write every run down; called at interpreter exit too."""
        with self._lock:
            self._closed = True
            runs = list(self._runs.values())
        self._closing.set()
        for run in runs:
            if run.process is not None and run.process.is_alive():
                run.process.terminate()
                run.process.join(timeout=5)
        self._write_journal()

    def refresh(self) -> None:
        """Read the database: every other run (only those written since the last look),
        stop requests for this server's runs, and who may start training. The watcher does
        this every WATCH_SECONDS; a test may call it to look at once."""
        if self._records is None:
            return
        with self._refresh_lock:  # the watcher's and a caller's looks, one at a time
            self._refresh(self._records)

    def _refresh(self, records: RunRecords) -> None:
        try:
            stops = records.stop_requests(self.server, ACTIVE_STATES)
            teacher_only = records.teacher_only()
            versions = records.versions()
            with self._lock:
                mine = set(self._runs)
            changed = [
                run_id
                for run_id, updated in versions.items()
                if run_id not in mine
                and (run_id not in self._last_read or self._last_read[run_id].updated != updated)
            ]
            fresh = records.all(changed) if changed else []
        except StorageError as exc:
            print(f"Digit Lab: the runs could not be read: {exc}", file=sys.stderr)
            return
        self._last_read.update((record.id, record) for record in fresh)
        # Active runs are looked at on every pass: their server may have gone meanwhile.
        looked_at = {
            r.id: r
            for r in self._last_read.values()
            if r.state in ACTIVE_STATES and r.id not in mine
        }
        looked_at.update((record.id, record) for record in fresh)
        views = {}
        for run_id, record in looked_at.items():
            try:
                views[run_id] = self._other_view(record)
            except (AttributeError, KeyError, TypeError, ValueError) as exc:
                # Written by a Digit Lab that knows other settings (during an upgrade), or
                # odd: left out, said once, and no end to this server's looks.
                if self._unreadable.get(run_id) != record.updated:
                    self._unreadable[run_id] = record.updated
                    print(f"Digit Lab: run {run_id} cannot be read: {exc!r}", file=sys.stderr)
        with self._lock:
            self.teacher_only = teacher_only
            self._others.update(views)
            for run_id in stops:
                if run_id in self._runs:
                    self._stop_here(self._runs[run_id])
            self._changed.notify_all()

    def _other_view(self, record: RunRecord) -> RunView:
        """A run of the database as this server shows it; one whose server has gone is
        written down as interrupted (by whichever server sees it first)."""
        cut_off = record.state in ACTIVE_STATES and server_gone(record.server, record.updated)
        fields, history = from_record(record, cut_off=cut_off)
        if cut_off:
            try:
                self._records.end_if_unchanged(record, INTERRUPTED, to_text(fields["said"]))
            except StorageError as exc:
                print(f"Digit Lab: run {record.id} was not written down: {exc}", file=sys.stderr)
        return _with_history(RunView(**fields, from_database=True), history)

    def _watch(self) -> None:
        while not self._closing.wait(WATCH_SECONDS):
            self.refresh()

    def _journal(self) -> None:
        """Write changed runs down every JOURNAL_SECONDS, outside the pages' way; a run that
        has ended is written at once (other servers show it ended, its line moves on)."""
        while not self._closed:
            self._journal_due.wait(JOURNAL_SECONDS)
            self._journal_due.clear()
            self._write_journal()

    def _write_journal(self) -> None:
        if self._records is None:
            return
        # One writer at a time, so an older view of a run never lands after a newer one.
        with self._journal_lock:
            with self._lock:
                due = [run for run in self._runs.values() if run.dirty]
                for run in due:
                    run.dirty = False
                work = [(run, self._view(run), run.history.copy()) for run in due]
                # Waiting and quiet runs are renewed, so other servers know this one is there.
                quiet = [r.view.id for r in self._runs.values() if r.view.active and r not in due]
            for run, view, history in work:
                try:
                    view = self._checkpoint(run, view)
                    self._records.save(to_record(view, history, self.server))
                except (StorageError, OSError, ValueError) as exc:
                    print(f"Digit Lab: run {view.id} was not written down: {exc}", file=sys.stderr)
            try:
                self._records.renew(quiet)
            except StorageError as exc:
                print(f"Digit Lab: the runs were not renewed: {exc}", file=sys.stderr)
        self._prune_files()

    def _prune_files(self) -> None:
        """Only the newest KEEP_RUN_FILES ended runs keep their checkpoint and TensorBoard
        folder: a class's hundreds of runs do not fill the disk. Older runs keep their
        figures; a model saved from one is a copy of its own and stays."""
        with self._lock:
            ended = sorted((r for r in self._runs.values() if r.ended), key=lambda r: -r.ended)
            doomed = [
                r for r in ended[KEEP_RUN_FILES:] if not r.pruned and r.view.live_network is None
            ]
            files = []
            for run in doomed:
                run.pruned = True
                if run.view.checkpoint:
                    files.append(Path(run.view.checkpoint))
                    run.view = replace(run.view, checkpoint=None)
                    run.dirty = True  # written down without it at the next journal
        for path in files:
            path.unlink(missing_ok=True)
        if self._tensorboard is not None:
            for run in doomed:
                shutil.rmtree(self._tensorboard / f"run-{run.view.id}", ignore_errors=True)

    def _checkpoint(self, run: _Run, view: RunView) -> RunView:
        """After each epoch, and when a run ends, its latest weights go to a model file."""
        network = view.live_network
        epochs = len(run.history.epochs)
        ended_with_new_weights = not view.active and view.live_step > view.checkpoint_step
        if network is None or self._checkpoints is None:
            return view
        if epochs == run.checkpointed_epochs and not ended_with_new_weights:
            return view
        path = self._checkpoints / f"run-{view.id}{SUFFIX}"
        metadata = {
            "name": f"Run {view.id}: {view.name}",
            "config": view.config.to_dict(),
            "status": view.state,
            "checkpoint_step": view.live_step,
        }
        save_model(path, network, metadata, overwrite=True)
        with self._lock:
            run.checkpointed_epochs = epochs
            run.view = replace(run.view, checkpoint=str(path), checkpoint_step=view.live_step)
            self._release_old_networks()  # now that its weights are safe in the file
            self._changed.notify_all()
        return replace(view, checkpoint=str(path), checkpoint_step=view.live_step)

    def _view(self, run: _Run) -> RunView:
        position = None
        if run.view.state == QUEUED:
            position = self._waiting.index(run.view.id) + 1
        return _with_history(replace(run.view, queue_position=position), run.history)

    def _start_waiting(self) -> None:
        """Start queued runs while there are free slots; the caller holds the lock."""
        busy = sum(r.view.state in (STARTING, RUNNING) for r in self._runs.values())
        while self._waiting and busy < self.max_concurrent and not self._closed:
            run = self._runs[self._waiting.pop(0)]
            run.inbox, outgoing = self._context.Pipe(duplex=False)
            run.stop_event = self._context.Event()
            run.process = self._context.Process(
                target=train_in_child,
                args=(run.view.config, self.settings, outgoing, run.stop_event, self._inputs(run)),
                name=f"digit-lab-training-{run.view.id}",
                daemon=True,
            )
            run.process.start()
            run.inputs = TrainingInputs()  # the child has its copy; the server lets go
            outgoing.close()  # the child's copy is the only one: its death closes the pipe
            run.view = replace(run.view, state=STARTING)
            run.dirty = True  # other servers see it left the line (and cancel it no more)
            threading.Thread(
                target=self._read, args=(run,), daemon=True, name=f"run-{run.view.id}-reader"
            ).start()
            busy += 1

    def _inputs(self, run: _Run) -> TrainingInputs:
        if self._tensorboard is None:
            return run.inputs
        return replace(run.inputs, logdir=str(self._tensorboard / f"run-{run.view.id}"))

    def _read(self, run: _Run) -> None:
        """Apply what the child sends until it ends, however it ends."""
        try:
            while True:
                # Ready when a message (or the end of the pipe) arrives, or the child exits.
                if run.inbox not in wait_for_any([run.inbox, run.process.sentinel]):
                    break  # exited, and nothing more can arrive
                try:
                    message = run.inbox.recv()
                except (EOFError, OSError):  # OSError: the pipe ended inside a message
                    break  # the child has gone
                with self._lock:
                    done = self._apply(run, message)
                    self._changed.notify_all()
                if done:
                    run.process.join(timeout=10)
                    return
        except Exception as exc:  # a message that cannot be read: end the run, say why
            traceback.print_exc()
            run.process.terminate()
            run.process.join(timeout=10)
            self._end_early(run, unreadable_message(exc, run.view))
            return
        finally:
            run.inbox.close()
        run.process.join(timeout=10)
        if run.process.is_alive():  # it closed its pipe yet lives on: it is of no use now
            run.process.terminate()
            run.process.join(timeout=10)
        self._end_early(run, killed_message(run.process.exitcode, run.view))

    def _end_early(self, run: _Run, message: Said) -> None:
        """A run whose child is gone without its last word fails; its live weights stay."""
        with self._lock:
            if run.view.active:
                self._finish(run, FAILED, message)

    def _apply(self, run: _Run, message: object) -> bool:
        """Fold one message into the run; True when the run is over. Caller holds the lock."""
        view = run.view
        run.dirty = True
        if view.state not in ACTIVE_STATES:
            return True  # already ended (stopped while starting)
        if isinstance(message, (RunStarted, BatchEnd, EpochEnd, RunEnded)):
            run.history.add(message)
            if isinstance(message, RunStarted):
                run.view = replace(view, state=RUNNING)
        elif isinstance(message, WeightsSnapshot):
            run.view = replace(view, live_network=message.network, live_step=message.step)
        elif isinstance(message, Finished):
            result = message.result
            ended = result.history.ended
            run.view = replace(
                run.view,
                result=result,
                mistakes=message.mistakes,
                live_network=result.network,
                live_step=ended.step if ended else run.view.live_step,
            )
            self._finish(run, result.status, result.message)
            return True
        elif isinstance(message, Failed):
            self._finish(run, FAILED, message.message)
            return True
        return False

    def _finish(self, run: _Run, state: str, message: Said) -> None:
        run.view = replace(run.view, state=state, message=str(message), said=message)
        run.ended = next(self._endings)
        run.dirty = True
        self._journal_due.set()
        self._release_old_networks()
        self._start_waiting()
        self._changed.notify_all()

    def _release_old_networks(self) -> None:
        """Runs that ended before the last few keep only what the Train page shows."""
        ended = sorted((r for r in self._runs.values() if r.ended), key=lambda r: -r.ended)
        for run in ended[KEEP_NETWORKS:]:
            unwritten = self._records is not None and run.view.checkpoint_step < run.view.live_step
            if run.view.live_network is not None and not unwritten:
                result = run.view.result
                lean = None if result is None else result.without_network()
                run.view = replace(run.view, live_network=None, result=lean)


def _with_history(view: RunView, history: History) -> RunView:
    return replace(
        view,
        started=history.started,
        losses=tuple(history.losses),
        epochs=tuple(history.epochs),
        last_batch=history.last_batch,
        ended=history.ended,
    )


def server_name() -> str:
    """This server among those sharing a database: its machine, its process, and a random
    part, so a restarted server never takes an earlier one's runs for its own."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def server_gone(server: str | None, updated: datetime | None) -> bool:
    """Whether the server of an active run has gone: none is named (a run from before
    several servers), its process on this machine has ended, or it has not renewed the
    run for GONE_SECONDS (its machine may be off; servers' clocks must agree)."""
    if not server or updated is None:
        return True
    if updated.tzinfo is None:  # SQLite keeps no time zone: it was written in UTC
        updated = updated.replace(tzinfo=UTC)
    if (datetime.now(UTC) - updated).total_seconds() > GONE_SECONDS:
        return True
    host, _, rest = server.partition(":")
    pid = rest.partition(":")[0]
    return host == socket.gethostname()[:40] and pid.isdigit() and not _alive(int(pid))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):  # OverflowError: no such process id at all
        return False
    except PermissionError:  # there, but someone else's
        return True
    return True
