"""The page's constants come from the server's own definitions (that they reach the page both embedded and over
HTTP, from a running app: tests/integration/test_page_config_served.py)."""

from __future__ import annotations

from gilscope import records
from gilscope.config import limits
from gilscope.web.page_config import interval_steps_ms, page_config, page_config_json


def test_states_colours_and_codes_are_the_records_own():
    cfg = page_config()
    assert [s["name"] for s in cfg["states"]] == list(records.STATE_NAMES)
    assert [s["colour"] for s in cfg["states"]] == list(records.STATE_COLOURS)
    assert [s["code"] for s in cfg["states"]] == [records.HOLDING, records.WAITING, records.IO, records.NATIVE]
    assert (cfg["holder"]["free"], cfg["holder"]["other"]) == (records.FREE, records.OTHER)
    assert cfg["thread_colours"] == list(records.THREAD_COLOURS)


def test_bounds_follow_the_limits(monkeypatch):
    monkeypatch.setenv("GILSCOPE_MAX_THREADS", "24")
    monkeypatch.setenv("GILSCOPE_MIN_INTERVAL_S", "0.0002")
    monkeypatch.setenv("GILSCOPE_MAX_DURATION_S", "12")
    cfg = page_config()
    assert cfg["lanes"] == 24 == limits().max_threads
    assert cfg["min_interval_ms"] == 0.2 == cfg["interval_steps_ms"][0]
    assert cfg["max_interval_ms"] == 100 == cfg["interval_steps_ms"][-1]
    assert cfg["max_duration_s"] == 12
    assert cfg["default_interval_ms"] in cfg["interval_steps_ms"]
    assert cfg["default_duration_s"] == 2


def test_slider_steps_are_readable_and_include_the_ends_and_the_default():
    assert interval_steps_ms(0.05, 100, 5) == [
        0.05,
        0.07,
        0.1,
        0.15,
        0.2,
        0.3,
        0.5,
        0.7,
        1,
        1.5,
        2,
        3,
        5,
        7,
        10,
        15,
        20,
        30,
        50,
        70,
        100,
    ]
    assert interval_steps_ms(0.04, 1, 0.25) == [0.04, 0.05, 0.07, 0.1, 0.15, 0.2, 0.25, 0.3, 0.5, 0.7, 1]
    assert interval_steps_ms(5, 5) == [5]


def test_embedded_json_cannot_close_its_script():
    assert "</" not in page_config_json()
