"""gilscope trace on real programs, in real subprocesses: output and exit status pass through, the counter is
exact, threads carry their names and states, bad input is refused in words, and however a program ends (crash,
hang, Ctrl-C, fork, exec, a thousand threads) what was measured is reported and no process is left behind."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from gilscope.schema import Event, Summary

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
CLI = [sys.executable, "-m", "gilscope.cli", "trace"]
PYENV = Path("/root/.pyenv/versions")


def trace(args: list[str], tmp_path: Path, timeout: float = 120, **kw) -> tuple[subprocess.CompletedProcess, dict]:
    out = tmp_path / "summary.json"
    proc = subprocess.run(
        [*CLI, "--json", str(out), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=kw.pop("cwd", tmp_path),
        **kw,
    )
    summary = json.loads(out.read_text()) if out.exists() else {}
    return proc, summary


def running_with(marker: str) -> list[int]:
    """Processes whose command line mentions marker (a test's own temporary path)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if marker.encode() in f.read():
                    found.append(int(pid))
        except OSError:
            pass
    return found


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.slow
def test_the_convoy_script(tmp_path):
    proc, s = trace(["--interval", "5ms", "--", sys.executable, str(SCRIPTS / "convoy.py"), "1.5"], tmp_path)
    assert "script says hello" in proc.stdout
    assert proc.returncode == 3, proc.stderr
    assert s["handoffs"] == s["switch_counter_delta"] and s["trace"]["counter_exact"]
    assert 60 <= s["handoffs_per_s"] <= 1000
    th = {t["name"]: t for t in s["threads"]}
    assert {"MainThread", "crunch-1", "crunch-2", "napper"} <= set(th)
    for name in ("crunch-1", "crunch-2"):
        assert 0.2 <= th[name]["states"]["holding"] <= 0.8, th[name]
    assert sum(t["states"]["holding"] for t in th.values()) <= 1.1
    assert th["napper"]["states"]["waiting"] >= 0.25, th["napper"]  # the convoy, seen from outside
    assert th["napper"]["states"]["holding"] < 0.1
    assert s["instruments"]["locator"] and s["instruments"]["proc_sampler"] and not s["instruments"]["probes"]
    assert s["sampler"]["rate_hz"] > 500
    assert "napper waited" in proc.stderr  # the report goes to stderr, the program's output to stdout
    TypeAdapter(Summary).validate_python(s, strict=True)


def test_argv_stdin_cwd_and_sys_path_are_the_programs(tmp_path):
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "helper.py", "VALUE = 'found beside the script'\n")
    script = write(
        tmp_path / "sub",
        "prog.py",
        "import os, sys, helper\nprint(sys.argv[1:], os.getcwd(), helper.VALUE, sys.stdin.read().strip(),"
        " 'gilscope' in sys.modules, os.environ.get('PYTHONPATH'), sys.path[0])\n",
    )
    proc = subprocess.run(
        [*CLI, str(script), "a", "--json", "-"],
        input="from stdin",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        env={**os.environ, "PYTHONPATH": "/nowhere"},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == (
        f"['a', '--json', '-'] {tmp_path} found beside the script from stdin False /nowhere {tmp_path / 'sub'}"
    )


def test_module_and_code_forms(tmp_path):
    write(tmp_path, "mymod.py", "import sys\nprint('module', __name__, sys.argv[1:])\n")
    proc, s = trace(["-m", "mymod", "x"], tmp_path)
    assert proc.stdout.strip() == "module __main__ ['x']" and proc.returncode == 0
    assert s["trace"]["program"][1:] == ["-m", "mymod", "x"]
    proc, _s = trace(["--", sys.executable, "-c", "import sys; print('code', sys.argv); sys.exit(7)", "y"], tmp_path)
    assert proc.stdout.strip() == "code ['-c', 'y']" and proc.returncode == 7


def test_a_crash_passes_its_traceback_and_status_and_still_reports(tmp_path):
    script = write(
        tmp_path,
        "crash.py",
        "import threading\nt = threading.Thread(target=sum, args=([1],), "
        "name='helper')\nt.start(); t.join()\ndef f():\n    return 1 / 0\nf()\n",
    )
    proc, s = trace([str(script)], tmp_path)
    assert proc.returncode == 1
    assert "ZeroDivisionError" in proc.stderr and 'crash.py", line 6' in proc.stderr
    assert "trace_bootstrap" not in proc.stderr and "runpy" not in proc.stderr  # the program's frames only
    assert {t["name"] for t in s["threads"]} >= {"MainThread", "helper"}
    assert s["trace"]["exit"] == {"code": 1, "signal": None, "how": "exited"}


def test_a_hang_is_stopped_at_the_timeout(tmp_path):
    script = write(tmp_path, "hang.py", "import threading\nthreading.Event().wait()\n")
    t0 = time.monotonic()
    proc, s = trace(["--timeout", "1", str(script)], tmp_path)
    assert proc.returncode == 124 and time.monotonic() - t0 < 15
    assert "timeout" in proc.stderr and "KeyboardInterrupt" in proc.stderr  # where it hung
    assert s["trace"]["exit"]["how"] == "timeout" and 0.9 <= s["wall_s"] < 6
    assert running_with(str(tmp_path)) == []


def test_a_program_that_ignores_the_timeouts_interrupt_is_killed(tmp_path):
    script = write(
        tmp_path, "stubborn.py", "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\ntime.sleep(60)\n"
    )
    proc, s = trace(["--timeout", "0.5", str(script)], tmp_path)
    assert proc.returncode == 124 and s["trace"]["exit"]["signal"] == signal.SIGKILL
    assert running_with(str(tmp_path)) == []


def test_ctrl_c_stops_both(tmp_path):
    script = write(tmp_path, "wait.py", "import time\nprint('waiting', flush=True)\ntime.sleep(60)\n")
    proc = subprocess.Popen(
        [*CLI, str(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        start_new_session=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "waiting"
    time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole foreground group
    _out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130 and "KeyboardInterrupt" in err and "interrupted" in err
    assert running_with(str(tmp_path)) == []


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("notes.txt", "just some words, not Python\n", "not a Python program"),
        ("data.bin", "\x00\x01\x02binary", "not a Python program"),
        ("missing.py", None, "no such file"),
    ],
)
def test_not_a_python_program(tmp_path, name, content, message):
    if content is not None:
        write(tmp_path, name, content)
    proc, s = trace([name], tmp_path)
    assert proc.returncode == 2 and message in proc.stderr and s == {}


def test_an_executable_that_is_not_python(tmp_path):
    proc, _s = trace(["--", shutil.which("true") or "/bin/true", "x.py"], tmp_path)
    assert proc.returncode == 2 and "not a Python interpreter" in proc.stderr


@pytest.mark.skipif(not (PYENV / "3.10.13").exists(), reason="needs an old interpreter")
def test_an_interpreter_too_old(tmp_path):
    proc, _s = trace(["--", str(PYENV / "3.10.13/bin/python3"), "x.py"], tmp_path)
    assert proc.returncode == 2 and "3.11 and newer" in proc.stderr


def test_a_fork_that_outlives_the_program_is_stopped(tmp_path):
    script = write(
        tmp_path,
        "forker.py",
        "import os, time\nif os.fork() == 0:\n    time.sleep(60)\n    os._exit(0)\n"
        "time.sleep(0.3)\nprint('parent done')\n",
    )
    proc, s = trace([str(script)], tmp_path)
    assert proc.returncode == 0 and "parent done" in proc.stdout
    assert any("forked 1 time" in e for e in s["errors"]) and any("gilscope stopped them" in e for e in s["errors"])
    assert running_with(str(tmp_path)) == []


def test_an_exec_ends_the_measuring_but_not_the_wait(tmp_path):
    script = write(
        tmp_path,
        "execer.py",
        "import os, sys, time\ntime.sleep(0.3)\nos.execv(sys.executable, "
        "[sys.executable, '-c', 'import time; time.sleep(2); print(\"new\"); "
        "raise SystemExit(5)'])\n",
    )
    proc, s = trace([str(script)], tmp_path)
    assert proc.returncode == 5 and "new" in proc.stdout
    assert s["trace"]["exit"]["how"] == "exec" and not s["trace"]["counter_exact"]
    # measured until the exec (0.3 s and a start), not after (2 s more): a separation that a slow machine keeps
    assert 0.25 <= s["wall_s"] < 1.5
    assert "replaced itself" in proc.stderr


@pytest.mark.slow
def test_a_thousand_threads(tmp_path):
    script = write(
        tmp_path,
        "many.py",
        "import threading, time\nts = [threading.Thread(target=time.sleep, "
        "args=(0.3,)) for _ in range(1000)]\n[t.start() for t in ts]\n"
        "[t.join() for t in ts]\nprint('all joined')\n",
    )
    proc, s = trace([str(script)], tmp_path)
    assert proc.returncode == 0 and "all joined" in proc.stdout
    assert len([t for t in s["threads"] if t["kind"] == "python"]) == 1001
    assert s["handoffs"] == s["switch_counter_delta"] > 0
    assert not any("could not be watched" in e for e in s["errors"])


def test_save_and_export_replay_as_the_dashboards_runs(tmp_path):
    env = {**os.environ, "GILSCOPE_DATA": str(tmp_path / "data")}
    proc, s = trace(
        ["--save", "--export", str(tmp_path / "chrome.json"), "--", sys.executable, str(SCRIPTS / "convoy.py"), "0.3"],
        tmp_path,
        env=env,
    )
    assert proc.returncode == 3 and "saved as run" in proc.stderr
    from gilscope.store import RunDB

    db = RunDB(tmp_path / "data")
    runs, n = db.list_runs(source="trace")
    assert n == 1 and runs[0].spec["mix"] == [{"kind": "trace", "threads": 4}]
    assert runs[0].spec["program"][-2:] == [str(SCRIPTS / "convoy.py"), "0.3"]
    stored = db.get(runs[0].id)
    assert stored is not None and stored.summary is not None and stored.summary["handoffs"] == s["handoffs"]
    events = [json.loads(e) for e in db.events(runs[0].id) or []]
    adapter = TypeAdapter(Event)
    for event in events:
        adapter.validate_python(event, strict=True)
    assert events[0]["type"] == "hello" and events[-1]["type"] == "summary"
    assert any(seg for e in events if e["type"] == "tick" for seg in e["segments"])
    chrome = json.loads((tmp_path / "chrome.json").read_text())
    names = {e["args"]["name"] for e in chrome["traceEvents"] if e.get("name") == "thread_name"}
    assert {"crunch-1", "crunch-2", "napper"} <= names
    assert any(e["ph"] == "X" for e in chrome["traceEvents"])


def test_the_python_api_returns_the_summary_and_passes_output_on(tmp_path):
    import gilscope

    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        s = gilscope.trace(str(SCRIPTS / "convoy.py"), "0.3", interval="2ms")
    finally:
        sys.stdout, sys.stderr = old
    assert "script says hello" in out.getvalue()
    assert s["interval_s"] == 0.002 and s["trace"]["exit"]["code"] == 3
    assert {"crunch-1", "napper"} <= {t["name"] for t in s["threads"]}


@pytest.mark.slow
def test_a_hashlib_pool_runs_on_several_cores_with_the_pools_names(tmp_path):
    proc, s = trace([str(SCRIPTS / "hash_pool.py"), "300"], tmp_path)
    assert proc.returncode == 0 and "300 digests" in proc.stdout
    names = {t["name"] for t in s["threads"]}
    assert {f"ThreadPoolExecutor-0_{i}" for i in range(4)} <= names
    if not s["machine"]["disturbed"]:  # others taking a core leave the pool less than two
        assert s["cores_used"] > 1.1  # hashlib lets go of the GIL for 1 MiB buffers
    pool = [t for t in s["threads"] if t["name"].startswith("ThreadPoolExecutor")]
    assert sum(t["states"]["native"] for t in pool) > sum(t["states"]["holding"] for t in pool)


@pytest.mark.slow
def test_a_pytest_suite_under_trace(tmp_path):
    suite = SCRIPTS / "pytest_suite" / "threaded_checks.py"
    proc, s = trace(
        ["--", sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(suite)],
        tmp_path,
        cwd=SCRIPTS / "pytest_suite",
    )
    assert proc.returncode == 0, proc.stdout[-500:]
    assert "4 passed" in proc.stdout
    names = {t["name"] for t in s["threads"]}
    assert {"producer", "consumer", "sleeper-0", "busy"} <= names and any(n.startswith("cpu_") for n in names)
    assert s["handoffs"] > 0 and s["trace"]["counter_exact"]


@pytest.mark.slow
@pytest.mark.parametrize("version", ["3.12.1", "3.13.0"])
def test_other_interpreters(tmp_path, version):
    python = PYENV / version / "bin" / "python3"
    if not python.exists():
        pytest.skip(f"no CPython {version} here")
    proc, s = trace(["--interval", "5ms", "--", str(python), str(SCRIPTS / "convoy.py"), "0.8"], tmp_path)
    assert proc.returncode == 3 and s["python"]["version"] == version
    th = {t["name"]: t["states"] for t in s["threads"]}
    assert th["napper"]["waiting"] >= 0.25 and 0.2 <= th["crunch-1"]["holding"] <= 0.8


def test_sigterm_to_gilscope_stops_the_program_and_its_family(tmp_path):
    script = write(
        tmp_path,
        "family.py",
        "import os, time\nif os.fork() == 0:\n    time.sleep(60)\n    os._exit(0)\n"
        "print('up', flush=True)\ntime.sleep(60)\n",
    )
    proc = subprocess.Popen(
        [*CLI, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "up"
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=20)
    assert proc.returncode == 128 + signal.SIGTERM and "asked to stop" in err and "gilscope stopped them" in err
    assert running_with(str(tmp_path)) == []


def test_a_program_that_sets_its_own_interval_and_threads_outside_threading(tmp_path):
    script = write(
        tmp_path,
        "raw.py",
        "import sys, _thread, time\nsys.setswitchinterval(0.001)\n"
        "def spin():\n    end = time.monotonic() + 0.4\n"
        "    while time.monotonic() < end:\n        sum(range(1000))\n"
        "_thread.start_new_thread(spin, ())\nspin()\ntime.sleep(0.05)\n",
    )
    proc, s = trace([str(script)], tmp_path)
    assert proc.returncode == 0
    assert any("changed the switch interval" in e for e in s["errors"])
    assert any(t["kind"] == "native" for t in s["threads"])  # named by the OS: threading never saw it
