"""Keeping a finished run that no server drove (a `gilscope trace`, a notebook cell) in the dashboard's history,
with its event stream in the format the dashboard streams, so /runs/{id} replays it."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from gilscope.schema import Summary
from gilscope.store.db import RunDB
from gilscope.store.record import RunRecord

if TYPE_CHECKING:
    from gilscope.trace.result import TraceResult


class NotSaved(Exception):
    """The store could not keep the run; the message says why."""


def trace_spec(summary: Summary, program: list[str]) -> dict[str, Any]:
    """What a traced run stands for in the history's spec column."""
    return {
        "mix": [{"kind": "trace", "threads": len(summary["threads"])}],
        "switch_interval_s": summary["interval_s"] or summary["interval_set_s"],
        "duration_s": summary["wall_s"],
        "program": program,
    }


def save_finished(
    summary: Summary,
    events: Iterable[Mapping[str, Any]],
    spec: dict[str, Any],
    status: str,
    error: str | None,
    client: str = "cli",
    source: str = "trace",
) -> str:
    """Stores the run and its events; returns its new id, or raises NotSaved."""
    run_id = uuid.uuid4().hex[:12]
    now = time.time()
    db = RunDB()
    try:
        if db.error:
            raise NotSaved(f"the run was not saved: {db.error}")
        db.save_run(
            RunRecord(
                id=run_id,
                created=now,
                started=now - summary["wall_s"],
                finished=now,
                status=status,
                error=error,
                client=client,
                spec=spec,
                summary=dict(summary),
                source=source,
            )
        )
        db.save_events(run_id, [json.dumps(e, separators=(",", ":")) for e in events])
        if db.error:
            raise NotSaved(f"the run was not saved: {db.error}")
    finally:
        db.close()
    return run_id


def save_trace(result: TraceResult, client: str = "cli") -> str:
    """A finished `gilscope trace` (or notebook cell) into the history, under source "trace"."""
    s = result.summary
    return save_finished(s, result.events, trace_spec(s, result.record.program), result.status, result.error, client)
