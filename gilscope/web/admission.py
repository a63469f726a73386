"""Who may queue a run, and the queue itself: one experiment at a time, first in first out.

Two experiments at once would distort each other on a small machine, so the queue is strict. A client is held to
a rate, to a number of submissions queued or running (a lesson's or a sweep's runs count as one), and the queue
to a length; each waiting run is told its place whenever the queue moves.
"""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Iterator

from gilscope.config import Limits
from gilscope.web.live_run import FINAL, Run

RATE_WINDOW_S = 60.0


class QueueFull(Exception):
    pass


class RateLimited(Exception):
    pass


class TooManyActive(Exception):
    pass


class Admission:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.waiting: deque[Run] = deque()
        self.running: Run | None = None
        self.recent: dict[str, deque[float]] = {}  # each client's submissions in the last minute

    def active_submissions(self, client: str) -> set[str]:
        """The client's submissions queued or running: a lesson's or a sweep's runs count as one."""
        return {r.group_id or r.id for r in self.in_flight() if r.client == client and r.status not in FINAL}

    def admit(self, client: str, group: str | None) -> None:
        """Counts one submission of the client's, or raises why it may not queue one now."""
        now = time.monotonic()
        stamps = self.recent.setdefault(client, deque())
        while stamps and now - stamps[0] > RATE_WINDOW_S:
            stamps.popleft()
        if len(stamps) >= self.limits.runs_per_client_per_minute:
            raise RateLimited(f"at most {self.limits.runs_per_client_per_minute} runs per client per minute")
        if len(self.waiting) >= self.limits.queue_length:
            raise QueueFull(f"the queue is full ({self.limits.queue_length} runs waiting); try again shortly")
        active = self.active_submissions(client)
        if (group is None or group not in active) and len(active) >= self.limits.active_per_client:
            raise TooManyActive(f"at most {self.limits.active_per_client} runs queued or running per client")
        stamps.append(now)

    def enqueue(self, run: Run) -> None:
        self.waiting.append(run)
        self.announce()

    def next(self) -> Run | None:
        """The next run to start (it becomes the running one), or None when nothing waits."""
        if not self.waiting:
            return None
        run = self.waiting.popleft()
        self.announce()  # said before the run counts as running, as before the split ("running": null)
        self.running = run
        return run

    def done(self) -> None:
        self.running = None

    def withdraw(self, run: Run) -> bool:
        """Takes a waiting run out of the queue; False if it was not waiting."""
        if run not in self.waiting:
            return False
        self.waiting.remove(run)
        self.announce()
        return True

    def in_flight(self) -> Iterator[Run]:
        """The running run, then the waiting ones in order."""
        if self.running is not None:
            yield self.running
        yield from self.waiting

    def position(self, run: Run) -> int | None:
        if run.status != "queued":
            return None
        for i, r in enumerate(self.waiting):
            if r is run:
                return i + 1
        return None

    def announce(self) -> None:
        """Tells every waiting run's viewers its place and what runs now."""
        running = self.running.id if self.running else None
        for i, r in enumerate(self.waiting):
            r.add(json.dumps({"type": "queue", "position": i + 1, "running": running}))
