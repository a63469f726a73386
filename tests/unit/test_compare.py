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


def abba(ratios: list[float], speeds: list[float] | None = None) -> list[list[int]]:
    """Pairs in the A B B A order: each pair's sequential round takes 100 ms times the machine's slowness then;
    the odd pair's sequential round redoes the even one's units (their times differ only by the machine)."""
    ms = 1_000_000
    speeds = speeds or [1.0] * len(ratios)
    return [[round(r * s * 100 * ms), round(s * 100 * ms)] for r, s in zip(ratios, speeds, strict=True)]


def test_a_quiet_set_decides_a_5_percent_difference() -> None:
    ratios = [1.05, 1.06, 1.04, 1.05, 1.07, 1.05, 1.03, 1.06, 1.05, 1.04, 1.05, 1.06]
    speeds = [1.0, 1.01, 1.0, 0.99, 1.02, 1.01, 1.0, 1.0, 0.98, 1.0, 1.0, 1.01]
    b = compare_pairs(abba(ratios, speeds))
    assert b["threaded_over_sequential"] == 1.05 and b["conclusive"] is True
    assert b["resolution_pct"] is not None and b["resolution_pct"] <= 2
    assert b["noise_pct"] is not None and 0 < b["noise_pct"] <= 2  # twins differ by 1-2%


def test_a_noisy_set_does_not_and_says_how_noisy() -> None:
    # the same truth (1.05), on a machine whose speed jumps by a third between rounds
    ratios = [1.05, 1.4, 0.8, 1.05, 1.3, 0.75, 1.1, 1.6, 0.9, 1.0, 1.25, 0.7]
    speeds = [1.0, 1.3, 1.0, 0.7, 1.3, 1.0, 1.0, 1.35, 1.0, 1.0, 0.7, 1.0]
    b = compare_pairs(abba(ratios, speeds))
    assert b["conclusive"] is False
    assert b["resolution_pct"] is not None and b["resolution_pct"] > 5
    assert b["noise_pct"] is not None and 20 <= b["noise_pct"] <= 40


def test_too_few_pairs_decide_nothing_and_an_old_order_has_no_noise() -> None:
    assert compare_pairs(abba([1.0] * 5))["conclusive"] is False  # 5 pairs: no 95% interval for their median
    b = compare_pairs(abba([1.0] * 8))
    assert b["conclusive"] is True and b["resolution_pct"] == 0 and b["noise_pct"] == 0
    assert compare_pairs(abba([1.0] * 8), order="ABAB")["noise_pct"] is None  # no identical rounds


def test_median_interval_is_the_distribution_free_one() -> None:
    from gilscope.analysis.summary import median_interval

    assert median_interval(5) is None
    assert median_interval(8) == (0, 7)  # min to max
    assert median_interval(10) == (1, 8)  # 2nd lowest to 2nd highest: 97.9%
    assert median_interval(25) == (7, 17)
