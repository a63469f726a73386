"""Summaries of recorded runs: the same numbers every time, no experiment needed."""

import pytest

from gilscope.analysis.summary import summarize

KEYS = {
    "handoffs",
    "handoffs_per_s",
    "switch_counter_delta",
    "slice_ms",
    "cores_used",
    "wall_s",
    "io_wake_latency_ms",
    "threads",
    "instruments",
    "python",
    "timeline_handoffs",
}


def test_keys_and_counter(recorded):
    s = summarize(recorded("cpu2_sleep1_1ms.json"))
    assert KEYS <= s.keys()
    assert s["handoffs"] == s["switch_counter_delta"] > 0
    assert s["timeline_handoffs"] <= s["handoffs"]
    assert s["io_wake_latency_ms"]["p50"] > 0
    assert {t["name"] for t in s["threads"]} == {"cpu-1", "cpu-2", "sleep-1"}
    assert set(s["instruments"]) >= {"locator", "proc_sampler", "schedstat"}


def test_lone_thread(recorded):
    s = summarize(recorded("cpu1_lone.json"))
    assert s["handoffs"] == 0 and s["slice_ms"]["p50"] is None and s["io_wake_latency_ms"] is None


def test_resummarizing_is_stable(recorded):
    raw = recorded("zlib2.json")
    assert summarize(raw) == summarize(raw)
    assert summarize(raw)["cores_used"] > 1.2


def test_no_locator_means_no_counts(recorded):
    raw = recorded("cpu1_lone.json")
    raw.hello["gil"] = {"reason": "free-threaded build: this interpreter runs without a GIL"}
    s = summarize(raw)
    assert s["handoffs"] is None and s["switch_counter_delta"] is None and s["instruments"]["locator"] is False
    assert "free-threaded" in s["instruments"]["locator_detail"]


@pytest.mark.parametrize("name", ["cpu1_lone.json", "cpu2_sleep1_1ms.json", "zlib2.json"])
def test_each_threads_share_of_the_gil_adds_up_to_at_most_the_run(recorded, name):
    s = summarize(recorded(name))
    shares = [t["gil_share"] for t in s["threads"]]
    assert all(0 <= x <= 1 for x in shares) and sum(shares) <= 1.02
    for t in s["threads"]:
        assert t["gil_held_s"] == pytest.approx(t["gil_share"] * s["wall_s"], abs=2e-3)
