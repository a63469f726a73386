"""One row per timeline segment: thread, state, start_ms, end_ms (ms from the run's common start line)."""

from __future__ import annotations

import csv
import io

from gilscope.exports.stream import RunData
from gilscope.records import STATE_NAMES


def segments_csv(run: RunData) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["thread", "state", "start_ms", "end_ms"])
    for i, state, a, b in sorted(run.segments, key=lambda s: (s[0], s[2])):
        name = run.threads[i] if i < len(run.threads) else f"thread-{i}"
        w.writerow([name, STATE_NAMES[state], f"{a:.4f}", f"{b:.4f}"])
    return out.getvalue()
