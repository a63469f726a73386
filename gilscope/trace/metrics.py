"""Prometheus counters of a watched program, cheap enough to leave on (`--prometheus HOST:PORT`).

Counters only grow, so any scrape interval gives true rates (a gauge of "contention right now" read 162% for
dask, see dask/distributed#8557). Hand-offs come from the interpreter's own counter (exact); held, waiting,
blocked and native seconds are the thread's samples, each counted for the time since that thread's previous
sample (unbiased at any rate). Threads are labelled by their name with digits folded (`worker-N`), so that
thread churn never grows the label set without bound. Served by prometheus_client from the observer's own
process, never the program's.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, start_http_server

from gilscope.records import HOLDING, IO, NATIVE, WAITING

if TYPE_CHECKING:
    from gilscope.trace.attach import Attacher

_DIGITS = re.compile(r"\d+")
_TID = re.compile(r" \(\d+\)$")


def label(name: str) -> str:
    """A thread's label: its name without the thread id we add, digits folded."""
    return _DIGITS.sub("N", _TID.sub("", name))


class GilMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.handoffs = Counter(
            "gilscope_gil_handoffs", "GIL hand-offs, from the interpreter's own switch counter", registry=registry
        )
        by = ["thread"]
        self.held = Counter("gilscope_gil_held_seconds", "Seconds a thread held the GIL", by, registry=registry)
        self.wait = Counter("gilscope_gil_wait_seconds", "Seconds a thread waited for the GIL", by, registry=registry)
        self.blocked = Counter(
            "gilscope_thread_blocked_seconds",
            "Seconds a thread was blocked in the kernel (I/O, sleep, locks)",
            by,
            registry=registry,
        )
        self.native = Counter(
            "gilscope_thread_native_seconds",
            "Seconds a thread ran (or was runnable) without the GIL",
            by,
            registry=registry,
        )
        self.long_holds = Counter(
            "gilscope_gil_long_holds", "Single holds longer than max(50 ms, 10 switch intervals)", registry=registry
        )
        self.observer = Counter(
            "gilscope_observer_cpu_seconds", "CPU seconds the observer itself used", registry=registry
        )
        self.by_state = {HOLDING: self.held, WAITING: self.wait, IO: self.blocked, NATIVE: self.native}
        self.read_upto: dict[int, int] = {}  # thread index -> samples already counted
        self.last_t: dict[int, int] = {}
        self.last_switch: int | None = None
        self.spans_seen = 0
        self.cpu = time.process_time()

    def update(self, att: Attacher) -> None:
        """Counts what the attacher sampled since the last update (called every tick, before it forgets)."""
        for th in att.table.order:
            rec, i = th.rec, th.index
            start = self.read_upto.get(i, 0) if att.keep_history else 0
            name = label(rec.name)
            last = self.last_t.get(i)
            for t, s in zip(rec.t[start:], rec.s[start:], strict=True):
                if last is not None and s in self.by_state:
                    self.by_state[s].labels(name).inc(max(0, t - last) / 1e9)
                last = t
            if last is not None:
                self.last_t[i] = last
            self.read_upto[i] = len(rec.t)
        if att.switch_last is not None:
            if self.last_switch is not None and att.switch_last > self.last_switch:
                self.handoffs.inc(att.switch_last - self.last_switch)
            self.last_switch = att.switch_last
        limit_ns = max(0.05, 10 * (att._interval() or 0.005)) * 1e9
        spans = att.spans[self.spans_seen :] if att.keep_history else att.spans
        self.long_holds.inc(sum(1 for a, b, who in spans if who >= 0 and b - a > limit_ns))
        self.spans_seen = len(att.spans)
        now = time.process_time()
        self.observer.inc(max(0.0, now - self.cpu))
        self.cpu = now


def serve_metrics(address: str) -> Callable[[Attacher], None]:
    """Starts /metrics on HOST:PORT; returns the attacher's per-tick hook that keeps the counters."""
    host, _, port = address.rpartition(":")
    if not port.isdigit():
        raise ValueError("give HOST:PORT, e.g. 127.0.0.1:9464")
    registry = CollectorRegistry()
    metrics = GilMetrics(registry)
    start_http_server(int(port), addr=host or "127.0.0.1", registry=registry)
    return metrics.update
