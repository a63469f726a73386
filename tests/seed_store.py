"""A data folder with stored runs in it, written through the store (no run is executed): a lesson's group of
repeated runs, a sweep started from a lesson, and single runs. For tests of the history, naming and comparison."""

from __future__ import annotations

import time
from pathlib import Path

from gilscope.store import RunDB, RunRecord

LESSON_GROUP, SWEEP_GROUP = "lesson-c3-seed", "sweep-c8-seed"


def spec(threads: int = 2, interval_s: float = 0.005, kind: str = "cpu") -> dict:
    return {
        "mix": [{"kind": kind, "threads": threads, "params": {}}],
        "switch_interval_s": interval_s,
        "duration_s": 1.0,
    }


def seed(folder: Path) -> dict[str, list[str]]:
    """Writes the runs; returns their ids by what they are: "lesson" (2 specs x 2 repeats, in the order they ran),
    "sweep" (3 intervals) and "single" (2 runs of their own)."""
    db = RunDB(folder)
    t = time.time() - 600
    ids: dict[str, list[str]] = {"lesson": [], "sweep": [], "single": []}

    def add(rid: str, s: dict, group: str | None = None, lesson: str | None = None, status: str = "done") -> None:
        nonlocal t
        t += 10
        figures = {
            "handoffs": 100,
            "handoffs_per_s": 100.0,
            "cores_used": 1.0,
            "baseline": {"threaded_over_sequential": 27.6},
        }
        db.save_run(
            RunRecord(
                id=rid,
                created=t,
                started=t,
                finished=t + 1,
                status=status,
                spec=s,
                client="seed",
                summary=figures if status == "done" else None,
                lesson=lesson,
                group_id=group,
            )
        )

    add("single0001", spec(1))
    ids["single"].append("single0001")
    db.save_group(LESSON_GROUP, "lesson", "C3")
    for repeat in range(2):
        for threads in (1, 2):
            rid = f"lesson{threads}r{repeat}"
            add(rid, spec(threads), LESSON_GROUP, "C3", status="failed" if (threads, repeat) == (1, 0) else "done")
            ids["lesson"].append(rid)
    db.save_group(SWEEP_GROUP, "sweep", "C8")
    for k, interval in enumerate((0.001, 0.005, 0.02)):
        rid = f"sweep{k}"
        add(rid, spec(2, interval), SWEEP_GROUP)
        ids["sweep"].append(rid)
    add("single0002", spec(3))
    ids["single"].append("single0002")
    db.close()
    return ids
