"""Where the GIL is held, read from outside: a traced program's holders, the waits behind them and its long
holds name the right lines, on every CPython here; an experiment names its workload's function; a folded-stack
export carries the same. Bounds separate the physics (a regex that keeps the GIL for ~160 ms a call against a
1 ms sleeper), never a tight window."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
HOGS = SCRIPTS / "hogs.py"
PYENV = Path("/root/.pyenv/versions")


def line_of(marker: str) -> int:
    return next(i for i, text in enumerate(HOGS.read_text().splitlines(), 1) if marker in text)


def traced(tmp_path: Path, python: str = sys.executable, seconds: str = "3") -> tuple[dict, list[str]]:
    out, folded = tmp_path / "s.json", tmp_path / "s.folded"
    proc = subprocess.run(
        [sys.executable, "-m", "gilscope.cli", "trace", "--json", str(out), "--export", str(folded), "--"]
        + [python, str(HOGS), seconds],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(out.read_text()), folded.read_text().splitlines()


def at(entry: dict, line: int) -> bool:
    return str(entry.get("file", "")).endswith("hogs.py") and entry.get("line") == line


@pytest.mark.slow
def test_the_regex_line_holds_the_gil_and_the_sleeper_waits_behind_it(tmp_path):
    s, folded = traced(tmp_path)
    regex, grind = line_of("BACKTRACK_LINE"), line_of("GRIND_LINE")
    assert s["stacks"]["ok"], s["stacks"]
    assert 20 <= s["stacks"]["rate_hz"] <= 1000 and s["stacks"]["samples"] > 50
    top = s["gil_holders"][0]
    assert top["function"] == "backtrack" and at(top, regex) and top["in_c_call"] and top["threads"] == ["backtrack"]
    assert top["share"] >= 0.5  # it keeps the GIL for ~160 ms at a time against others' 5 ms slices
    assert top["stack"][-1].startswith("backtrack (") and not any("bootstrap.py" in f for f in top["stack"])
    assert any(h["function"] == "grind" and at(h, grind) and not h["in_c_call"] for h in s["gil_holders"])
    dozer = [w for w in s["waits_behind"] if w["waiter"] == "dozer"]
    behind = sum(w["waited_s"] for w in dozer if w["holder_thread"] == "backtrack" and at(w, regex))
    assert behind >= 0.6 * sum(w["waited_s"] for w in dozer) > 0
    # every hold over max(50 ms, 10 intervals) is listed: here the regex calls (each one C call that keeps the GIL),
    # never two of them joined across a hand-off the samples did not see (the counter tells them apart)
    longs = [h for h in s["long_holds"] if h["thread"] == "backtrack" and at(h, regex)]
    assert len(longs) >= 3 and all(h["in_c_call"] and h["held_ms"] >= 50 for h in longs)
    counts = {line.rpartition(" ")[0]: int(line.rpartition(" ")[2]) for line in folded}
    heaviest = max(counts, key=counts.get)
    assert heaviest.startswith("backtrack;") and f"backtrack ({HOGS}:{regex})" in heaviest
    assert heaviest.endswith(";[C call]")


@pytest.mark.slow
@pytest.mark.parametrize("version", ["3.12.1", "3.13.0"])
def test_stacks_on_other_interpreters(tmp_path, version):
    python = PYENV / version / "bin" / "python3"
    if not python.exists():
        pytest.skip(f"no CPython {version} here")
    s, _folded = traced(tmp_path, str(python), "2")
    assert s["python"]["version"] == version and s["stacks"]["ok"], s["stacks"]
    top = s["gil_holders"][0]
    assert top["function"] == "backtrack" and at(top, line_of("BACKTRACK_LINE")) and top["in_c_call"]


@pytest.mark.slow
def test_an_experiment_names_its_workloads_function(tmp_path):
    out = tmp_path / "run.json"
    proc = subprocess.run(
        [sys.executable, "-m", "gilscope.cli", "run", "--mix", "cpu:2", "--duration", "1", "--json", str(out)]
        + ["--export", str(tmp_path / "trace.json")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    s = json.loads(out.read_text())
    assert s["stacks"]["ok"], s["stacks"]
    top = s["gil_holders"][0]
    assert "gilscope/workloads/" in top["file"] and Path(top["file"]).exists()  # the package's file, not a temp copy
    assert set(top["threads"]) <= {"cpu-1", "cpu-2"} and not top["in_c_call"]
    assert sum(h["share"] for h in s["gil_holders"]) <= 1.05
    # the Chrome trace nests each sampled stack inside the holding slice it fell in, on the same track
    events = json.loads((tmp_path / "trace.json").read_text())["traceEvents"]
    holding = [(e["tid"], e["ts"], e["ts"] + e["dur"]) for e in events if e.get("name") == "holding"]
    frames = [e for e in events if e.get("cat") == "stack"]
    assert frames and any("gilscope/workloads/" in e["name"] for e in frames)
    for e in frames:
        assert any(t == e["tid"] and a <= e["ts"] and e["ts"] + e["dur"] <= b for t, a, b in holding), e
