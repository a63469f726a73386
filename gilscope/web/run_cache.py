"""The runs in memory and the store behind them.

Memory holds every run queued or running and a bounded cache of the latest finished ones with their events;
the store holds every run. Writes go to the store in order on one thread, off the event loop; reads run on that
thread too, so they see every write asked before them.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from gilscope.config import Limits
from gilscope.store import RunDB, RunRecord
from gilscope.web.live_run import FINAL, Run

T = TypeVar("T")
KEEP_IN_MEMORY = 40  # finished runs kept in memory with their events; older ones are read from the store


class RunCache:
    def __init__(self, limits: Limits, store: RunDB) -> None:
        self.limits, self.store = limits, store
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gilscope-store")  # in order, off the loop
        self.runs: dict[str, Run] = {}
        self.finished_order: deque[str] = deque()  # finished runs still in memory, oldest first
        self.cached_bytes = 0  # their events' bytes: memory holds only a bounded cache, the store holds all

    # -- memory -----------------------------------------------------------------------------------------
    def add(self, run: Run) -> None:
        self.runs[run.id] = run
        self.persist(run)

    def get(self, run_id: str) -> Run | None:
        """A run held in memory (queued, running or recently finished)."""
        return self.runs.get(run_id)

    def live(self) -> Run | None:
        """The newest live look in flight (gilscope attach/trace --live), if any."""
        return next(
            (r for r in reversed(list(self.runs.values())) if r.source == "trace" and r.status not in FINAL), None
        )

    def latest_finished(self) -> Run | None:
        return next((r for r in reversed(list(self.runs.values())) if r.status in FINAL), None)

    def latest_started(self) -> Run | None:
        """Of the finished runs in memory, the one that started last (a run cancelled in the queue never started)."""
        ran = [r for r in self.runs.values() if r.status in FINAL and r.started is not None]
        return max(ran, key=lambda r: r.started or 0.0, default=None)

    def finished(self, run: Run) -> None:
        """A run that ended: it and its whole event stream go to the store; memory keeps only the latest."""
        self.persist(run, with_events=True)
        self.finished_order.append(run.id)
        self.cached_bytes += run.size
        while self.finished_order and (
            len(self.finished_order) > KEEP_IN_MEMORY or self.cached_bytes > self.limits.event_cache_mb << 20
        ):
            old = self.runs.pop(self.finished_order.popleft(), None)
            if old is not None:
                self.cached_bytes -= old.size

    # -- the store: writes --------------------------------------------------------------------------------
    def persist(self, run: Run, with_events: bool = False) -> None:
        record, events = run.record(), ([e for e in run.events if e] if with_events else None)

        def write() -> None:
            self.store.save_run(record)
            if events is not None:
                self.store.save_events(record.id, events)

        self.writer.submit(write)

    def remember_group(self, group_id: str, kind: str, label: str) -> None:
        self.writer.submit(self.store.save_group, group_id, kind, label)

    def finish_group(self, group_id: str, steps: list[dict[str, Any]], verdict: dict[str, Any] | None) -> None:
        self.writer.submit(self.store.finish_group, group_id, steps, verdict)

    async def last_verdicts(self) -> dict[str, dict[str, Any]]:
        """Each lesson's latest kept verdict (see RunDB.last_verdicts)."""
        return await self.in_store(self.store.last_verdicts)

    def mark_interrupted(self, message: str) -> None:
        self.store.mark_interrupted(message)

    def flush(self) -> None:
        """Waits for every write asked so far (shutdown, tests)."""
        self.writer.submit(lambda: None).result()

    async def close(self) -> None:
        await asyncio.get_running_loop().run_in_executor(None, self.flush)
        self.writer.shutdown(wait=True)

    # -- the store: reads -------------------------------------------------------------------------------
    async def in_store(self, fn: Callable[..., T], *args: Any, **kw: Any) -> T:
        """Runs a store call on the writer thread: off the event loop, and after every write asked before."""
        return await asyncio.get_running_loop().run_in_executor(self.writer, functools.partial(fn, *args, **kw))

    async def lookup(self, run_id: str) -> RunRecord | None:
        """A run's record: memory first (it knows best about runs in flight), then the store."""
        run = self.runs.get(run_id)
        if run is not None:  # its name and note live in the store only
            notes = await self.in_store(self.store.notes, run_id)
            return dataclasses.replace(run.record(), name=notes["name"], note=notes["note"])
        return await self.in_store(self.store.get, run_id)

    async def set_notes(self, run_id: str, notes: dict[str, str | None]) -> bool:
        """A run's name and/or note, stored after every write asked before (the run's own first save too)."""
        return await self.in_store(self.store.set_notes, run_id, notes)

    async def events(self, run_id: str) -> list[str] | None:
        """A run's events so far (a copy for a run in memory), or a stored run's complete stream."""
        run = self.runs.get(run_id)
        if run is not None:
            return [e for e in run.events if e]  # a live look's let-go events are empty places
        return await self.in_store(self.store.events, run_id)

    async def stored_events(self, run_id: str) -> list[str] | None:
        return await self.in_store(self.store.events, run_id)

    async def list_runs(self, **filters: Any) -> tuple[list[RunRecord], int]:
        """Stored runs as the store lists them, with the status of any still in flight from memory."""
        rows, total = await self.in_store(self.store.list_runs, **filters)
        return [self._live_status(r) for r in rows], total

    def _live_status(self, row: RunRecord) -> RunRecord:
        live = self.runs.get(row.id)
        return row if live is None else dataclasses.replace(row, status=live.status)

    async def group(self, group_id: str, limit: int) -> tuple[dict[str, Any] | None, list[str]]:
        """A group's record (None if the store has none) and its runs' ids in the order they ran."""
        record = await self.in_store(self.store.group, group_id)
        ids: list[str] = record["runs"] if record else []
        if not ids:  # a group the store has runs of but no record for
            rows, _total = await self.in_store(self.store.list_runs, group=group_id, limit=limit)
            ids = [r.id for r in reversed(rows)]
        return record, ids

    def health(self) -> dict[str, Any]:
        return self.store.health()
