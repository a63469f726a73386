"""A lesson's last verdict as the store keeps it (migration 2), the run a verdict is about, and Run's estimate."""

from __future__ import annotations

import sqlite3
import time

from gilscope.lessons import LESSONS, judge, plan
from gilscope.spec import RunSpec
from gilscope.store import FILE_NAME, RunDB
from gilscope.store.migrations import STEPS, VERSION
from gilscope.web.lessons_api import estimate_s
from tests.unit.test_lessons import cpus, repeats_of, seq


def test_the_last_verdict_of_each_lesson_is_kept_and_outlives_a_restart(tmp_path) -> None:
    db = RunDB(tmp_path)
    db.save_group("lesson-a", "lesson", "C2")
    db.finish_group("lesson-a", [{"key": "two_cpu", "repeat": 0, "run_id": "r1", "status": "done"}], {"en": {"v": 1}})
    time.sleep(0.01)
    db.save_group("lesson-b", "lesson", "C2")
    db.finish_group("lesson-b", [{"key": "two_cpu", "repeat": 0, "run_id": "r2", "status": "done"}], {"en": {"v": 2}})
    db.save_group("sweep-c", "sweep", "C3")
    db.finish_group("sweep-c", [], None)  # a sweep has no verdict
    db.save_group("lesson-d", "lesson", "C4")  # still running: no verdict yet
    db.close()
    again = RunDB(tmp_path)
    last = again.last_verdicts()
    assert set(last) == {"C2"} and last["C2"]["id"] == "lesson-b" and last["C2"]["verdict"] == {"en": {"v": 2}}
    assert last["C2"]["steps"][0]["run_id"] == "r2" and last["C2"]["finished"] >= last["C2"]["created"]


def test_a_version_1_file_is_migrated_with_its_groups(tmp_path) -> None:
    with sqlite3.connect(tmp_path / FILE_NAME) as raw:
        raw.executescript(STEPS[0] + ";PRAGMA user_version = 1;")
        raw.execute("INSERT INTO groups (id, kind, label, created) VALUES ('lesson-old', 'lesson', 'C1', 1.0)")
    db = RunDB(tmp_path)
    assert db.health()["ok"] and db.group("lesson-old") is not None and db.last_verdicts() == {}
    with sqlite3.connect(tmp_path / FILE_NAME) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == VERSION >= 2


def test_the_verdict_names_the_repeat_it_is_about() -> None:
    def ratio(x: float):
        return lambda r: r["cpu2_5ms"].update(baseline=seq(x))

    v = judge("C3", repeats_of("C3", ratio(1.1), ratio(1.02), ratio(1.06)))
    assert v.value == 1.06 and v.repeat == 2  # the middle figure came from the third repeat
    assert judge("C2", {"two_cpu": cpus(2, slice_p50=5.1), "lone": cpus(1, cores=1.0)}).repeat == 0


def test_the_estimate_sums_the_plan() -> None:
    lesson = LESSONS["C3"]
    one = sum(
        RunSpec.model_validate(p.spec).duration_s + RunSpec.model_validate(p.spec).comparison_budget_s()
        for p in plan(lesson, 1)
    )
    assert one > 0 and estimate_s(lesson, 1) == round(one, 1) and estimate_s(lesson, 3) == round(3 * one, 1)
