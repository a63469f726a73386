"""The streamed events, built in one place, in the shapes of gilscope.schema: an experiment's runner streams them
live, a trace builds them after the fact (analysis.trace_summary.trace_events), the server stores and replays
them, and the page and the exports read them.

Pure: what the run measured in, one event out.
"""

from __future__ import annotations

from typing import Literal

from gilscope.schema import (
    FailedEvent,
    HelloEvent,
    HelloThread,
    Instruments,
    PhaseEvent,
    PythonInfo,
    Summary,
    SummaryEvent,
    TickEvent,
    TickFigures,
)


def hello(
    pid: int, threads: list[HelloThread], python: PythonInfo | None, interval_s: float | None, instruments: Instruments
) -> HelloEvent:
    """The run has started: its threads, interpreter and instruments."""
    return {
        "type": "hello",
        "pid": pid,
        "threads": threads,
        "python": python,
        "interval_s": interval_s,
        "instruments": instruments,
    }


def figures(handoffs: int | None, elapsed_s: float) -> TickFigures:
    """The live figures: hand-offs so far, and per second of the run so far."""
    return {
        "handoffs": handoffs,
        "handoffs_per_s": round(handoffs / elapsed_s, 1) if handoffs is not None else None,
    }


def tick(
    t_s: float, segments: list[list[float]], holder: list[list[float]], progress: list[int], figures: TickFigures
) -> TickEvent:
    """One tick: new timeline segments [thread, state, start_ms, end_ms], new holder spans [start_ms, end_ms,
    thread or FREE/OTHER], each thread's progress and the live figures."""
    return {
        "type": "tick",
        "t_s": t_s,
        "segments": segments,
        "holder": holder,
        "progress": progress,
        "figures": figures,
    }


def phase(name: Literal["running", "baseline"]) -> PhaseEvent:
    return {"type": "phase", "phase": name}


def summary(s: Summary) -> SummaryEvent:
    """The run is done: its last event."""
    return {"type": "summary", "summary": s}


def failed(error: str) -> FailedEvent:
    """The run ended without a summary: its last event, saying why in words for the user."""
    return {"type": "failed", "error": error}


def hello_thread(name: str, kind: str, style: str, region: str) -> HelloThread:
    """One thread as the hello announces it: hold or release style, and what its released region is called."""
    return {
        "name": name,
        "kind": kind,
        "style": "release" if style == "release" else "hold",
        "region": "io" if region == "io" else "native",
    }
