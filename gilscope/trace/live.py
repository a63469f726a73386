"""`--live`: a watched program's events, sent while it runs to a `gilscope serve` on this machine.

The observer (an Attacher or a Tracer) calls the feed's hook every tick; the feed turns what was sampled since
the last tick into the run's own events (analysis.live) and a sender thread posts them in batches to
POST /api/live/{id}/events, so a slow or vanished server never holds up the sampling. At the end the finished
look's summary goes the same way and the server stores the run like a saved trace. The server only stores and
relays what it is sent: it runs nothing.
"""

from __future__ import annotations

import json
import queue
import sys
import threading
import time
from typing import TYPE_CHECKING, Any, cast

import httpx

from gilscope.analysis import blocks
from gilscope.analysis.holders import StackSample
from gilscope.analysis.live import LiveState
from gilscope.analysis.trace_summary import ThreadRecord
from gilscope.observe.holder_stacks import HolderStacks
from gilscope.observe.launch import PACKAGE
from gilscope.schema import Event, GilBlock
from gilscope.trace.program import TraceError

if TYPE_CHECKING:
    from gilscope.trace.attach import Attacher
    from gilscope.trace.result import TraceResult
    from gilscope.trace.tracer import Tracer

DEFAULT_URL = "http://127.0.0.1:8000"
HOLDERS_EVERY_S = 1.0
BATCH_BYTES = 1 << 20  # one POST at most (the server takes up to 8 MiB from this machine)
QUEUE_EVENTS = 2000  # events waiting for the sender at most: past that a stalled server loses ticks, not memory


def no_server(url: str, why: str) -> TraceError:
    return TraceError(
        f"--live: no gilscope dashboard answers at {url} ({why}). Start one on this machine with "
        f"`gilscope serve` (it listens on {DEFAULT_URL}), or give its address: --live URL."
    )


