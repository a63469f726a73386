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
