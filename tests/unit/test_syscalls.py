"""gilscope trace's pure parts: reading a thread's syscall file, the states it gives, the summary and event stream
built from made-up samples, the command line's forms and the notebook's figure. (A light `import gilscope` is
asked of a fresh interpreter: tests/integration/test_imports.py.)"""

import json
import sys
from array import array

import pytest
from pydantic import TypeAdapter

from gilscope.analysis.trace_summary import (
    ThreadRecord,
    TraceRecord,
    describe_trace,
    segments_of,
    slices_ns,
    states_of,
    summarize_trace,
    summary_line,
    trace_events,
)
from gilscope.cli import split_trace_argv
from gilscope.exports import chrome_trace, from_events
from gilscope.records import FREE, HOLDING, IO, NATIVE, OTHER, WAITING
from gilscope.schema import Event, Summary
from gilscope.trace.program import TraceError, from_command, interpreter_command
from gilscope.trace.syscalls import GIL_STRUCT_BYTES, RUNNING, UNREADABLE, classify, futex_number, parse

GIL = 0x7F0000001000
# Real lines from /proc/<pid>/task/<tid>/syscall (x86-64): the GIL's futex, a sleep, running, blocked outside a call
FUTEX_ON_GIL = f"202 {GIL + 72:#x} 0x189 0x0 0x0 0x0 0xffffffff 0x7ffd1c8e5a10 0x7f3c0e2a4d5c\n".encode()
FUTEX_ELSEWHERE = b"202 0x55d0c0de0000 0x80 0x0 0x0 0x0 0x0 0x7ffd1c8e5a10 0x7f3c0e2a4d5c\n"
NANOSLEEP = b"230 0x1 0x0 0x7f3c0d9fe9f0 0x0 0x0 0x0 0x7f3c0d9fe9b8 0x7f3c0e2d6ff5\n"


def test_parse_reads_the_number_and_first_argument():
    assert parse(FUTEX_ON_GIL) == (202, GIL + 72)
    assert parse(NANOSLEEP) == (230, 1)
    assert parse(b"running\n") == (RUNNING, 0)
    assert parse(b"-1 0x7ffd1c8e5a10 0x7f3c0e2a4d5c\n") == (-1, 0)
    assert parse(b"") == (UNREADABLE, 0)
    assert parse(b"garbage") == (UNREADABLE, 0)


@pytest.mark.parametrize(
    "raw, holds, state",
    [
        (FUTEX_ON_GIL, False, WAITING),  # in futex on a word inside the GIL's struct
        (FUTEX_ELSEWHERE, False, IO),  # another lock: blocked
        (NANOSLEEP, False, IO),
        (b"running\n", False, NATIVE),  # on a CPU without the GIL: native code, or runnable
        (b"running\n", True, HOLDING),  # holding comes from the holder word
        (NANOSLEEP, True, HOLDING),  # a syscall made without letting go of the GIL still holds it
        (b"-1 0x0 0x0\n", False, NATIVE),
    ],
)
def test_classify(raw, holds, state):
    nr, arg0 = parse(raw)
    assert classify(nr, arg0, holds, GIL, GIL + GIL_STRUCT_BYTES, 202) == state


def test_futex_numbers():
    assert futex_number("x86_64") == 202
    assert futex_number("aarch64") == 98
    assert futex_number("vax") is None


def _record(threads: list[ThreadRecord], spans=(), start=100, end=160, exact=True) -> TraceRecord:
    return TraceRecord(
        program=["python", "prog.py"],
        threads=threads,
        t0_ns=0,
        t_end_ns=1_000_000_000,
        interval_set_s=0.005,
        hello={
            "python": {"version": "3.11.7", "implementation": "cpython", "gil_enabled": True},
            "gil": {"address": GIL, "runtime_offset": 360},
            "interval_s": 0.005,
        },
        switch_start=start,
        switch_end=end,
        switch_exact=exact,
        holder_spans=list(spans),
        holder_changes=3,
        switch_ticks=[(500_000_000, 130)],
        process_cpu_ns=990_000_000,
        sampler={
            "ok": True,
            "detail": "",
            "samples": 4000,
            "rate_hz": 4000.0,
            "missed": 0,
            "cpu_fraction": 0.1,
            "holder_handoffs": 3,
            "late_ms_p90": 0.05,
        },
        instruments={"syscalls": True, "syscalls_detail": "", "schedstat": True},
        exit={"code": 3, "signal": None, "how": "exited"},
    )


def _thread(name: str, states: list[int], tstate: int = 1, step: int = 1_000_000) -> ThreadRecord:
    return ThreadRecord(
        name=name,
        tid=10,
        python=True,
        tstate=tstate,
        start_ns=0,
        cpu_ns=5_000_000,
        t=array("q", [i * step for i in range(len(states))]),
        s=array("b", states),
    )


