import argparse

import pytest

from gilscope.cli import parse_interval, parse_mix


@pytest.mark.parametrize(
    "text, seconds", [("5ms", 0.005), ("0.2ms", 0.0002), ("200us", 0.0002), ("0.01s", 0.01), ("0.005", 0.005)]
)
def test_interval_suffixes(text, seconds):
    assert parse_interval(text) == pytest.approx(seconds)


def test_interval_garbage():
    with pytest.raises(argparse.ArgumentTypeError):
        parse_interval("fast")


def test_mix():
    assert parse_mix("cpu:2,sleep:1,hashlib:2:buffer_bytes=1024") == [
        {"kind": "cpu", "threads": 2, "params": {}},
        {"kind": "sleep", "threads": 1, "params": {}},
        {"kind": "hashlib", "threads": 2, "params": {"buffer_bytes": 1024.0}},
    ]


def test_describe_prints_the_noise_and_says_inconclusive(recorded):
    import dataclasses

    from gilscope.analysis.summary import summarize
    from gilscope.cli import describe

    ms = 1_000_000
    twins = [[100 * ms, 100 * ms], [130 * ms, 70 * ms]] * 4  # identical rounds 30% apart, pairs 1.0 and 1.86
    raw = dataclasses.replace(recorded("cpu1_lone.json"), baseline={"pairs_ns": twins, "order": "ABBA"})
    text = describe(summarize(raw))
    assert "noise: identical rounds differed by 30% (median)" in text and "inconclusive" in text
    quiet = [[100 * ms, 100 * ms], [101 * ms, 101 * ms]] * 4
    text = describe(summarize(dataclasses.replace(raw, baseline={"pairs_ns": quiet, "order": "ABBA"})))
    assert "identical rounds differed by 1% (median)" in text and "conclusive" in text
    assert "inconclusive" not in text
