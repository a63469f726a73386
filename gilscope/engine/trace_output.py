"""Where a finished trace goes besides the terminal: the dashboard's history, and a Chrome trace file."""

from __future__ import annotations

import json
import time
import uuid
from typing import TYPE_CHECKING

from gilscope.engine.trace_program import TraceError

if TYPE_CHECKING:
    from gilscope.engine.tracer import TraceResult


def save(result: TraceResult, client: str = "cli") -> str:
    """Stores the trace in the dashboard's history (source "trace") with its event stream, in the format the
    dashboard streams, so /runs/{id} replays it; returns its id."""
    from gilscope.store import RunDB

    run_id = uuid.uuid4().hex[:12]
    s = result.summary
    now = time.time()
    spec = {
        "mix": [{"kind": "trace", "threads": len(s["threads"])}],
        "switch_interval_s": s["interval_s"] or s["interval_set_s"],
        "duration_s": s["wall_s"],
        "program": result.record.program,
    }
    db = RunDB()
    try:
        if db.error:
            raise TraceError(f"the trace was not saved: {db.error}")
        db.save_run(
            {
                "id": run_id,
                "created": now,
                "started": now - s["wall_s"],
                "finished": now,
                "status": result.status,
                "error": result.error,
                "client": client,
                "spec": spec,
                "summary": s,
                "source": "trace",
            }
        )
        db.save_events(run_id, [json.dumps(e, separators=(",", ":")) for e in result.events])
        if db.error:
            raise TraceError(f"the trace was not saved: {db.error}")
    finally:
        db.close()
    return run_id


def export_chrome(result: TraceResult, path: str) -> None:
    """Chrome Trace Event JSON (Perfetto, speedscope): a track per thread, the sampled holder on its own."""
    from gilscope.exports import chrome_trace, from_events

    text = chrome_trace(from_events(result.events), title="gilscope trace: " + " ".join(result.record.program))
    with open(path, "w") as f:
        f.write(text)