def test_states_are_fractions_of_the_threads_own_samples():
    th = _thread("crunch", [HOLDING] * 6 + [WAITING] * 3 + [NATIVE])
    assert states_of(th) == {"holding": 0.6, "waiting": 0.3, "blocked": 0.0, "native": 0.1}
    assert states_of(_thread("never seen", [])) is None


def test_segments_run_from_first_sample_to_the_next_of_another_state():
    th = _thread("t", [HOLDING, HOLDING, WAITING, IO])
    th.end_ns = 5_000_000
    assert segments_of(th, 10_000_000) == [
        (0, 2_000_000, HOLDING),
        (2_000_000, 3_000_000, WAITING),
        (3_000_000, 5_000_000, IO),
    ]


def test_slices_and_matrix_from_the_sampled_holder_skip_a_free_gil():
    spans = [(0, 5, 0), (5, 6, FREE), (6, 10, 0), (10, 15, 1), (15, 20, OTHER), (20, 25, 0)]
    slices, matrix = slices_ns(spans)
    assert slices == [10, 5, 5]
    assert matrix == {(0, 1): 1, (1, OTHER): 1, (OTHER, 0): 1}


def test_summary_and_events_match_the_schema():
    threads = [
        _thread("MainThread", [IO] * 10, tstate=1),
        _thread("crunch-1", [HOLDING, WAITING] * 5, tstate=2),
        _thread("napper", [WAITING] * 8 + [IO] * 2, tstate=3),
    ]
    rec = _record(threads, spans=[(0, 4_000_000, 1), (4_000_000, 9_000_000, 2)])
    s = summarize_trace(rec)
    assert TypeAdapter(Summary).validate_python(s, strict=True) == s
    assert s["handoffs"] == s["switch_counter_delta"] == 60 and s["handoffs_per_s"] == 60.0
    assert s["cores_used"] == 0.99 and s["timeline_coverage"] == 0.05
    assert [t["name"] for t in s["threads"]] == ["MainThread", "crunch-1", "napper"]
    assert s["threads"][2]["states"]["waiting"] == 0.8 and s["threads"][2]["gil_wait_s"] == 0.8
    assert s["instruments"]["probes"] is False and s["trace"]["exit"]["code"] == 3
    events = trace_events(rec, s, pid=42)
    adapter = TypeAdapter(Event)
    for event in events:
        adapter.validate_python(event, strict=True)
    assert events[0]["type"] == "hello" and [t["name"] for t in events[0]["threads"]][1] == "crunch-1"
    assert events[-1] == {"type": "summary", "summary": s}
    assert sum(len(e["segments"]) for e in events if e["type"] == "tick") == 1 + 10 + 2
    run = from_events(json.dumps(e) for e in events)
    assert run.threads == ["MainThread", "crunch-1", "napper"] and len(run.holder) == 2
    trace = json.loads(chrome_trace(run))
    assert {e["args"]["name"] for e in trace["traceEvents"] if e["name"] == "thread_name"} >= {"napper"}


def test_the_line_names_the_hand_offs_the_cores_and_who_waited():
    rec = _record(
        [_thread("spin-1", [HOLDING, WAITING]), _thread("napper", [WAITING] * 7 + [IO] * 3)], start=0, end=1234
    )
    line = summary_line(summarize_trace(rec))
    assert line.startswith("1,234 hand-offs (1,234/s), 0.99 cores, napper waited 0.70 s for the GIL (70% of its life)")
    assert "napper" in describe_trace(summarize_trace(rec))


def test_without_the_exit_note_the_count_says_so():
    s = summarize_trace(_record([_thread("t", [HOLDING])], exact=False))
    assert s["trace"]["counter_exact"] is False
    assert "last sample" in describe_trace(s)


@pytest.mark.parametrize(
    "argv, opts, words, module, dashed",
    [
        (
            ["--interval", "5ms", "--json", "-", "--", "python", "x.py", "--json", "a"],
            ["--interval", "5ms", "--json", "-"],
            ["python", "x.py", "--json", "a"],
            None,
            True,
        ),
        (["script.py", "--save", "-v"], [], ["script.py", "--save", "-v"], None, False),
        (["--save", "-m", "pytest", "-x", "tests"], ["--save"], ["-x", "tests"], "pytest", False),
        (["--timeout=3", "s.py"], ["--timeout=3"], ["s.py"], None, False),
    ],
)
def test_trace_command_line_keeps_the_programs_words_apart(argv, opts, words, module, dashed):
    assert split_trace_argv(argv) == (opts, words, module, dashed)


