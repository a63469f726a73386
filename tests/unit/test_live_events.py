"""A live look's events from hand-built samples whose answer is known: segments that continue across ticks and
never overlap, threads announced once, counters since the start, holders counted once each, long holds named."""

from array import array

from pydantic import TypeAdapter

from gilscope.analysis.holders import StackSample
from gilscope.analysis.live import LiveState
from gilscope.analysis.trace_summary import ThreadRecord
from gilscope.records import FREE, HOLDING, IO, WAITING
from gilscope.schema import Event

MS = 1_000_000
T0 = 1_000 * MS
EVENT = TypeAdapter(Event)
INSTRUMENTS = {
    "locator": True,
    "locator_detail": "found",
    "proc_sampler": True,
    "proc_sampler_detail": "",
    "schedstat": True,
    "probes": False,
}


def thread(name: str) -> ThreadRecord:
    return ThreadRecord(name=name, tid=1, python=True, tstate=0, start_ns=T0)


def feed(th: ThreadRecord, ms: range, state: int) -> None:
    for k in ms:
        th.t.append(T0 + k * MS)
        th.s.append(state)


def test_segments_continue_across_ticks_and_counters_count_from_the_start():
    a = thread("a")
    st = LiveState(T0, switch_start=100)
    hello = st.hello(7, [a], None, 0.005, INSTRUMENTS, ["app.py"])
    assert hello["live"] == {"window_s": 30.0, "program": ["app.py"]}
    feed(a, range(0, 10), HOLDING)
    feed(a, range(10, 15), WAITING)
    first = st.tick([a], [(T0, T0 + 12 * MS, 0)], T0 + 100 * MS, 150, 0.005)
    assert first["segments"] == [[0, HOLDING, 0.0, 10.0], [0, WAITING, 10.0, 14.0]]
    assert first["holder"] == [[0.0, 12.0, 0]]
    assert first["figures"] == {"handoffs": 50, "handoffs_per_s": 500.0}
    feed(a, range(15, 20), WAITING)
    feed(a, range(20, 30), IO)
    spans = [(T0, T0 + 12 * MS, 0), (T0 + 12 * MS, T0 + 30 * MS, FREE)]
    second = st.tick([a], spans, T0 + 200 * MS, 160, 0.005)
    assert second["segments"] == [[0, WAITING, 14.0, 20.0], [0, IO, 20.0, 29.0]]  # from where the last one ended
    assert second["holder"] == [[12.0, 30.0, FREE]]  # each span once
    h = st.holders([a], T0 + 200 * MS, 160, 0.001, "")
    # each sample counts the time since the thread's previous one (the first counts nothing)
    assert h["threads"] == [{"name": "a", "holding_s": 0.009, "waiting_s": 0.01, "blocked_s": 0.01, "native_s": 0.0}]
    assert (h["handoffs"], h["handoffs_per_s"], h["t_s"]) == (60, 300.0, 0.2)
    for ev in (hello, first, second, h):
        EVENT.validate_python(ev, strict=True)


def test_threads_found_later_are_announced_once_from_their_index():
    a, b, c = thread("a"), thread("b"), thread("c")
    st = LiveState(T0, None)
    st.hello(7, [a], None, None, INSTRUMENTS, [])
    assert st.new_threads([a]) is None
    grown = st.new_threads([a, b, c])
    assert grown is not None and grown["first"] == 1 and [t["name"] for t in grown["threads"]] == ["b", "c"]
    assert st.new_threads([a, b, c]) is None
    feed(c, range(0, 3), HOLDING)
    assert st.tick([a, b, c], [], T0 + MS, None, None)["segments"] == [[2, HOLDING, 0.0, 2.0]]


def test_holders_count_each_sample_once_and_long_holds_name_their_line():
    a, b = thread("loop"), thread("pool-1")
    st = LiveState(T0, 0)
    st.hello(7, [a, b], None, 0.005, INSTRUMENTS, [])
    render = (("main", "app.py", 1), ("render", "app.py", 22))
    samples = [StackSample(T0 + k * MS, 1, render, True) for k in range(0, 80, 10)]
    st.tick([a, b], [(T0, T0 + 80 * MS, 1), (T0 + 80 * MS, T0 + 90 * MS, 0)], T0 + 100 * MS, 5, 0.005, samples)
    st.tick([a, b], [], T0 + 200 * MS, 5, 0.005, [])  # nothing new: nothing counted twice
    h = st.holders([a, b], T0 + 200 * MS, 5, 0.01, "")
    assert [(x["function"], x["held_s"], x["threads"], x["in_c_call"]) for x in h["gil_holders"]] == [
        ("render", 0.08, ["pool-1"], True)
    ]
    assert h["long_holds_total"] == 1  # 80 ms > max(50 ms, 10 x 5 ms); the 10 ms hold is not long
    assert h["long_holds"][0] | {} == {
        "thread": "pool-1",
        "function": "render",
        "file": "app.py",
        "line": 22,
        "in_c_call": True,
        "start_ms": 0.0,
        "held_ms": 80.0,
    }
    empty = LiveState(T0, 0).holders([a], T0 + MS, 0, 0.0, "no layout")
    assert empty["gil_holders"] == [] and empty["stacks_detail"] == "no layout"


def test_a_look_that_forgets_its_samples_starts_its_cursors_over():
    a = thread("a")
    st = LiveState(T0, 0)
    st.hello(7, [a], None, None, INSTRUMENTS, [])
    feed(a, range(0, 5), HOLDING)
    st.tick([a], [], T0 + 5 * MS, 0, None)
    a.t, a.s = array("q"), array("b")  # the observer let go of them (a look left on keeps no history)
    st.rewind()
    feed(a, range(5, 8), HOLDING)
    assert st.tick([a], [], T0 + 8 * MS, 0, None)["segments"] == [[0, HOLDING, 4.0, 7.0]]
