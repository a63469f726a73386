"""The worker is stdlib-only and runs under every CPython with a GIL from 3.11 on: try each one present."""

from __future__ import annotations

import glob
import os

import pytest

from gilscope.experiment.runner import run_experiment
from gilscope.spec import RunSpec

CANDIDATES = sorted(
    {
        p
        for p in glob.glob("/root/.pyenv/versions/3.1[1-9]*/bin/python3")
        + glob.glob("/usr/bin/python3.1[1-9]")
        + glob.glob("/usr/local/bin/python3.1[1-9]")
        if os.access(p, os.X_OK)
    }
)


@pytest.mark.skipif(not CANDIDATES, reason="no other CPython 3.11+ on this machine")
@pytest.mark.parametrize("python", CANDIDATES)
def test_worker_runs_under(python, monkeypatch):
    monkeypatch.setenv("GILSCOPE_PYTHONS", python)
    spec = RunSpec(mix=[{"kind": "cpu", "threads": 2}, {"kind": "sleep", "threads": 1}], duration_s=1.0, python=python)
    s = run_experiment(spec)
    assert s["instruments"]["locator"], s["instruments"]["locator_detail"]
    assert s["handoffs"] == s["switch_counter_delta"] > 50
    assert s["cores_used"] < 1.3
