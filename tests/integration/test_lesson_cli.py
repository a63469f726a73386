"""`gilscope lesson`: a lesson run from the terminal, without a server: the page's plan and judge()."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from gilscope.lessons import LESSONS, plan

pytestmark = pytest.mark.slow


def lesson(*argv: str, repeats: int = 2) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GILSCOPE_LESSON_REPEATS": str(repeats)}  # the page's default, read the same way
    return subprocess.run(
        [sys.executable, "-m", "gilscope.cli", "lesson", *argv], capture_output=True, text=True, env=env, timeout=180
    )


def test_c2_prints_its_verdict_as_json():
    done = lesson("C2", "--json", "-")
    assert done.returncode == 0, done.stderr
    d = json.loads(done.stdout)  # stdout holds the JSON alone
    assert d.get("id") == "C2" and d.get("verdict") in ("confirmed", "nuanced", "outdated", "inconclusive")
    steps = plan(LESSONS["C2"], repeats=2)
    assert [(r["key"], r["repeat"]) for r in d.get("runs")] == [(s.key, s.repeat) for s in steps]
    assert all(r["id"] and r["status"] == "done" and r["figures"] for r in d["runs"]), d["runs"]
    assert isinstance(d["value"], float) and isinstance(d["disagree"], bool) and len(d["repeats"]) == 2
    # progress and the verdict in words went to stderr
    assert "C2: run 4 of 4 (repeat 2 of 2)" in done.stderr and "Verdict: " in done.stderr


def test_bad_lesson_and_missing_sweep_are_refused():
    bad = lesson("C42")
    assert bad.returncode == 2 and "C1, C2" in bad.stderr
    nosweep = lesson("C1", "--sweep")
    assert nosweep.returncode == 2 and "no sweep" in nosweep.stderr
    zero = lesson("C2", "--repeats", "0")
    assert zero.returncode == 2 and "--repeats" in zero.stderr
