"""Lessons: each claim of the study notes (C1..C10), its preset runs, and a verdict computed from measurements.

Pure Python, no web code: the server lists LESSONS (or lessons_for(...) with the configured interpreters), runs
each lesson's specs, and passes the summaries to judge(), which builds every sentence from the numbers in the
language asked for (gettext catalogs, gilscope.locale). reading() says in plain words what one run showed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gilscope.lessons.model import (
    CONFIRMED,
    INCONCLUSIVE,
    NUANCED,
    OUTDATED,
    VERDICTS,
    Lesson,
    LessonRun,
    Verdict,
    VerdictKind,
    inconclusive_missing,
    missing,
)
from gilscope.lessons.presets import (
    FREE_KEY,
    SWEEP_INTERVALS_S,
    build,
    free_threaded_python,
    looks_free_threaded,
)
from gilscope.lessons.reading import reading
from gilscope.lessons.verdicts import RULES
from gilscope.locale import DEFAULT, _, language

__all__ = [
    "CONFIRMED", "FREE_KEY", "INCONCLUSIVE", "LESSONS", "NUANCED", "OUTDATED", "SWEEP_INTERVALS_S", "VERDICTS",
    "Lesson", "LessonRun", "Verdict", "VerdictKind", "free_threaded_python", "judge", "lessons_for",
    "looks_free_threaded", "reading",
]

LESSONS: dict[str, Lesson] = build()


def lessons_for(python_paths: list[str], gil_enabled: Mapping[str, bool | None] | None = None) -> dict[str, Lesson]:
    """The lessons for these interpreters: C5 gains a run under the first free-threaded one.

    gil_enabled maps a path to what running it reported (sys._is_gil_enabled(), e.g. from the server's interpreter
    probe); paths it does not cover are judged by name (python3.13t, python3.14t). Without one, same as LESSONS.
    """
    free = free_threaded_python(list(python_paths), gil_enabled)
    return LESSONS if free is None else build(free)


def judge(lesson_id: str, results: Mapping[str, Any], lang: str = DEFAULT) -> Verdict:
    """The verdict for one lesson from its runs' summaries (run key -> summary), written in lang; absent or failed
    runs give "inconclusive". The optional C5 free-threaded run is read when its key is present."""
    lesson = LESSONS.get(lesson_id)
    if lesson is None:
        raise KeyError(f"no lesson {lesson_id!r}; lessons are {', '.join(LESSONS)}")
    rule = RULES[lesson_id]
    with language(lang):
        absent = missing(results, lesson.runs)
        found = inconclusive_missing(absent) if absent else rule.judge(results)
        return Verdict(lesson=lesson_id, verdict=found.verdict, figure_label=_(rule.figure_label),
                       figure=found.figure, text=found.text, table=list(found.table))
