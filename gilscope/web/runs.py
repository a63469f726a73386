"""The run service: what every route asks about runs, and the one place that changes them.

It composes the parts, each with one job: admission and the queue (admission.py), the runner process that
measures (driver.py), the runs in memory and the store behind them (run_cache.py), and the open event streams
(viewers.py). Routes call its methods and read `RunRecord`s, whether a run is live or stored.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

from gilscope.config import Limits
from gilscope.spec import RunSpec
from gilscope.store import RunDB, RunRecord
from gilscope.web.admission import Admission, QueueFull, RateLimited, TooManyActive
from gilscope.web.driver import Driver
from gilscope.web.live_run import FINAL, FINAL_EVENTS, EventLog, Run, StoredLog, event_type
from gilscope.web.run_cache import RunCache
from gilscope.web.viewers import TooManyStreams, Viewers

__all__ = [
    "FINAL",
    "FINAL_EVENTS",
    "INTERRUPTED",
    "EventLog",
    "NotOwner",
    "Progress",
    "QueueFull",
    "QueueState",
    "RateLimited",
    "Run",
    "RunManager",
    "TooManyActive",
    "TooManyStreams",
    "event_type",
]

INTERRUPTED = "interrupted: the server stopped while this run was in flight"
CANCEL_WAIT_S, CANCEL_POLL_S = 1.0, 0.025  # the kill is immediate; a cancel waits briefly to say it is over


class NotOwner(Exception):
    """Only the browser that submitted a run, or the teacher, may cancel it."""


@dataclass(frozen=True)
class Progress:
    """What only a run in memory has: its place in the queue and how many events it has sent so far."""

    position: int | None
    events: int


@dataclass(frozen=True)
class QueueState:
    running: str | None  # the run in progress
    queued: list[str]  # the waiting runs, in order
    latest: str | None  # the run in progress, or else the last one to finish
    viewers: int  # event streams open now
    shown: str | None = None  # what /now shows: the newest to start of the runs in flight and the finished ones


class RunManager:
    def __init__(self, limits: Limits, store: RunDB) -> None:
        self.limits = limits
        self.admission = Admission(limits)
        self.driver = Driver(limits)
        self.cache = RunCache(limits, store)
        self.viewers = Viewers(limits.max_streams, limits.streams_per_client)
        self.wakeup = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    # -- submitting and cancelling ----------------------------------------------------------------------
    def submit(
        self, spec: RunSpec, client: str, owner: str = "", group: str | None = None, lesson: str | None = None
    ) -> Run:
        """Queues a run, or raises RateLimited, QueueFull or TooManyActive."""
        self.admission.admit(client, group)
        run = Run(uuid.uuid4().hex[:12], spec, client, owner=owner, group_id=group, lesson=lesson)
        self.cache.add(run)
        self.admission.enqueue(run)
        self.wakeup.set()
        return run

    @property
    def stopping(self) -> bool:
        """The server is shutting down: nothing new is started."""
        return self.driver.stopping

    def remember_group(self, group_id: str, kind: str, label: str) -> None:
        self.cache.remember_group(group_id, kind, label)

    def position(self, run: Run) -> int | None:
        return self.admission.position(run)

    async def cancel(self, run_id: str, by: str, teacher: bool = False) -> RunRecord | None:
        """Cancels a run held in memory, if `by` (a client id) submitted it or the teacher asks; None for a run
        not held, NotOwner for someone else's. Waits briefly so that the answer can say the run is over."""
        run = self.cache.get(run_id)
        if run is None:
            return None
        if not (teacher or (run.owner and run.owner == by)):
            raise NotOwner(run_id)
        self._cancel(run)
        for _attempt in range(round(CANCEL_WAIT_S / CANCEL_POLL_S)):
            if run.status in FINAL:
                break
            await asyncio.sleep(CANCEL_POLL_S)
        return run.record()

    async def clear_queue(self) -> int:
        """The teacher's broom: every waiting run is cancelled (the running one is not)."""
        waiting = list(self.admission.waiting)
        for run in waiting:
            self._cancel(run)
        return len(waiting)

    def _cancel(self, run: Run) -> None:
        if run.status == "queued":
            self.admission.withdraw(run)
            self._finish(run, "cancelled", "cancelled before it started")
        elif run.status == "running" and run.proc is not None:
            run.status = "cancelling"
            self.driver.kill(run)

    # -- reading ----------------------------------------------------------------------------------------
    async def lookup(self, run_id: str) -> RunRecord | None:
        """Any run this server holds or its data folder kept (across restarts); None if there is none."""
        return await self.cache.lookup(run_id)

    async def events(self, run_id: str) -> list[str] | None:
        """A run's events so far, or a stored run's complete stream; None for an unknown run."""
        return await self.cache.events(run_id)

    async def event_log(self, run_id: str) -> EventLog | None:
        """What a stream follows: the live run (its events still growing) or a stored run's complete stream."""
        run = self.cache.get(run_id)
        if run is not None:
            return run
        stored = await self.cache.stored_events(run_id)
        return None if stored is None else StoredLog(stored)

    async def set_notes(self, run_id: str, notes: dict[str, str | None]) -> bool:
        """Names or notes a run (PATCH /api/runs/{id}); False for a run the store does not have."""
        return await self.cache.set_notes(run_id, notes)

    def progress(self, run_id: str) -> Progress | None:
        """A run in memory's place in the queue and event count; None for a run only the store holds."""
        run = self.cache.get(run_id)
        return None if run is None else Progress(self.admission.position(run), len(run.events))

    async def list_runs(self, **filters: Any) -> tuple[list[RunRecord], int]:
        """Stored runs, newest first, filtered and paged (see RunDB.list_runs); runs in flight say their status."""
        return await self.cache.list_runs(**filters)

    async def group(self, group_id: str, limit: int = 500) -> tuple[dict[str, Any] | None, list[str]]:
        """A stored group's record (None if there is none) and its runs' ids in the order they ran."""
        return await self.cache.group(group_id, limit)

    def state(self) -> QueueState:
        running = self.admission.running or self.cache.live()  # an experiment, else a live look
        latest = running or self.cache.latest_finished()
        # The class's page shows the newest run to start, whether it still runs or not: a run that ended keeps
        # the screen until a newer one starts (a look left in flight from before does not take it back), and a
        # short run that started and ended between two of the page's asks is not missed.
        started = [r for r in (self.admission.running, self.cache.live(), self.cache.latest_started()) if r]
        shown = max(started, key=lambda r: r.started or r.created, default=latest)
        return QueueState(
            running=running.id if running else None,
            queued=[r.id for r in self.admission.waiting],
            latest=latest.id if latest else None,
            viewers=self.viewers.open,
            shown=shown.id if shown else None,
        )

    def store_health(self) -> dict[str, Any]:
        return self.cache.health()

    def viewer(self, client: str) -> AbstractAsyncContextManager[None]:
        """One event stream's slot (`async with`), given back however the stream ends; TooManyStreams on entry
        when the server's or the client's cap is reached."""
        return self.viewers.slot(client)

    # -- the loop -----------------------------------------------------------------------------------------
    def interrupted_runs(self) -> None:
        """Runs the store remembers as in flight when a previous server stopped: they ended there."""
        self.cache.mark_interrupted(INTERRUPTED)

    async def start(self) -> None:
        await self.driver.prepare()
        self.task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        """Server shutdown: runs in flight end here, and say so."""
        if self.task:
            self.task.cancel()
        running = self.admission.running
        for run in list(self.admission.in_flight()):
            if run.status not in FINAL:
                self.driver.kill(run)
                self._finish(run, "failed", INTERRUPTED)
        self.admission.waiting.clear()
        await self.driver.stop(running)
        await self.cache.close()

    def flush(self) -> None:
        """Waits for every store write asked so far (shutdown, tests)."""
        self.cache.flush()

    async def _loop(self) -> None:
        while True:
            run = self.admission.next()
            if run is None:
                self.wakeup.clear()
                await self.wakeup.wait()
                continue
            try:
                await self._execute(run)
            except Exception as exc:  # the server keeps serving whatever a run does
                self._finish(run, "failed", f"internal error: {exc!r}")
            finally:
                self.admission.done()
                await self.driver.prepare()

    async def _execute(self, run: Run) -> None:
        run.status, run.started = "running", time.time()
        self.cache.persist(run)
        run.add(json.dumps({"type": "phase", "phase": "running"}))
        await self.driver.execute(run, self._finish)

    def _finish(self, run: Run, status: str, error: str | None, final_event: str | None = None) -> None:
        """Ends a run; its last event (summary, failed or cancelled) ends every viewer's stream. The run and
        its whole event stream go to the store; memory keeps only the latest finished runs."""
        run.status, run.error, run.finished = status, error, time.time()
        run.add(final_event or json.dumps({"type": status, "status": status, "error": error}))
        self.cache.finished(run)
