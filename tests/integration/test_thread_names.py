"""A Python thread's name, read from outside on CPython 3.11 to 3.13 (observe.thread_names): a child learns the
way on its own threads, then a parent reads, through /proc/<pid>/mem, the names of threads made every way a
program makes them (a plain Thread, a subclass that sets attributes first, a Timer, a pool's workers, a name
that is not ASCII, a thread renamed while it runs); a thread whose name cannot be read is not named, never
misnamed."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from gilscope.observe.memory import open_memory
from gilscope.observe.stacks import Layout, StackReader
from gilscope.observe.thread_names import NameLayout, NameReader
from tests.integration.test_stack_reader import interpreters

ROOT = Path(__file__).resolve().parents[2]
CHILD = r"""
import concurrent.futures, json, sys, threading
from gilscope.observe.locate import this_thread_state
from gilscope.observe.stacks import Layout, _SelfMemory, learn_layout
from gilscope.observe.thread_names import learn_names

layout = learn_layout()
mem = _SelfMemory()
names = learn_names(mem, layout) if isinstance(layout, Layout) else layout
hold, states, lock = threading.Event(), {}, threading.Lock()

def park():
    with lock:
        states[threading.current_thread().name] = this_thread_state()
    hold.wait()

class Worker(threading.Thread):
    def __init__(self, name):
        self.queue, self.count, self.label = [], 0, "not the name"
        super().__init__(target=park, name=name, daemon=True)

threads = [threading.Thread(target=park, name="crunch-1", daemon=True), Worker("worker-\u00e9\u4e2d"),
           threading.Timer(3600, lambda: None), threading.Thread(target=park, daemon=True)]
threads[2].name = "timer"
threads[2].run = park  # parks like the others, under Thread._bootstrap_inner
pool = concurrent.futures.ThreadPoolExecutor(2, thread_name_prefix="pool")
for t in threads:
    t.start()
for _ in range(2):
    pool.submit(park)
while len(states) < 6:
    threading.Event().wait(0.01)
renamed = threads[0]
renamed.name = "renamed-while-running"
states["renamed-while-running"] = states.pop("crunch-1")
print(json.dumps({"layout": layout.to_json() if isinstance(layout, Layout) else layout,
                  "names": names.to_json() if not isinstance(names, str) else names, "states": states,
                  "main": this_thread_state()}), flush=True)
sys.stdin.read()
hold.set()
"""


@pytest.mark.parametrize("python", interpreters())
def test_a_parent_reads_every_kind_of_threads_name(python):
    proc = subprocess.Popen(
        [python, "-c", CHILD],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line, proc.stderr.read() if proc.stderr else ""
        told = json.loads(line)
        version = subprocess.run(
            [python, "-c", "import sys; print(sys.version_info[:2] >= (3, 14))"], capture_output=True, text=True
        ).stdout.strip()
        if version == "True":
            assert isinstance(told["names"], str)  # 3.14+ names threads in the kernel: nothing to learn
            return
        assert isinstance(told["layout"], dict), told["layout"]
        assert isinstance(told["names"], dict), told["names"]
        mem, why = open_memory(proc.pid)
        assert mem is not None, why
        try:
            reader = NameReader(StackReader(mem, Layout.from_json(told["layout"])), NameLayout.from_json(told["names"]))
            read = {name: reader.read(ts) for name, ts in told["states"].items()}
            assert reader.read(told["main"]) is None  # the main thread has no _bootstrap_inner frame
        finally:
            mem.close()
    finally:
        if proc.stdin:
            proc.stdin.close()
        proc.kill()
        proc.wait()
    assert read == {name: name for name in told["states"]}, read
    assert {"renamed-while-running", "worker-\u00e9\u4e2d", "timer", "pool_0", "pool_1"} <= set(read)
    assert any(n.startswith("Thread-") and n.endswith("(park)") for n in read), read
