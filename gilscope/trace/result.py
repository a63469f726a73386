"""A finished trace, in a module of its own so that whoever consumes one (the CLI, the notebook, the store)
needs nothing of the tracer."""

from __future__ import annotations

from dataclasses import dataclass

from gilscope.analysis.trace_summary import TraceRecord
from gilscope.schema import Event, Summary


@dataclass
class TraceResult:
    """A finished trace: its summary and event stream, and how the program ended."""

    summary: Summary
    events: list[Event]
    exit_code: int  # shell style: the program's status, or 128 + the signal that ended it
    status: str  # done (the program ended by itself) or failed (stopped: timeout, Ctrl-C, exec)
    error: str | None
    record: TraceRecord
