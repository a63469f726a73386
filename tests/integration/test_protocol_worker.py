"""The worker's protocol: every message names itself in `type`, the runner refuses a line that is no message,
and a real worker speaks exactly the shapes experiment.protocol declares."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from gilscope.experiment.probes import create_probe_file
from gilscope.experiment.protocol import (
    DoneMessage,
    HelloMessage,
    SpecMessage,
    StartedMessage,
    parse_message,
)
from gilscope.spec import RunSpec

ROOT = Path(__file__).resolve().parents[2]


def test_a_real_worker_speaks_the_protocol(tmp_path):
    cap = 20_000
    probe = tmp_path / "probes.bin"
    create_probe_file(str(probe), 2, cap)
    spec: SpecMessage = {
        "type": "spec",
        "mode": "threaded",
        "interval_s": 0.005,
        "duration_s": 0.2,
        "probe_path": str(probe),
        "probe_cap": cap,
        "blas_threads": 1,
        "pairs": 5,
        "threads": [
            {"name": t["name"], "kind": t["kind"], "params": t["params"]}
            for t in RunSpec(mix=[{"kind": "cpu", "threads": 1}, {"kind": "sleep", "threads": 1}]).thread_list()
        ],
    }
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    out = subprocess.run(
        [sys.executable, "-m", "gilscope.experiment.worker", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=True,
    )
    messages = [parse_message(line) for line in out.stdout.splitlines()]
    assert [m["type"] for m in messages] == ["hello", "started", "done"]
    hello, started, done = messages
    assert set(hello) == set(HelloMessage.__annotations__)
    assert set(started) == set(StartedMessage.__annotations__)
    assert set(done) <= set(DoneMessage.__annotations__)
    assert {"type", "errors", "cpu_total_ns", "process_cpu_ns", "threads"} <= set(done)
    assert done["errors"] == [] and len(done["threads"]) == 2


def test_the_worker_refuses_a_spec_without_its_type(tmp_path):
    path = tmp_path / "spec.json"
    path.write_text(json.dumps({"mode": "threaded", "threads": []}))
    out = subprocess.run(
        [sys.executable, "-m", "gilscope.experiment.worker", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert out.returncode != 0 and "not a spec" in out.stderr and out.stdout == ""
