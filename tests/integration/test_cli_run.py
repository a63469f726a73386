"""`gilscope run` as a user types it: a real child, its exports written to files."""

import csv
import json
import subprocess
import sys


def test_run_exports_a_chrome_trace_and_segments(tmp_path):
    trace, segments = tmp_path / "trace.json", tmp_path / "segments.csv"
    for out in (trace, segments):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "gilscope.cli",
                "run",
                "--mix",
                "cpu:2",
                "--interval",
                "1ms",
                "--duration",
                "0.3",
                "--export",
                str(out),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
    events = json.loads(trace.read_text())["traceEvents"]
    assert {e["args"]["name"] for e in events if e.get("name") == "thread_name"} >= {"cpu-1", "cpu-2"}
    assert any(e["ph"] == "X" for e in events)
    rows = list(csv.reader(segments.open()))
    assert rows[0] == ["thread", "state", "start_ms", "end_ms"] and len(rows) > 10
