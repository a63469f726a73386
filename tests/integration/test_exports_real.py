"""Exports of a real run's event stream: segments CSV and Chrome trace JSON agree with the stream."""

import csv
import io
import json

import pytest

from gilscope.experiment.runner import run_experiment
from gilscope.exports import chrome_trace, from_events, segments_csv
from gilscope.records import STATE_NAMES
from gilscope.spec import RunSpec


@pytest.fixture(scope="module")
def events():
    out: list[dict] = []
    run_experiment(
        RunSpec(
            mix=[{"kind": "cpu", "threads": 2}, {"kind": "sleep", "threads": 1}],
            switch_interval_s=0.001,
            duration_s=0.4,
        ),
        out.append,
    )
    return [json.dumps(e) for e in out]


def test_segments_csv_has_one_row_per_segment(events):
    run = from_events(events)
    rows = list(csv.reader(io.StringIO(segments_csv(run))))
    assert rows[0] == ["thread", "state", "start_ms", "end_ms"]
    assert len(rows) - 1 == len(run.segments) > 10
    assert {r[0] for r in rows[1:]} == {"cpu-1", "cpu-2", "sleep-1"}
    assert {r[1] for r in rows[1:]} <= set(STATE_NAMES)
    for r in rows[1:]:
        assert float(r[2]) <= float(r[3])


def test_chrome_trace_has_a_named_track_per_thread_and_complete_slices(events):
    run = from_events(events)
    trace = json.loads(chrome_trace(run))
    ev = trace["traceEvents"]
    names = {e["tid"]: e["args"]["name"] for e in ev if e["ph"] == "M" and e["name"] == "thread_name"}
    assert {"cpu-1", "cpu-2", "sleep-1"} <= set(names.values())
    slices = [e for e in ev if e["ph"] == "X"]
    assert len(slices) >= len(run.segments) and all(e["dur"] >= 0 for e in slices)
    assert all(e["tid"] in names for e in slices)
    handoffs = [e for e in ev if e["ph"] == "i"]
    assert handoffs, "two CPU threads at 1 ms hand the GIL over many times"
    assert trace["otherData"]["handoffs"] == run.summary["handoffs"]
