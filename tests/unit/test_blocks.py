"""The blocks both summaries share (analysis.blocks) and the events (analysis.events): schema shapes, the same
words for the same instrument whichever pipeline measured."""

from __future__ import annotations

from pydantic import TypeAdapter

from gilscope.analysis import blocks, events
from gilscope.schema import Event, HandoffCell, Instruments, PythonInfo, SamplerReading, SamplerReport

READING: SamplerReading = {
    "ok": True,
    "detail": "",
    "samples": 1727,
    "rate_hz": 2869.0,
    "missed": 67,
    "late_ms_p90": 0.082,
    "cpu_fraction": 0.0845,
    "holder_handoffs": 56,
}


def test_the_sampler_block_is_the_report_without_ok_and_detail():
    block = blocks.sampler(READING)
    assert set(block) == set(SamplerReport.__annotations__)
    assert TypeAdapter(SamplerReport).validate_python(block, strict=True) == block
    assert block["samples"] == 1727 and block["late_ms_p90"] == 0.082


def test_python_leaves_the_executable_out():
    python: PythonInfo = {"version": "3.11.7", "implementation": "cpython", "gil_enabled": True, "executable": "/x"}
    assert blocks.python_info(python) == {"version": "3.11.7", "implementation": "cpython", "gil_enabled": True}
    assert blocks.python_info(None) == {"version": None, "implementation": None, "gil_enabled": None}


def test_instruments_say_where_the_gil_is_or_why_not():
    found = blocks.instruments({"address": 1, "runtime_offset": 360, "scanned_bytes": 9}, True, "", True, True)
    assert found["locator"] and found["locator_detail"] == "GIL state found 360 bytes into _PyRuntime"
    missing = blocks.instruments({"reason": "free-threaded build"}, False, "no GIL address", False, False)
    assert not missing["locator"] and missing["locator_detail"] == "free-threaded build"
    assert blocks.instruments({}, False, "", False, False)["locator_detail"] == "not run"
    adapter = TypeAdapter(Instruments)
    for block in (found, missing):
        assert adapter.validate_python(block, strict=True) == block


def test_the_matrix_names_threads_and_others():
    cells = blocks.handoff_matrix({(0, 1): 3, (-1, 0): 2, (1, 7): 1}, ["a", "b"])
    assert cells == [
        {"from": "other", "to": "a", "count": 2},
        {"from": "a", "to": "b", "count": 3},
        {"from": "b", "to": "other", "count": 1},
    ]
    TypeAdapter(list[HandoffCell]).validate_python(cells, strict=True)


def test_rates_and_cores_need_a_count_and_time():
    assert blocks.per_s(None, 2.0) is None and blocks.per_s(10, 0.0) is None and blocks.per_s(3, 2.0) == 1.5
    assert blocks.cores_used(None, 1.0) is None and blocks.cores_used(2_000_000_000, 1.0) == 2.0
    assert blocks.slice_ms([]) == {"p50": None, "p90": None, "n": 0}


def test_every_built_event_matches_the_schema():
    instruments = blocks.instruments({"reason": "no"}, False, "no", False, True)
    built = [
        events.hello(7, [events.hello_thread("cpu-1", "cpu", "hold", "native")], None, 0.005, instruments),
        events.tick(0.1, [[0, 0, 1.0, 2.0]], [[1.0, 2.0, 0]], [3], events.figures(12, 0.1)),
        events.phase("baseline"),
        events.failed("the experiment process was killed by SIGKILL"),
    ]
    adapter = TypeAdapter(Event)
    for event in built:
        adapter.validate_python(event, strict=True)
    assert built[1]["figures"] == {"handoffs": 12, "handoffs_per_s": 120.0}
    assert events.figures(None, 1.0) == {"handoffs": None, "handoffs_per_s": None}