class LiveFeed:
    def __init__(self, url: str, program: list[str], pid: int = 0) -> None:
        self.url = (url or DEFAULT_URL).rstrip("/")
        self.program, self.pid = program, pid
        self.client = httpx.Client(timeout=10.0)
        self.run_id = ""
        self.state: LiveState | None = None
        self.next_holders = 0.0
        self.stack_cursor = 0
        self.outbox: queue.Queue[dict[str, Any] | None] = queue.Queue(QUEUE_EVENTS)
        self.lost = 0
        self.broken = ""
        self.sender: threading.Thread | None = None

    # -- the server ------------------------------------------------------------------------------------
    def open(self) -> str:
        """Announces the look to the server; returns the page's address. TraceError when no server answers."""
        try:
            r = self.client.post(self.url + "/api/live", json={"program": self.program, "pid": self.pid})
        except httpx.HTTPError as exc:
            raise no_server(self.url, str(exc) or type(exc).__name__) from None
        if r.status_code != 201:
            raise TraceError(f"--live: the dashboard at {self.url} refused the look ({r.status_code}): {_said(r)}")
        self.run_id = str(r.json()["id"])
        self.sender = threading.Thread(target=self._send_loop, name="gilscope-live-sender", daemon=True)
        self.sender.start()
        return f"{self.url}/runs/{self.run_id}"

    def _post(self, events: list[dict[str, Any]], end: dict[str, Any] | None = None) -> None:
        body: dict[str, Any] = {"events": events}
        if end is not None:
            body["end"] = end
        r = self.client.post(f"{self.url}/api/live/{self.run_id}/events", json=body)
        if r.status_code >= 400:
            raise httpx.HTTPError(f"{r.status_code}: {_said(r)}")

    def _send_loop(self) -> None:
        done = False
        while not done:
            first = self.outbox.get()
            batch: list[dict[str, Any]] = []
            size = 0
            item = first
            while True:
                if item is None:
                    done = True
                    break
                batch.append(item)
                size += len(json.dumps(item))
                if size >= BATCH_BYTES:
                    break
                try:
                    item = self.outbox.get_nowait()
                except queue.Empty:
                    break
            if batch and not self.broken:
                try:
                    self._post(batch)
                except httpx.HTTPError as exc:
                    self.broken = str(exc) or type(exc).__name__
                    print(
                        f"gilscope: --live: the dashboard at {self.url} stopped taking events: {self.broken}",
                        file=sys.stderr,
                    )
            time.sleep(0.05)  # a few ticks per request

    def _put(self, ev: Event | dict[str, Any]) -> None:
        try:
            self.outbox.put_nowait(dict(ev))
        except queue.Full:
            self.lost += 1

    # -- the observers' hooks --------------------------------------------------------------------------
    def _feed(
        self,
        threads: list[ThreadRecord],
        spans: list[tuple[int, int, int]],
        t0: int,
        switch_start: int | None,
        switch_now: int | None,
        interval_s: float | None,
        stacks: HolderStacks,
        owners: dict[int, int],
        hello: dict[str, Any],
        code_dir: str,
        hide: tuple[str, ...],
    ) -> None:
        now = time.perf_counter_ns()
        if self.state is None:
            self.state = LiveState(t0, switch_start)
            gil = cast(GilBlock, hello.get("gil") or {})
            instruments = blocks.instruments(gil, True, "", True, False, "found" if "address" in gil else None)
            self._put(
                self.state.hello(
                    self.pid, threads, blocks.python_info(hello.get("python")), interval_s, instruments, self.program
                )
            )
        st = self.state
        if st.switch_start is None:
            st.switch_start = switch_start
        grown = st.new_threads(threads)
        if grown is not None:
            self._put(grown)
        new = stacks.finished(code_dir, str(PACKAGE), hide, start=self.stack_cursor)
        self.stack_cursor = len(stacks.samples)
        samples = [StackSample(t, owners.get(ts, -1), frames, in_c) for t, ts, frames, in_c in new]
        self._put(st.tick(threads, spans, now, switch_now, interval_s, samples))
        if time.monotonic() >= self.next_holders:
            self.next_holders = time.monotonic() + HOLDERS_EVERY_S
            observed = max(1e-9, (now - t0) / 1e9)
            self._put(st.holders(threads, now, switch_now, stacks.sample_s(observed), stacks.detail))

    def on_attacher_tick(self, att: Attacher) -> None:
        self._feed(
            [th.rec for th in att.table.order],
            att.spans,
            att.t0,
            att.switch_start,
            att.switch_last,
            att._interval(),
            att.stacks,
            att.table.owners,
            {"python": att.target.python, "gil": {"address": att.target.gil}},
            "/nonexistent",
            (),
        )
        if not att.keep_history and self.state is not None:  # the attacher lets go of its samples next
            self.state.rewind()
            self.stack_cursor = 0

    def on_tracer_tick(self, tr: Tracer) -> None:
        self._feed(
            [th.rec for th in tr.threads.order],
            tr.spans,
            tr.t0,
            tr.hello.get("switch"),
            tr.last_switch,
            tr.hello.get("interval_s"),
            tr.stacks,
            tr.threads.owners,
            tr.hello,
            tr.code,
            ("trace/bootstrap.py",),
        )

    # -- the end ---------------------------------------------------------------------------------------
    def finish(self, result: TraceResult | None, error: str | None = None) -> None:
        """The look is over: what is queued, then the summary (or why there is none); the server stores the run."""
        self.outbox.put(None)
        if self.sender is not None:
            self.sender.join(timeout=30)
        if not self.run_id or self.broken:
            return
        events: list[dict[str, Any]] = []
        if result is not None:
            events = [dict(e) for e in result.events if e.get("type") == "summary"]
            end = {"status": result.status, "error": result.error}
        else:
            end = {"status": "failed", "error": error or "the look ended without a summary"}
        try:
            self._post(events, end)
        except httpx.HTTPError as exc:
            print(f"gilscope: --live: the summary did not reach {self.url}: {exc}", file=sys.stderr)
        if self.lost:
            print(f"gilscope: --live: {self.lost} events were dropped while the dashboard was slow", file=sys.stderr)
        self.client.close()


def _said(r: httpx.Response) -> str:
    try:
        body = r.json()
    except ValueError:
        return r.text[:200]
    return str(body.get("error") or body.get("detail"))[:300] if isinstance(body, dict) else str(body)[:300]
