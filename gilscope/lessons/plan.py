"""A lesson's plan: which runs, in which order, how many times, and how their summaries go back to judge().

One plan for every front end: the server runs it as one group (web/lessons_api.py), `gilscope lesson` runs it in
the terminal, and the tests read it; none of them builds its own. Every run once, then every run again, `repeats`
times, so that the runs one repeat compares ran close together in time. A sweep runs a lesson's sweep body at each
of SWEEP_INTERVALS_S the same way; it has no verdict, its points are drawn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from gilscope.lessons.model import Lesson
from gilscope.lessons.presets import SWEEP_INTERVALS_S

GroupKind = Literal["lesson", "sweep"]
LESSON: GroupKind = "lesson"
SWEEP: GroupKind = "sweep"


@dataclass(frozen=True)
class PlannedRun:
    """One run of a plan: a RunSpec body (plain dict, validated by whoever submits it) under the key judge() reads,
    in repeat `repeat` (0-based); a sweep's runs carry their switch interval."""

    key: str
    repeat: int
    kind: GroupKind
    spec: dict[str, Any]
    interval_s: float | None = None


def sweep_key(interval_s: float) -> str:
    """A sweep point's run key: its interval in milliseconds (0.0001 -> "0.1ms")."""
    return f"{round(interval_s * 1e3, 6):g}ms"


def plan(lesson: Lesson, repeats: int = 1, sweep: bool = False) -> tuple[PlannedRun, ...]:
    """The runs of a lesson (or of its sweep), repeats outermost. A lesson without a sweep has an empty sweep plan;
    repeats below one count as one."""
    times = max(1, int(repeats))
    if sweep:
        if lesson.sweep is None:
            return ()
        return tuple(
            PlannedRun(sweep_key(iv), r, SWEEP, {**lesson.sweep, "switch_interval_s": iv}, iv)
            for r in range(times)
            for iv in SWEEP_INTERVALS_S
        )
    return tuple(PlannedRun(run.key, r, LESSON, dict(run.spec)) for r in range(times) for run in lesson.runs)


def results(steps: Sequence[PlannedRun], outcomes: Sequence[Mapping[str, Any] | None]) -> dict[str, list[Any]]:
    """What judge() takes: run key -> one summary per repeat, in repeat order, from the plan's outcomes (one per
    step, in the plan's order). A run that failed or never ran stays in its place as an error record, so that each
    repeat is judged from its own runs."""
    out: dict[str, list[Any]] = {}
    for step, outcome in zip(steps, outcomes, strict=True):
        out.setdefault(step.key, []).append(dict(outcome) if outcome is not None else {"error": "did not run"})
    return out
