"""Chrome Trace Event Format (JSON object form), which the Perfetto UI and speedscope open.

One process, one named track per thread (``thread_name`` metadata) whose GIL states are complete ("X")
slices, plus a track for the sampled GIL holder with an instant ("i") event at every hand-off it saw.
Times are microseconds from the run's common start line.
"""

from __future__ import annotations

import bisect
import json
from typing import Any

from gilscope.exports.stream import RunData
from gilscope.records import FREE, OTHER, STATE_NAMES

PID = 1
HOLDER_TID = 1000  # the sampled holder's track, after every thread's


def chrome_trace(run: RunData, title: str = "gilscope run") -> str:
    events: list[dict[str, Any]] = [{"ph": "M", "pid": PID, "tid": 0, "name": "process_name", "args": {"name": title}}]
    for i, name in enumerate(run.threads):
        events.append({"ph": "M", "pid": PID, "tid": i + 1, "name": "thread_name", "args": {"name": name}})
        events.append({"ph": "M", "pid": PID, "tid": i + 1, "name": "thread_sort_index", "args": {"sort_index": i}})
    for i, state, a, b in sorted(run.segments, key=lambda s: (s[2], s[0])):
        events.append(
            {
                "ph": "X",
                "pid": PID,
                "tid": i + 1,
                "name": STATE_NAMES[state],
                "cat": "gil",
                "ts": _us(a),
                "dur": max(0.0, _us(b) - _us(a)),
            }
        )
    if run.holder:
        events.append(
            {"ph": "M", "pid": PID, "tid": HOLDER_TID, "name": "thread_name", "args": {"name": "GIL holder (sampled)"}}
        )
        previous: int | None = None
        for a, b, who in sorted(run.holder):
            label = _who(run, who)
            events.append(
                {
                    "ph": "X",
                    "pid": PID,
                    "tid": HOLDER_TID,
                    "name": label,
                    "cat": "holder",
                    "ts": _us(a),
                    "dur": max(0.0, _us(b) - _us(a)),
                }
            )
            if who != FREE and previous is not None and who != previous:
                events.append(
                    {
                        "ph": "i",
                        "pid": PID,
                        "tid": HOLDER_TID,
                        "s": "t",
                        "cat": "handoff",
                        "name": f"hand-off {_who(run, previous)} -> {label}",
                        "ts": _us(a),
                    }
                )
            if who != FREE:
                previous = who
    events += _nested_frames(run)
    other = {"source": "gilscope", "dropped_segments": run.dropped_segments}
    if run.summary:
        other.update(handoffs=run.summary.get("handoffs"), interval_s=run.summary.get("interval_s"))
    return json.dumps({"traceEvents": events, "displayTimeUnit": "ms", "otherData": other})


def _nested_frames(run: RunData) -> list[dict[str, Any]]:
    """Each sampled stack of the holder, nested inside the holding slice it fell in: the frames share the
    sample's time (clipped to the slice), each deeper one a grid step narrower on both sides, so that every
    viewer nests them the same way."""
    if not run.stack_samples or run.sample_ms <= 0:
        return []
    holding: dict[int, list[tuple[float, float]]] = {}
    for i, state, a, b in run.segments:
        if STATE_NAMES[state] == "holding":
            holding.setdefault(i, []).append((a, b))
    starts = {i: [a for a, _b in sorted(v)] for i, v in holding.items()}
    for v in holding.values():
        v.sort()
    out: list[dict[str, Any]] = []
    half = run.sample_ms / 2
    step = 1 / 1024
    for t, who, in_c, ids in run.stack_samples:
        k = bisect.bisect_right(starts.get(who, []), t) - 1
        if k < 0:
            continue
        a, b = holding[who][k]
        if not a <= t <= b:
            continue
        lo, hi = _us(max(a, t - half)), _us(min(b, t + half))
        names = [run.frames[j] for j in ids] + (["[C call]"] if in_c else [])
        for depth, name in enumerate(names, 1):
            ts, dur = lo + depth * step, hi - lo - 2 * depth * step
            if dur <= 0:
                break
            out.append({"ph": "X", "pid": PID, "tid": who + 1, "name": name, "cat": "stack", "ts": ts, "dur": dur})
    return out


def _us(ms: float) -> float:
    """Milliseconds to microseconds on a binary grid (1/1024 us): then one slice's ts + dur is exactly the next
    slice's ts, and viewers (speedscope) see states that follow one another, never one nested in another."""
    return round(ms * 1000 * 1024) / 1024


def _who(run: RunData, who: int) -> str:
    if who == FREE:
        return "GIL free"
    if who == OTHER:
        return "another thread"
    return run.threads[who] if 0 <= who < len(run.threads) else f"thread-{who}"
