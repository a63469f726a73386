"""A worker that crashes, hangs, or runs out of memory ends the run as failed, with the reason."""

import os
import signal
import threading
import time

import pytest

from gilscope.experiment.runner import RunFailed, run_experiment
from gilscope.observe.lines import LineReader
from gilscope.spec import RunSpec


def test_killed_worker_is_reported_quickly():
    pid: dict = {}
    outcome: dict = {}

    def emit(e):
        if e["type"] == "hello":
            pid["worker"] = e["pid"]

    def go():
        try:
            run_experiment(RunSpec(mix=[{"kind": "cpu", "threads": 2}], duration_s=8), emit)
        except RunFailed as exc:
            outcome["error"] = str(exc)
            outcome["t"] = time.monotonic()

    t = threading.Thread(target=go)
    t.start()
    for _ in range(200):
        if "worker" in pid:
            break
        time.sleep(0.05)
    time.sleep(0.5)
    os.kill(pid["worker"], signal.SIGKILL)
    killed = time.monotonic()
    t.join(10)
    assert "SIGKILL" in outcome["error"]
    assert outcome["t"] - killed < 2.0


def test_overrun_is_stopped(monkeypatch):
    monkeypatch.setenv("GILSCOPE_OVERRUN_GRACE_S", "0.02")
    # one 2000 x 2000 matmul (about 0.2 s on one core here) runs far past the 20 ms of grace after a 0.1 s run
    spec = RunSpec(mix=[{"kind": "numpy", "threads": 1, "params": {"n": 2000}}], duration_s=0.1)
    with pytest.raises(RunFailed, match="overran"):
        run_experiment(spec)


def test_memory_limit_fails_the_run(monkeypatch):
    monkeypatch.setenv("GILSCOPE_WORKER_MEMORY_MB", "200")
    spec = RunSpec(
        mix=[
            {"kind": "sorted", "threads": 1, "params": {"size": 1_000_000}},
            {"kind": "numpy", "threads": 1, "params": {"n": 2000}},
        ],
        duration_s=0.5,
    )
    with pytest.raises(RunFailed, match="MemoryError|memory|exited|killed"):
        run_experiment(spec)


def test_flooded_output_is_cut_off():
    r, w = os.pipe()
    reader = LineReader(r, max_bytes=1000)
    os.write(w, b"x" * 2000)
    with pytest.raises(OverflowError):
        reader.read()
    os.close(w)
    os.close(r)
