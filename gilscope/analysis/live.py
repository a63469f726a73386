"""A program watched while it runs (`gilscope attach/trace --live`): its events as they happen, in the shapes of a
run's, so the dashboard draws it with the run view and the same stream.

Fed every tick with what the observer has sampled so far, a `LiveState` turns only the new samples into events:
the hello once (with a `live` block: the page keeps a rolling window), `threads` for threads found later, a tick
with the new segments and holder spans in ms since the look began and the hand-offs so far, and about every
second a `holders` event: each thread's seconds in each state since the start, the code that held the GIL most
so far (counted incrementally, so a look of hours costs the same per second) and the latest long holds.

Pure: thread records, spans and stack samples in, events out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from gilscope.analysis import events
from gilscope.analysis.holders import HolderTally, StackSample, long_hold_threshold_s
from gilscope.analysis.trace_summary import ThreadRecord
from gilscope.records import HOLDING, IO, NATIVE, WAITING
from gilscope.schema import (
    HelloEvent,
    HelloThread,
    HoldersEvent,
    Instruments,
    LiveThread,
    LongHold,
    PythonInfo,
    ThreadsEvent,
    TickEvent,
)

WINDOW_S = 30.0  # the page's rolling window; the server keeps about this much of a live run's ticks
TOP_HOLDERS = 10
LATEST_LONG_HOLDS = 20


def hello_thread(th: ThreadRecord) -> HelloThread:
    return {"name": th.name, "kind": "python" if th.python else "native", "style": "hold", "region": "io"}


class LiveState:
    """What has been sent so far, and the counters since the start."""

    def __init__(self, t0_ns: int, switch_start: int | None, window_s: float = WINDOW_S) -> None:
        self.t0, self.switch_start, self.window_s = t0_ns, switch_start, window_s
        self.sent_threads = 0
        self.cursor: list[int] = []  # per thread: samples already turned into segments
        self.open: list[tuple[int, int] | None] = []  # per thread: (start_ns, state) of the segment still open
        self.last_t: list[int | None] = []
        self.seconds: list[list[float]] = []  # per thread: seconds holding, waiting, blocked, native
        self.spans_sent = 0
        self.tally = HolderTally()
        self.long: list[LongHold] = []  # newest last
        self.long_total = 0
        self.recent: list[StackSample] = []  # the stack samples of the last few seconds: a long hold's line

    def _ms(self, t: int) -> float:
        return round((t - self.t0) / 1e6, 4)

    def hello(
        self,
        pid: int,
        threads: Sequence[ThreadRecord],
        python: PythonInfo | None,
        interval_s: float | None,
        instruments: Instruments,
        program: list[str],
    ) -> HelloEvent:
        """The first event: the threads known so far (later ones come as `threads` events)."""
        self._grow(len(threads))
        self.sent_threads = len(threads)
        ev = events.hello(pid, [hello_thread(th) for th in threads], python, interval_s, instruments)
        ev["live"] = {"window_s": self.window_s, "program": program}
        return ev

    def new_threads(self, threads: Sequence[ThreadRecord]) -> ThreadsEvent | None:
        """Threads found since the last call, or None."""
        if len(threads) <= self.sent_threads:
            return None
        first = self.sent_threads
        self._grow(len(threads))
        self.sent_threads = len(threads)
        return {"type": "threads", "first": first, "threads": [hello_thread(th) for th in threads[first:]]}

    def _grow(self, n: int) -> None:
        while len(self.cursor) < n:
            self.cursor.append(0)
            self.open.append(None)
            self.last_t.append(None)
            self.seconds.append([0.0, 0.0, 0.0, 0.0])

    def rewind(self) -> None:
        """The observer let go of its samples and spans (a look left on keeps no history): start over at 0."""
        self.cursor = [0] * len(self.cursor)
        self.spans_sent = 0

    def tick(
        self,
        threads: Sequence[ThreadRecord],
        spans: Sequence[tuple[int, int, int]],
        now_ns: int,
        switch_now: int | None,
        interval_s: float | None,
        stack_samples: Sequence[StackSample] = (),
    ) -> TickEvent:
        """The new segments of every thread and the new holder spans since the last tick, and the figures."""
        self._grow(len(threads))
        segments: list[list[float]] = []
        for i, th in enumerate(threads[: len(self.cursor)]):
            segments += self._segments(i, th)
        new_spans = spans[self.spans_sent :]
        self.spans_sent = len(spans)
        holder = [[self._ms(max(a, self.t0)), self._ms(b), who] for a, b, who in new_spans if b > self.t0]
        self.tally.add(stack_samples)
        self.recent += stack_samples
        self._long_holds(new_spans, [th.name for th in threads], interval_s or 0.005)
        elapsed = max(1e-9, (now_ns - self.t0) / 1e9)
        return events.tick(round(elapsed, 3), segments, holder, [], events.figures(self._handoffs(switch_now), elapsed))

    def _handoffs(self, switch_now: int | None) -> int | None:
        if self.switch_start is None or switch_now is None:
            return None
        return max(0, switch_now - self.switch_start)

    def _segments(self, i: int, th: ThreadRecord) -> list[list[float]]:
        """Run-length segments of the new samples; the open one is sent up to its last sample and goes on from
        there, so that segments of one thread never overlap."""
        out: list[list[float]] = []
        c = self.cursor[i]
        ts, ss = th.t[c:], th.s[c:]
        self.cursor[i] = len(th.t)
        if not ts:
            return out
        acc, last = self.seconds[i], self.last_t[i]
        cur = self.open[i]
        for t, s in zip(ts, ss, strict=True):
            if last is not None and 0 <= s < len(acc):
                acc[s] += max(0, t - last) / 1e9
            last = t
            if cur is None:
                cur = (t, s)
            elif s != cur[1]:
                out.append([i, cur[1], self._ms(cur[0]), self._ms(t)])
                cur = (t, s)
        self.last_t[i] = last
        if cur is not None and last is not None and last > cur[0]:
            out.append([i, cur[1], self._ms(cur[0]), self._ms(last)])
            cur = (last, cur[1])
        self.open[i] = cur
        return out

    def _long_holds(self, spans: Sequence[tuple[int, int, int]], names: list[str], interval_s: float) -> None:
        limit_ns = long_hold_threshold_s(interval_s) * 1e9
        horizon = max((b for _a, b, _w in spans), default=0) - int(60e9)
        self.recent = [s for s in self.recent if s.t_ns >= horizon]
        for a, b, who in spans:
            if b - a <= limit_ns or not 0 <= who < len(names):
                continue
            seen = Counter(
                (s.stack[-1], s.in_c_call) for s in self.recent if a <= s.t_ns <= b and s.thread == who and s.stack
            )
            leaf, in_c = seen.most_common(1)[0][0] if seen else ((None, None, None), False)
            self.long.append(
                {
                    "thread": names[who],
                    "function": leaf[0],
                    "file": leaf[1],
                    "line": leaf[2],
                    "in_c_call": in_c,
                    "start_ms": self._ms(a),
                    "held_ms": round((b - a) / 1e6, 3),
                }
            )
            self.long_total += 1
        del self.long[:-LATEST_LONG_HOLDS]

    def holders(
        self,
        threads: Sequence[ThreadRecord],
        now_ns: int,
        switch_now: int | None,
        sample_s: float,
        stacks_detail: str,
    ) -> HoldersEvent:
        """Counters since the start, the heaviest holders so far and the latest long holds."""
        elapsed = max(1e-9, (now_ns - self.t0) / 1e9)
        names = [th.name for th in threads]
        rows: list[LiveThread] = []
        for name, acc in zip(names, self.seconds, strict=False):
            rows.append(
                {
                    "name": name,
                    "holding_s": round(acc[HOLDING], 3),
                    "waiting_s": round(acc[WAITING], 3),
                    "blocked_s": round(acc[IO], 3),
                    "native_s": round(acc[NATIVE], 3),
                }
            )
        handoffs = self._handoffs(switch_now)
        return {
            "type": "holders",
            "t_s": round(elapsed, 3),
            "handoffs": handoffs,
            "handoffs_per_s": round(handoffs / elapsed, 1) if handoffs is not None else None,
            "threads": rows,
            "gil_holders": self.tally.top(names, sample_s, elapsed, TOP_HOLDERS),
            "long_holds": list(reversed(self.long)),
            "long_holds_total": self.long_total,
            "stacks_detail": "" if self.tally.samples else stacks_detail,
        }
