"""The stack reader on this interpreter's own memory: the layout is learned and verified, the location table is
decoded as the interpreter decodes it, and a cached code object is not trusted once its address is reused."""

from __future__ import annotations

import threading
import types

import pytest

from gilscope.observe.locate import this_thread_state
from gilscope.observe.stacks import Layout, StackReader, _SelfMemory, learn_layout, line_of


def every_code(code: types.CodeType):
    yield code
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            yield from every_code(c)


def test_the_location_table_gives_the_interpreters_own_lines():
    import json
    import threading as th

    checked = 0
    for mod in (json.encoder, th, types):
        src = compile(open(mod.__file__).read(), mod.__file__, "exec")
        for code in every_code(src):
            for start, end, line in code.co_lines():
                for unit in range(start // 2, end // 2):
                    assert line_of(code.co_linetable, code.co_firstlineno, unit) == line, (code, unit)
                    checked += 1
    assert checked > 5000


@pytest.fixture(scope="module")
def layout() -> Layout:
    found = learn_layout()
    assert isinstance(found, Layout), found
    return found


def test_the_layout_round_trips_as_json(layout):
    import json

    assert Layout.from_json(json.loads(json.dumps(layout.to_json()))) == layout


def test_a_parked_threads_stack_reads_as_the_interpreter_says(layout):
    ready, hold, box = threading.Event(), threading.Event(), {}

    def inner_function() -> None:
        box["ts"] = this_thread_state()
        ready.set()
        hold.wait()

    t = threading.Thread(target=inner_function, daemon=True)
    t.start()
    ready.wait()
    mem = _SelfMemory()
    try:
        for _ in range(200):
            stack = StackReader(mem, layout).read(box["ts"])
            if stack and stack.frames and stack.frames[0].function == "Condition.wait":
                break
            threading.Event().wait(0.005)
        assert stack is not None
        names = [f.function for f in stack.frames]
        assert names[:3] == ["Condition.wait", "Event.wait", inner_function.__qualname__]
        assert stack.frames[2].file == __file__ and stack.frames[2].line == inner_function.__code__.co_firstlineno + 3
        assert stack.in_c_call  # the lock's acquire: C code called from Condition.wait's line
        assert not stack.truncated
        assert StackReader(mem, layout, max_depth=2).read(box["ts"]).truncated
    finally:
        hold.set()
        mem.close()


def test_a_cached_code_is_checked_before_it_is_trusted(layout):
    mem = _SelfMemory()
    try:
        reader = StackReader(mem, layout)
        code = compile("x = 1", "first_file.py", "exec")
        got = reader.code(id(code))
        assert got is not None and got.filename == "first_file.py"
        # another object at a cached address: the cache entry no longer matches its name pointers
        reader.codes[id(code)] = got.__class__("stale", "stale.py", 1, b"", 0, 0)
        assert reader.code(id(code)).filename == "first_file.py"
        assert reader.code(id(object())) is None  # not a code object at all
    finally:
        mem.close()
