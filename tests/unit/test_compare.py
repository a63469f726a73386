"""Threads against one thread from interleaved pairs: the median of the pair ratios with its spread."""

import pytest
from pydantic import ValidationError

from gilscope.analysis.summary import compare_pairs
from gilscope.spec import RunSpec


def test_median_of_pair_ratios_with_min_and_max():
    ms = 1_000_000
    b = compare_pairs(
        [[100 * ms, 100 * ms], [120 * ms, 100 * ms], [90 * ms, 100 * ms], [300 * ms, 100 * ms], [105 * ms, 100 * ms]]
    )
    assert b["threaded_over_sequential"] == 1.05  # the outlier pair (3.0) moves the max, not the median
    assert (b["ratio_min"], b["ratio_max"], b["pairs"]) == (0.9, 3.0, 5)
    assert b["pair_ratios"] == [1.0, 1.2, 0.9, 3.0, 1.05]
    assert b["threaded_wall_s"] == pytest.approx(0.715) and b["sequential_wall_s"] == pytest.approx(0.5)


def test_no_pairs_says_nothing():
    b = compare_pairs([])
    assert b["threaded_over_sequential"] is None and b["pairs"] == 0


def test_a_kind_without_a_one_thread_form_refuses_the_baseline():
    with pytest.raises(ValidationError, match="echo_server"):
        RunSpec(mix=[{"kind": "echo_server", "threads": 2}], baseline=True)
    RunSpec(mix=[{"kind": "echo_server", "threads": 2}])  # fine without it
