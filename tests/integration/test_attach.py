"""gilscope attach on programs it did not start: the interpreter's own counter, per-thread states and the
holder's stacks on every CPython here, Prometheus counters that only grow, and clear refusals (no rights, not
CPython, too old). Bounds separate the physics (two spinning threads against a 1 ms sleeper)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
TARGET = SCRIPTS / "crunch_nap.py"
PYENV = Path("/root/.pyenv/versions")
CLI = [sys.executable, "-m", "gilscope.cli", "attach"]


def start(python: str = sys.executable, seconds: str = "30", script: Path = TARGET) -> subprocess.Popen:
    proc = subprocess.Popen([python, str(script), seconds], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    time.sleep(0.3)  # the threads are running
    return proc


def attach(pid: int, tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess, dict]:
    out = tmp_path / "a.json"
    done = subprocess.run([*CLI, str(pid), "--json", str(out), *args], capture_output=True, text=True, timeout=120)
    return done, (json.loads(out.read_text()) if out.exists() else {})


def interpreters() -> list[str]:
    found = [sys.executable]
    for version in ("3.12.1", "3.13.0"):
        p = PYENV / version / "bin" / "python3"
        if p.exists():
            found.append(str(p))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("python", interpreters())
def test_attach_counts_exactly_and_tells_holding_from_waiting(tmp_path, python):
    target = start(python)
    try:
        done, s = attach(target.pid, tmp_path, "--duration", "2", "--export", str(tmp_path / "x.folded"))
        assert done.returncode == 0, done.stderr[-2000:]
        assert target.poll() is None  # never stopped, never paused for long
    finally:
        target.kill()
        target.wait()
    assert s["handoffs"] == s["switch_counter_delta"] > 0  # the interpreter's own counter, exactly
    by = {t["name"]: t for t in s["threads"]}
    assert set(by) == {"crunch-1", "crunch-2", "napper", "MainThread"}, list(by)  # their own names, from outside
    crunch = [by["crunch-1"], by["crunch-2"]]
    assert all(0.2 <= t["states"]["holding"] <= 0.8 for t in crunch)
    assert by["napper"]["states"]["waiting"] >= 0.4 and by["MainThread"]["states"]["blocked"] >= 0.9
    assert s["stacks"]["ok"], s["stacks"]
    top = s["gil_holders"][0]
    assert top["function"] == "crunch" and top["file"].endswith("crunch_nap.py")
    assert any(line.startswith("crunch") for line in (tmp_path / "x.folded").read_text().splitlines())
    assert s["trace"]["exit"]["how"] == "detached"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def metrics(url: str) -> dict[str, float]:
    from prometheus_client.parser import text_string_to_metric_families

    out: dict[str, float] = {}
    for fam in text_string_to_metric_families(httpx.get(url, timeout=5).text):
        for sample in fam.samples:
            key = sample.name + ("{" + ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items())) + "}")
            out[key] = out.get(key, 0.0) + sample.value
    return out


def total(m: dict[str, float], name: str, has: str = "") -> float:
    return sum(v for k, v in m.items() if k.startswith(name + "{") and has in k)


@pytest.mark.slow
def test_prometheus_counters_only_grow_and_give_true_rates(tmp_path):
    target = start()
    port = free_port()
    watcher = subprocess.Popen(
        [*CLI, str(target.pid), "--prometheus", f"127.0.0.1:{port}"], stderr=subprocess.PIPE, text=True
    )
    url = f"http://127.0.0.1:{port}/metrics"
    try:
        for _ in range(200):
            try:
                first = metrics(url)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        time.sleep(1.0)
        first, t0 = metrics(url), time.monotonic()
        time.sleep(3.0)
        second, dt = metrics(url), time.monotonic() - t0
    finally:
        watcher.terminate()
        watcher.wait(timeout=10)
        target.kill()
        target.wait()
    for key, value in first.items():
        if key.endswith("_total{}") or "_total{" in key:
            assert second.get(key, 0.0) >= value, key  # counters never go back

    def rate(name: str, has: str = "") -> float:
        return (total(second, name, has) - total(first, name, has)) / dt

    assert rate("gilscope_gil_handoffs_total") > 0
    # every thread is in exactly one state at any time: the four state counters together grow by about one
    # second a second per thread (4: two crunchers, the napper, the main thread), whatever the sampling rate
    all_states = sum(rate(f"gilscope_gil_{s}_seconds_total") for s in ("held", "wait")) + sum(
        rate(f"gilscope_thread_{s}_seconds_total") for s in ("blocked", "native")
    )
    assert 0.6 * 4 <= all_states <= 1.4 * 4, all_states
    # the crunchers hold the GIL, the napper waits for it
    assert rate("gilscope_gil_held_seconds_total", "crunch") > 5 * rate("gilscope_gil_held_seconds_total", "nap")
    assert rate("gilscope_gil_wait_seconds_total", "nap") > 5 * rate("gilscope_gil_held_seconds_total", "nap")
    labels = {k.split("{")[1] for k in second if k.startswith("gilscope_gil_held_seconds_total")}
    assert labels <= {"thread=crunch-N}", "thread=napper}", "thread=MainThread}"}, labels  # digits folded away


def test_a_program_that_is_not_cpython_is_refused_in_words(tmp_path):
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        done, _s = attach(sleeper.pid, tmp_path, "--duration", "1")
    finally:
        sleeper.kill()
        sleeper.wait()
    assert done.returncode == 2 and "not a CPython" in done.stderr


def test_an_interpreter_too_old_is_refused_in_words(tmp_path):
    old = PYENV / "3.10.13" / "bin" / "python3"
    if not old.exists():
        pytest.skip("no CPython 3.10 here")
    target = subprocess.Popen(
        [str(old), "-c", "import time; print('ready', flush=True); time.sleep(30)"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert target.stdout is not None and target.stdout.readline().strip() == "ready"
        done, _s = attach(target.pid, tmp_path, "--duration", "1")
    finally:
        target.kill()
        target.wait()
    assert done.returncode == 2 and "3.11 and newer" in done.stderr, done.stderr


def test_no_such_process(tmp_path):
    done, _s = attach(4_000_000, tmp_path, "--duration", "1")
    assert done.returncode == 2 and "no process 4000000" in done.stderr


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None, reason="needs root and setpriv")
def test_a_user_without_rights_gets_the_cause_and_the_fixes(tmp_path):
    target = start()
    try:
        env = {**os.environ, "HOME": str(tmp_path)}
        root = str(Path(__file__).resolve().parents[2])
        code = f"import sys; sys.path.insert(0, {root!r}); from gilscope.cli import main; sys.exit(main(sys.argv[1:]))"
        done = subprocess.run(
            [
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                sys.executable,
                "-c",
                code,
                "attach",
                str(target.pid),
                "--duration",
                "1",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            cwd="/",
        )
    finally:
        target.kill()
        target.wait()
    assert done.returncode != 0 and "permission denied" in done.stderr.lower(), done.stderr
    assert "CAP_SYS_PTRACE" in done.stderr and "gilscope trace" in done.stderr
