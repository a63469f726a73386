"""Where the GIL was held, and who waited behind whom: the holder's sampled Python stacks joined with every
thread's waiting intervals and the holder spans.

Each stack sample stands for the same slice of time (the observed time over the number of stack reads tried),
so a holder's seconds are an unbiased estimate whatever the rate; a wait is charged to the code that held the
GIL while it lasted. Pure: plain data in, the summary's blocks out.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from gilscope.schema import GilHolder, LongHold, StacksEvent, WaitBehind

FrameKey = tuple[str, str, int | None]  # function, file, line
LONG_HOLD_MIN_S = 0.05  # a hold this long (or ten switch intervals, whichever is longer) starves everyone
LONG_HOLD_INTERVALS = 10
MAX_HOLDERS = 20
MAX_LONG_HOLDS = 100


@dataclass(frozen=True)
class StackSample:
    t_ns: int
    thread: int  # the holder's thread index; -1 when it is none of the named threads
    stack: tuple[FrameKey, ...]  # outermost first
    in_c_call: bool


def long_hold_threshold_s(interval_s: float) -> float:
    return max(LONG_HOLD_MIN_S, LONG_HOLD_INTERVALS * interval_s)


def _frame(key: FrameKey) -> str:
    fn, file, line = key
    return f"{fn} ({file}:{line if line is not None else '?'})"


def _waiting_at(intervals: Sequence[tuple[int, int]], starts: Sequence[int], t: int) -> bool:
    i = bisect.bisect_right(starts, t) - 1
    return i >= 0 and intervals[i][0] <= t < intervals[i][1]


def _thread_name(names: Sequence[str], thread: int) -> str:
    return names[thread] if 0 <= thread < len(names) else "other"


class HolderTally:
    """The code that held the GIL, counted as stack samples arrive: each sample once, by its leaf line and
    whether C code called from it ran. Threads are kept by index and named only when asked, so a live look can
    count samples of threads it has not named yet."""

    def __init__(self) -> None:
        self.weight: Counter[tuple[FrameKey, bool]] = Counter()
        self.threads: dict[tuple[FrameKey, bool], set[int]] = defaultdict(set)
        self.stacks: dict[tuple[FrameKey, bool], Counter[tuple[FrameKey, ...]]] = defaultdict(Counter)
        self.samples = 0

    def add(self, samples: Sequence[StackSample]) -> None:
        for s in samples:
            if not s.stack:
                continue
            key = (s.stack[-1], s.in_c_call)
            self.weight[key] += 1
            self.threads[key].add(s.thread)
            self.stacks[key][s.stack] += 1
            self.samples += 1

    def top(self, names: Sequence[str], sample_s: float, wall_s: float, n: int) -> list[GilHolder]:
        """The n heaviest, heaviest first: the seconds each held, its share of wall_s, its threads (by name,
        each name once) and its commonest full stack."""
        out: list[GilHolder] = []
        for (leaf, in_c), count in self.weight.most_common(n):
            fn, file, line = leaf
            held = count * sample_s
            out.append(
                {
                    "function": fn,
                    "file": file,
                    "line": line,
                    "in_c_call": in_c,
                    "held_s": round(held, 4),
                    "share": round(held / wall_s, 4) if wall_s > 0 else 0.0,
                    "samples": count,
                    "threads": sorted({_thread_name(names, t) for t in self.threads[(leaf, in_c)]}),
                    "stack": [_frame(k) for k in self.stacks[(leaf, in_c)].most_common(1)[0][0]],
                }
            )
        return out


def gil_holders(
    samples: Sequence[StackSample], names: Sequence[str], sample_s: float, wall_s: float
) -> list[GilHolder]:
    """The code that held the GIL, heaviest first: one entry per leaf line (and whether C code called from it
    ran), with the seconds it held, its share of the run, its threads and its commonest full stack."""
    tally = HolderTally()
    tally.add(samples)
    return tally.top(names, sample_s, wall_s, MAX_HOLDERS)


def waits_behind(
    samples: Sequence[StackSample],
    waiting: Sequence[Sequence[tuple[int, int]]],
    names: Sequence[str],
    sample_s: float,
) -> list[WaitBehind]:
    """For each waiting thread, the seconds it waited behind each holder's line (heaviest first). Threads of
    one name (a pool's workers) count together, on either side."""
    starts = [[a for a, _b in w] for w in waiting]
    acc: Counter[tuple[str, str, FrameKey]] = Counter()
    stack_of: dict[tuple[str, str, FrameKey], Counter[tuple[FrameKey, ...]]] = defaultdict(Counter)
    for s in samples:
        if not s.stack:
            continue
        holder = _thread_name(names, s.thread)
        for w, intervals in enumerate(waiting):
            if w != s.thread and intervals and _waiting_at(intervals, starts[w], s.t_ns):
                key = (names[w], holder, s.stack[-1])
                acc[key] += 1
                stack_of[key][s.stack] += 1
    out: list[WaitBehind] = []
    for (waiter, holder_name, leaf), n in acc.most_common():
        fn, file, line = leaf
        out.append(
            {
                "waiter": waiter,
                "holder_thread": holder_name,
                "function": fn,
                "file": file,
                "line": line,
                "waited_s": round(n * sample_s, 4),
                "stack": [_frame(k) for k in stack_of[(waiter, holder_name, leaf)].most_common(1)[0][0]],
            }
        )
    return out[: MAX_HOLDERS * 4]


def long_holds(
    spans: Sequence[tuple[int, int, int]],
    samples: Sequence[StackSample],
    names: Sequence[str],
    t0_ns: int,
    interval_s: float,
) -> list[LongHold]:
    """Every single hold longer than the threshold, with the line the stack samples inside it saw most."""
    limit_ns = long_hold_threshold_s(interval_s) * 1e9
    times = [s.t_ns for s in samples]
    out: list[LongHold] = []
    for a, b, who in spans:
        if b - a <= limit_ns or not 0 <= who < len(names):
            continue
        lo, hi = bisect.bisect_left(times, a), bisect.bisect_right(times, b)
        seen = Counter((s.stack[-1], s.in_c_call) for s in samples[lo:hi] if s.thread == who and s.stack)
        leaf, in_c = seen.most_common(1)[0][0] if seen else ((None, None, None), False)
        out.append(
            {
                "thread": names[who],
                "function": leaf[0],
                "file": leaf[1],
                "line": leaf[2],
                "in_c_call": in_c,
                "start_ms": round((a - t0_ns) / 1e6, 3),
                "held_ms": round((b - a) / 1e6, 3),
            }
        )
    out.sort(key=lambda h: -h["held_ms"])
    return out[:MAX_LONG_HOLDS]


def folded(samples: Sequence[StackSample], names: Sequence[str]) -> list[str]:
    """Folded stacks of the GIL-held time (`thread;frame;frame count`), as speedscope, inferno and
    flamegraph.pl read them."""
    counts: Counter[str] = Counter()
    for s in samples:
        if not s.stack:
            continue
        thread = _thread_name(names, s.thread)
        frames = [_frame(k) for k in s.stack] + (["[C call]"] if s.in_c_call else [])
        counts[";".join([thread, *frames]).replace("\n", " ")] += 1
    return [f"{k} {n}" for k, n in sorted(counts.items())]


MAX_EVENT_SAMPLES = 20_000  # a long run's samples are thinned evenly to this many in its stacks event


def stacks_event(samples: Sequence[StackSample], names: Sequence[str], t0_ns: int, sample_s: float) -> StacksEvent:
    """The run's `stacks` event: folded stacks, and the timed samples over a frame table (for the Chrome trace's
    nested frames and the page's hover)."""
    table: dict[FrameKey, int] = {}
    step = max(1, -(-len(samples) // MAX_EVENT_SAMPLES))
    timed: list[list[float | int | list[int]]] = []
    for s in samples[::step]:
        ids = [table.setdefault(k, len(table)) for k in s.stack]
        timed.append([round((s.t_ns - t0_ns) / 1e6, 3), s.thread, int(s.in_c_call), ids])
    return {
        "type": "stacks",
        "folded": folded(samples, names),
        "frames": [_frame(k) for k in table],
        "samples": timed,
        "sample_ms": round(sample_s * 1e3 * step, 4),
    }
