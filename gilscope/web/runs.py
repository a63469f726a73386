"""Runs and their queue: one experiment at a time, FIFO, each in a runner process of its own.

Two experiments at once would distort each other on a small machine, so the queue is strict. The web server
never measures anything itself: `python -m gilscope.experiment.runner` does, and its JSON lines become the run's events,
kept in order so every viewer (and a reconnecting one) gets every event exactly once.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import signal
import sys
import time
import uuid
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from gilscope.config import Limits
from gilscope.observe import scratch
from gilscope.spec import RunSpec
from gilscope.store import RunDB

T = TypeVar("T")
FINAL = ("done", "failed", "cancelled")
FINAL_EVENTS = ("summary", "failed", "cancelled")
WATCHDOG_SLACK_S = 15.0  # past the spec's own time cap, before the watchdog stops a run
KEEP_IN_MEMORY = 40  # finished runs kept in memory with their events; older ones are read from the store
INTERRUPTED = "interrupted: the server stopped while this run was in flight"


class QueueFull(Exception):
    pass


class RateLimited(Exception):
    pass


class TooManyActive(Exception):
    pass


@dataclass
class Run:
    id: str
    spec: RunSpec
    client: str  # the connection's address: rate limit and queue cap
    owner: str = ""  # the submitting browser's client id: it (or the teacher) may cancel
    created: float = field(default_factory=time.time)
    status: str = "queued"
    summary: dict[str, Any] | None = None
    error: str | None = None
    started: float | None = None
    finished: float | None = None
    events: list[str] = field(default_factory=list)
    dropped_segments: int = 0
    lesson: str | None = None  # the claim whose lesson ran it
    group_id: str | None = None  # a sweep or a lesson's runs, stored together
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    proc: asyncio.subprocess.Process | None = None
    size: int = 0  # bytes of its events
    rendered: dict[str, str] = field(default_factory=dict)  # the final event per language, for every viewer

    def add(self, payload: str) -> None:
        self.events.append(payload)
        self.size += len(payload)
        self.changed.set()
        self.changed = asyncio.Event()

    def record(self) -> dict[str, Any]:
        """What the store keeps of the run (its events apart)."""
        return {
            "id": self.id,
            "created": self.created,
            "started": self.started,
            "finished": self.finished,
            "status": self.status,
            "error": self.error,
            "client": self.client,
            "spec": self.spec.model_dump(),
            "summary": self.summary,
            "lesson": self.lesson,
            "group_id": self.group_id,
            "source": "run",
        }

    def view(self, position: int | None) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "spec": self.spec.model_dump(),
            "summary": self.summary,
            "error": self.error,
            "position": position,
            "created": self.created,
            "started": self.started,
            "finished": self.finished,
            "events": len(self.events),
        }


class RunManager:
    def __init__(self, limits: Limits, store: RunDB) -> None:
        self.limits, self.store = limits, store
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gilscope-store")  # in order, off the loop
        self.runs: dict[str, Run] = {}
        self.queue: deque[Run] = deque()
        self.current: Run | None = None
        self.wakeup = asyncio.Event()
        self.recent: dict[str, deque[float]] = {}
        self.task: asyncio.Task | None = None
        self.finished_order: deque[str] = deque()  # finished runs still in memory, oldest first
        self.cached_bytes = 0  # their events' bytes: memory holds only a bounded cache, the store holds all
        self.spare: asyncio.subprocess.Process | None = None
        self.stopping = False
        self.viewers = 0  # event streams open now
        self.streams_of: dict[str, int] = {}  # open event streams per client id

    # -- queue ------------------------------------------------------------------------------------------
    def active_submissions(self, client: str) -> set[str]:
        """The client's submissions queued or running: a lesson's or a sweep's runs count as one."""
        runs = [*self.queue, *([self.current] if self.current else [])]
        return {r.group_id or r.id for r in runs if r.client == client and r.status not in FINAL}

    def submit(
        self, spec: RunSpec, client: str, owner: str = "", group: str | None = None, lesson: str | None = None
    ) -> Run:
        now = time.monotonic()
        stamps = self.recent.setdefault(client, deque())
        while stamps and now - stamps[0] > 60:
            stamps.popleft()
        if len(stamps) >= self.limits.runs_per_client_per_minute:
            raise RateLimited(f"at most {self.limits.runs_per_client_per_minute} runs per client per minute")
        if len(self.queue) >= self.limits.queue_length:
            raise QueueFull(f"the queue is full ({self.limits.queue_length} runs waiting); try again shortly")
        active = self.active_submissions(client)
        if (group is None or group not in active) and len(active) >= self.limits.active_per_client:
            raise TooManyActive(f"at most {self.limits.active_per_client} runs queued or running per client")
        stamps.append(now)
        run = Run(uuid.uuid4().hex[:12], spec, client, owner=owner, group_id=group, lesson=lesson)
        self.runs[run.id] = run
        self.queue.append(run)
        self._persist(run)
        self._announce_positions()
        self.wakeup.set()
        return run

    def position(self, run: Run) -> int | None:
        if run.status != "queued":
            return None
        for i, r in enumerate(self.queue):
            if r is run:
                return i + 1
        return None

    def _announce_positions(self) -> None:
        for i, r in enumerate(self.queue):
            running = self.current.id if self.current else None
            r.add(json.dumps({"type": "queue", "position": i + 1, "running": running}))

    async def clear_queue(self) -> int:
        """The teacher's broom: every waiting run is cancelled (the running one is not)."""
        waiting = list(self.queue)
        for run in waiting:
            await self.cancel(run)
        return len(waiting)

    async def cancel(self, run: Run) -> None:
        if run.status == "queued":
            self.queue.remove(run)
            self._finish(run, "cancelled", "cancelled before it started")
            self._announce_positions()
        elif run.status == "running" and run.proc is not None:
            run.status = "cancelling"
            _kill_group(run.proc.pid)

    async def start(self) -> None:
        await self.prepare()
        self.task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        """Server shutdown: runs in flight end here, and say so."""
        self.stopping = True
        if self.task:
            self.task.cancel()
        procs = [p for p in (self.current.proc if self.current else None, self.spare) if p is not None]
        for run in [self.current, *self.queue]:
            if run is not None and run.status not in FINAL:
                if run.proc is not None:
                    _kill_group(run.proc.pid)
                self._finish(run, "failed", INTERRUPTED)
        self.queue.clear()
        for proc in procs:
            if proc.returncode is None:
                _kill_group(proc.pid)
            try:
                await asyncio.wait_for(proc.wait(), timeout=5)  # reaped: no zombie
            except TimeoutError:
                pass
            scratch.remove_run_files(os.getpid(), proc.pid)
        await asyncio.get_running_loop().run_in_executor(None, self.flush)
        self.writer.shutdown(wait=True)

    async def _loop(self) -> None:
        while True:
            if not self.queue:
                self.wakeup.clear()
                await self.wakeup.wait()
                continue
            run = self.queue.popleft()
            self._announce_positions()
            self.current = run
            try:
                await self._execute(run)
            except Exception as exc:  # the server keeps serving whatever a run does
                self._finish(run, "failed", f"internal error: {exc!r}")
            finally:
                self.current = None
                await self.prepare()

    async def prepare(self) -> None:
        """Starts the next run's observer while nothing is measured, so its start-up costs no run anything."""
        if not self.stopping and (self.spare is None or self.spare.returncode is not None):
            self.spare = await _start_runner()

    # -- one run ----------------------------------------------------------------------------------------
    async def _execute(self, run: Run) -> None:
        run.status, run.started = "running", time.time()
        self._persist(run)
        run.add(json.dumps({"type": "phase", "phase": "running"}))
        proc = self.spare if self.spare is not None and self.spare.returncode is None else await _start_runner()
        self.spare = None
        try:
            await self._drive(run, proc)
        finally:  # however the run ends, its files go: probe folder, code folder, the worker's own files
            if proc.returncode is None:
                _kill_group(proc.pid)
            scratch.remove_run_files(os.getpid(), proc.pid)

    async def _drive(self, run: Run, proc: asyncio.subprocess.Process) -> None:
        assert proc.stdin is not None
        proc.stdin.write(run.spec.model_dump_json().encode() + b"\n")
        await proc.stdin.drain()
        proc.stdin.close()
        run.proc = proc
        failure: str | None = None
        assert proc.stdout is not None and proc.stderr is not None
        deadline = time.monotonic() + run.spec.time_cap_s() + WATCHDOG_SLACK_S
        comparing = False  # the one-thread comparison streams nothing until its end
        while True:
            left = deadline - time.monotonic()
            silence = self.limits.watchdog_silence_s
            wait = left if comparing else min(left, silence)
            try:
                line = await asyncio.wait_for(proc.stdout.readline(), timeout=max(0.0, wait))
            except TimeoutError:
                failure = (
                    f"stopped by the watchdog: the run went past its time cap of {run.spec.time_cap_s():.0f} s"
                    if left <= wait
                    else f"stopped by the watchdog: the experiment's observer was silent for {silence:g} s"
                )
                _kill_group(proc.pid)
                break
            if not line or not line.endswith(b"\n"):
                break  # the end, or a last line cut short by a kill: nothing more to read
            text = line.decode(errors="replace").strip()
            if not text or run.status in FINAL:
                continue
            kind = event_type(text)
            if kind == "tick" and len(text) > self.limits.max_event_bytes:
                text = self._thin(run, text)
            if kind == "summary":
                run.summary = json.loads(text)["summary"]
                self._finish(run, "done", None, final_event=text)  # viewers may ask for the run at once
            elif kind == "failed":
                failure = json.loads(text).get("error") or "the run failed"
            else:
                comparing = comparing or (kind == "phase" and '"baseline"' in text)
                run.add(text)
        code = await proc.wait()
        err = (await proc.stderr.read()).decode(errors="replace").strip().splitlines()[-3:]
        if run.status in FINAL:
            return
        if run.status == "cancelling" and not (failure or "").startswith("stopped by the watchdog"):
            self._finish(run, "cancelled", "cancelled by request")
        elif failure is not None:
            self._finish(run, "failed", failure)
        else:
            why = (
                f"the experiment's observer exited with status {code}"
                if code >= 0
                else f"the experiment's observer was killed by {signal.Signals(-code).name}"
            )
            self._finish(run, "failed", why + (": " + " | ".join(err) if err else ""))

    def _thin(self, run: Run, text: str) -> str:
        """An event over the size limit keeps its figures and drops its timeline segments, saying how many."""
        event = json.loads(text)
        dropped = len(event.get("segments", [])) + len(event.get("holder", []))
        event["segments"], event["holder"] = [], []
        event["dropped_segments"] = dropped
        run.dropped_segments += dropped
        return json.dumps(event, separators=(",", ":"))

    def _finish(self, run: Run, status: str, error: str | None, final_event: str | None = None) -> None:
        """Ends a run; its last event (summary, failed or cancelled) ends every viewer's stream. The run and
        its whole event stream go to the store; memory keeps only the latest finished runs."""
        run.status, run.error, run.finished = status, error, time.time()
        run.add(final_event or json.dumps({"type": status, "status": status, "error": error}))
        self._persist(run, with_events=True)
        self.finished_order.append(run.id)
        self.cached_bytes += run.size
        while self.finished_order and (
            len(self.finished_order) > KEEP_IN_MEMORY or self.cached_bytes > self.limits.event_cache_mb << 20
        ):
            old = self.runs.pop(self.finished_order.popleft(), None)
            if old is not None:
                self.cached_bytes -= old.size

    def _persist(self, run: Run, with_events: bool = False) -> None:
        record, events = run.record(), (list(run.events) if with_events else None)

        def write() -> None:
            self.store.save_run(record)
            if events is not None:
                self.store.save_events(record["id"], events)

        self.writer.submit(write)

    def flush(self) -> None:
        """Waits for every write asked so far (shutdown, tests)."""
        self.writer.submit(lambda: None).result()

    def interrupted_runs(self) -> None:
        """Runs the store remembers as in flight when a previous server stopped: they ended there."""
        self.store.mark_interrupted(INTERRUPTED)

    def remember_group(self, group_id: str, kind: str, label: str) -> None:
        self.writer.submit(self.store.save_group, group_id, kind, label)

    async def in_store(self, fn: Callable[..., T], *args: Any, **kw: Any) -> T:
        """Runs a store call on the writer thread: off the event loop, and after every write asked before."""
        return await asyncio.get_running_loop().run_in_executor(self.writer, functools.partial(fn, *args, **kw))

    async def stored(self, run_id: str) -> dict[str, Any] | None:
        """A finished run's record from the store (off the event loop)."""
        return await self.in_store(self.store.get, run_id)

    async def stored_events(self, run_id: str) -> list[str] | None:
        return await self.in_store(self.store.events, run_id)


def event_type(text: str) -> str:
    """An event's type, read from the start of its JSON without parsing the whole (ticks can be large)."""
    head = text[:40]
    i = head.find('"type":')
    if i < 0:
        return ""
    rest = head[i + 7 :].lstrip().lstrip('"')
    return rest.split('"', 1)[0]


async def _start_runner() -> asyncio.subprocess.Process:
    """A runner (the sampler) in a session of its own: a cancel kills it and its worker together."""
    env = {**os.environ, scratch.OWNER_ENV: str(os.getpid())}  # its files carry this server's name
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "gilscope.experiment.runner",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,
        limit=64 << 20,
        env=env,
    )


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
