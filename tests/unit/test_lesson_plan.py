"""A lesson's plan: the one list of runs the server, `gilscope lesson` and the tests all use."""

from __future__ import annotations

import pytest

from gilscope.lessons import LESSONS, SWEEP_INTERVALS_S, judge, plan, results
from gilscope.lessons.plan import sweep_key
from gilscope.spec import RunSpec


def test_every_run_once_per_repeat_repeats_outermost() -> None:
    c2 = LESSONS["C2"]
    steps = plan(c2, repeats=3)
    assert [(s.key, s.repeat) for s in steps] == [
        ("two_cpu", 0),
        ("lone", 0),
        ("two_cpu", 1),
        ("lone", 1),
        ("two_cpu", 2),
        ("lone", 2),
    ]
    assert {s.kind for s in steps} == {"lesson"}
    assert all(s.spec == c2.run(s.key).spec and s.interval_s is None for s in steps)
    assert steps[0].spec is not c2.run("two_cpu").spec  # a copy: a caller may not edit the preset


@pytest.mark.parametrize("repeats", [0, -2])
def test_repeats_below_one_count_as_one(repeats: int) -> None:
    assert len(plan(LESSONS["C1"], repeats=repeats)) == len(LESSONS["C1"].runs)


def test_sweep_runs_every_interval_per_repeat() -> None:
    c2 = LESSONS["C2"]
    assert c2.sweep is not None
    steps = plan(c2, repeats=2, sweep=True)
    assert [s.interval_s for s in steps] == list(SWEEP_INTERVALS_S) * 2
    assert [s.repeat for s in steps] == [0] * 6 + [1] * 6
    assert {s.kind for s in steps} == {"sweep"}
    for s in steps:
        assert s.spec == {**c2.sweep, "switch_interval_s": s.interval_s}
        assert s.key == sweep_key(s.interval_s or 0)
    assert [sweep_key(iv) for iv in SWEEP_INTERVALS_S] == ["0.1ms", "0.5ms", "1ms", "5ms", "20ms", "50ms"]


def test_a_lesson_without_a_sweep_has_an_empty_sweep_plan() -> None:
    assert LESSONS["C1"].sweep is None and plan(LESSONS["C1"], sweep=True) == ()


@pytest.mark.parametrize("lid", list(LESSONS))
def test_every_planned_body_is_a_valid_runspec(lid: str) -> None:
    for step in [*plan(LESSONS[lid]), *plan(LESSONS[lid], sweep=True)]:
        RunSpec.model_validate(step.spec)


def test_results_keep_each_repeat_in_its_place() -> None:
    steps = plan(LESSONS["C2"], repeats=2)
    outcomes = [{"n": 0}, {"n": 1}, None, {"n": 3}]
    got = results(steps, outcomes)
    assert got == {"two_cpu": [{"n": 0}, {"error": "did not run"}], "lone": [{"n": 1}, {"n": 3}]}
    with pytest.raises(ValueError):
        results(steps, outcomes[:3])


def test_a_plan_that_did_not_run_is_inconclusive_in_each_repeat() -> None:
    steps = plan(LESSONS["C2"], repeats=2)
    v = judge("C2", results(steps, [None] * len(steps)))
    assert v.verdict == "inconclusive" and v.value is None and not v.disagree
    assert [r.verdict for r in v.repeats] == ["inconclusive", "inconclusive"]
