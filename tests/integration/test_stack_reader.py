"""The holder's Python stack, read from outside: a child learns its layout, a parent reads a spinning thread's
function and line through /proc/<pid>/mem, on every CPython with a GIL found here (3.11 always; pyenv's 3.12
and 3.13 where installed)."""

from __future__ import annotations

import glob
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from gilscope.observe.memory import open_memory
from gilscope.observe.stacks import Layout, StackReader

ROOT = Path(__file__).resolve().parents[2]
CHILD = r"""
import json, sys, threading
from gilscope.observe.locate import this_thread_state
from gilscope.observe.stacks import Layout, learn_layout

layout = learn_layout()
box = {}

def spin_here():
    box["ts"] = this_thread_state()
    ready.set()
    n = 0
    while True:
        n += 1
        sorted(range(500))

ready = threading.Event()
threading.Thread(target=spin_here, daemon=True).start()
ready.wait()
print(json.dumps({"layout": layout.to_json() if isinstance(layout, Layout) else layout, "ts": box["ts"],
                  "line": spin_here.__code__.co_firstlineno}), flush=True)
sys.stdin.read()
"""


def interpreters() -> list[str]:
    found = [sys.executable]
    for minor in ("3.12", "3.13", "3.14"):
        found += sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{minor}.*/bin/python{minor}")))[-1:]
    return found


@pytest.mark.parametrize("python", interpreters())
def test_a_parent_reads_a_spinning_threads_function_and_line(python):
    proc = subprocess.Popen(
        [python, "-c", CHILD],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        hello = json.loads(proc.stdout.readline())
        assert isinstance(hello["layout"], dict), hello["layout"]
        mem, why = open_memory(proc.pid)
        assert mem is not None, why
        reader = StackReader(mem, Layout.from_json(hello["layout"]))
        where: Counter[tuple[str, int | None, bool]] = Counter()
        ok = 0
        for _ in range(300):
            stack = reader.read(hello["ts"])
            if stack is not None and stack.frames:
                ok += 1
                leaf = stack.frames[0]
                where[(leaf.function, leaf.line, stack.in_c_call)] += 1
                assert [f.function for f in stack.frames][-1] == "Thread._bootstrap"
            time.sleep(0.0005)
        first = hello["line"]
        assert ok >= 270, (ok, reader.dropped)  # a read that races with a changing frame is dropped, rarely
        assert {fn for fn, _line, _c in where} == {"spin_here"}, where
        lines = {line for _fn, line, _c in where}
        assert lines <= {first + 4, first + 5, first + 6}, (first, where)
        assert where[("spin_here", first + 6, True)] > 0.5 * ok  # sorted(): C code called from that line
    finally:
        proc.kill()
        proc.wait()
