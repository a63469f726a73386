"""A run's event stream, gathered into what the writers need: thread names, segments and holder spans."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RunData:
    threads: list[str]
    segments: list[tuple[int, int, float, float]]  # thread index, state, start_ms, end_ms
    holder: list[tuple[float, float, int]]  # start_ms, end_ms, thread index or FREE/OTHER
    summary: dict[str, Any] | None
    dropped_segments: int = 0  # thinned out of oversized ticks by the server: not in the stream
    spec: dict[str, Any] = field(default_factory=dict)
    folded: list[str] = field(default_factory=list)  # the holder's stacks, `thread;frame;frame count`
    frames: list[str] = field(default_factory=list)  # the stack samples' frame table
    stack_samples: list[list[Any]] = field(default_factory=list)  # [t_ms, thread, in C 0/1, [frame ids]]
    sample_ms: float = 0.0


def from_events(events: Iterable[str | Mapping[str, Any]], spec: dict[str, Any] | None = None) -> RunData:
    threads: list[str] = []
    segments: list[tuple[int, int, float, float]] = []
    holder: list[tuple[float, float, int]] = []
    summary, dropped = None, 0
    stacks: list[str] = []
    frames: list[str] = []
    timed: list[list[Any]] = []
    sample_ms = 0.0
    for raw in events:
        event = json.loads(raw) if isinstance(raw, str) else raw
        kind = event.get("type")
        if kind == "hello":
            threads = [t["name"] for t in event.get("threads", [])]
        elif kind == "tick":
            segments.extend((int(i), int(s), float(a), float(b)) for i, s, a, b in event.get("segments", []))
            holder.extend((float(a), float(b), int(w)) for a, b, w in event.get("holder", []))
            dropped += int(event.get("dropped_segments", 0))
        elif kind == "stacks":
            stacks.extend(str(line) for line in event.get("folded", []))
            frames = [str(f) for f in event.get("frames", [])]
            timed = list(event.get("samples", []))
            sample_ms = float(event.get("sample_ms") or 0.0)
        elif kind == "summary":
            summary = event.get("summary")
    return RunData(threads, segments, holder, summary, dropped, spec or {}, stacks, frames, timed, sample_ms)