def test_interpreter_command_lines():
    p = interpreter_command("/usr/bin/python3", ["-u", "-X", "dev", "-m", "pytest", "-q"])
    assert (p.kind, p.target, p.args, p.flags) == ("module", "pytest", ("-q",), ("-u", "-X", "dev"))
    assert interpreter_command("py", ["-c", "print(1)", "a"]).kind == "code"
    assert interpreter_command("py", ["s.py", "-m", "x"]).args == ("-m", "x")
    for bad in (["-E", "s.py"], ["-i", "s.py"], ["-"], []):
        with pytest.raises(TraceError):
            interpreter_command("py", bad)


def test_a_script_with_a_python_shebang_runs_under_its_interpreter(tmp_path):
    tool = tmp_path / "tool"
    tool.write_text(f"#!/usr/bin/env -S {sys.executable} -u\nprint('hi')\n")
    tool.chmod(0o755)
    p = from_command([str(tool), "arg"])
    assert (p.python, p.kind, p.target, p.args, p.flags) == (sys.executable, "path", str(tool), ("arg",), ("-u",))
    with pytest.raises(TraceError, match="no such program"):
        from_command(["no-such-program-anywhere"])


def test_the_figure_is_plain_offline_plotly_json():
    from gilscope.notebook import PLOTLY_MIME, _binned, figure

    threads = [_thread("spin-1", [HOLDING, WAITING] * 50, tstate=1), _thread("spin-2", [WAITING, HOLDING] * 50)]
    rec = _record(threads, spans=[(0, 1_000_000, 0), (1_000_000, 2_000_000, 1)])
    s = summarize_trace(rec)
    fig = figure(from_events(trace_events(rec, s)))
    text = json.dumps(fig)
    assert "https://" not in text and "cdn" not in text and PLOTLY_MIME == "application/vnd.plotly.v1+json"
    assert [d["name"] for d in fig["data"]][:4] == ["holding", "waiting", "blocked", "native"]
    assert "hand-offs" in fig["layout"]["title"]["text"]
    # many tiny segments are binned: at most one a bin per thread, each bin the state that filled it most
    many = [(0, i % 2, i * 0.001, (i + 1) * 0.001) for i in range(100_000)]
    assert len(_binned(many, 1, 100.0)) <= 1201


def test_a_free_threaded_or_foreign_interpreter_is_refused_in_words(monkeypatch):
    from gilscope.trace import program as trace_program
    from gilscope.trace.program import Program, check_program

    p = Program("/opt/python3.13t", "path", __file__)
    answers = {
        "free": {"version": [3, 13, 0], "implementation": "cpython", "gil": False},
        "pypy": {"version": [3, 11, 9], "implementation": "pypy", "gil": True},
        "old": {"version": [3, 10, 13], "implementation": "cpython", "gil": True},
    }
    for kind, message in (("free", "free-threaded build"), ("pypy", "reads CPython's GIL"), ("old", "3.11 and newer")):
        monkeypatch.setattr(trace_program, "describe_interpreter", lambda _python, k=kind: answers[k])
        with pytest.raises(TraceError, match=message):
            check_program(p)
    monkeypatch.setattr(trace_program, "describe_interpreter", lambda _python: answers["free"] | {"gil": True})
    monkeypatch.setattr(trace_program.sys, "platform", "darwin")
    with pytest.raises(TraceError, match="reads /proc"):
        check_program(p)


def test_the_bootstrap_needs_only_the_stdlib():
    """It runs inside the traced program's own interpreter (any CPython 3.11+), before the program."""
    import ast
    from pathlib import Path

    import gilscope.trace.bootstrap as boot

    tree = ast.parse(Path(boot.__file__).read_text())
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module and n.level == 0}
    assert {m for m in names if m.split(".")[0] not in sys.stdlib_module_names} <= {
        "gilscope.observe.locate",
        "gilscope.observe.child",
    }


def test_the_bootstrap_command_keeps_the_programs_environment_to_put_back():
    from gilscope.trace.program import Program, bootstrap_command

    p = Program("/usr/bin/python3", "module", "pytest", ("-q",), ("-u",))
    cmd, env = bootstrap_command(p, 0.005, "/tmp/code", 7, {"PYTHONPATH": "/mine", "HOME": "/root"})
    assert cmd == [
        "/usr/bin/python3",
        "-u",
        "-m",
        "gilscope.trace.bootstrap",
        "7",
        "0.005",
        "module",
        "pytest",
        "-q",
    ]
    assert env["PYTHONPATH"] == "/tmp/code:/mine" and env["HOME"] == "/root"
    assert json.loads(env["GILSCOPE_TRACE_RESTORE"]) == {"PYTHONPATH": "/mine", "PYTHONDONTWRITEBYTECODE": None}
    assert bootstrap_command(p, None, "/c", 3, {})[0][5] == "-"  # the interpreter's own interval
