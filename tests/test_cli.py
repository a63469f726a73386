import argparse

import pytest

from gilscope.cli import parse_interval, parse_mix


@pytest.mark.parametrize(
    "text, seconds", [("5ms", 0.005), ("0.2ms", 0.0002), ("200us", 0.0002), ("0.01s", 0.01), ("0.005", 0.005)]
)
def test_interval_suffixes(text, seconds):
    assert parse_interval(text) == pytest.approx(seconds)


def test_interval_garbage():
    with pytest.raises(argparse.ArgumentTypeError):
        parse_interval("fast")


def test_mix():
    assert parse_mix("cpu:2,sleep:1,hashlib:2:buffer_bytes=1024") == [
        {"kind": "cpu", "threads": 2, "params": {}},
        {"kind": "sleep", "threads": 1, "params": {}},
        {"kind": "hashlib", "threads": 2, "params": {"buffer_bytes": 1024.0}},
    ]


def test_run_exports_a_chrome_trace_and_segments(tmp_path):
    import csv
    import json
    import subprocess
    import sys

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
