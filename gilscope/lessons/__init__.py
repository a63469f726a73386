"""Lessons: each claim of the study notes (C1..C10), its preset runs, and a verdict computed from measurements.

Pure Python, no web code: the server lists LESSONS (or lessons_for(...) with the configured interpreters), runs
each lesson's plan (plan(): one for the server, `gilscope lesson` and the tests), and passes the summaries to
judge(), which builds every sentence from the numbers in the language asked for (gettext catalogs,
gilscope.locale). reading() says in plain words what one run showed.
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
    Finding,
    Lesson,
    LessonRun,
    Repeat,
    Verdict,
    VerdictKind,
    inconclusive_missing,
    missing,
)
from gilscope.lessons.plan import LESSON, SWEEP, GroupKind, PlannedRun, plan, results
from gilscope.lessons.presets import (
    FREE_KEY,
    SWEEP_INTERVALS_S,
    build,
    free_threaded_python,
    looks_free_threaded,
)
from gilscope.lessons.reading import reading
from gilscope.lessons.verdicts import RULES
from gilscope.locale import DEFAULT, N_, _, language, ngettext

__all__ = [
    "CONFIRMED",
    "FREE_KEY",
    "INCONCLUSIVE",
    "LESSON",
    "LESSONS",
    "NUANCED",
    "OUTDATED",
    "SWEEP",
    "SWEEP_INTERVALS_S",
    "VERDICTS",
    "GroupKind",
    "Lesson",
    "LessonRun",
    "PlannedRun",
    "Verdict",
    "VerdictKind",
    "free_threaded_python",
    "judge",
    "lessons_for",
    "looks_free_threaded",
    "plan",
    "reading",
    "results",
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
    """The verdict for one lesson from its runs' summaries (run key -> summary, or a list of summaries, one per
    repeat), written in lang. Absent or failed runs give "inconclusive". With repeats, each repeat is judged on
    its own: one verdict when they all agree, "inconclusive" when noise moved the deciding figure across a
    threshold (the repeats disagree), and the card shows every repeat's figure either way."""
    lesson = LESSONS.get(lesson_id)
    if lesson is None:
        raise KeyError(f"no lesson {lesson_id!r}; lessons are {', '.join(LESSONS)}")
    rule = RULES[lesson_id]
    lists = {k: (list(v) if isinstance(v, list | tuple) else [v]) for k, v in results.items()}
    count = min((len(v) for v in lists.values()), default=1) or 1
    with language(lang):
        findings = []
        for r in range(count):
            one = {k: v[r] for k, v in lists.items() if len(v) > r}
            absent = missing(one, lesson.runs)
            findings.append(inconclusive_missing(absent) if absent else rule.judge(one))
        label = _(rule.figure_label)
        if count == 1:
            return _verdict(lesson_id, label, findings[0])
        return _over_repeats(lesson_id, label, findings)


def _verdict(
    lesson_id: str,
    label: str,
    found: Finding,
    text: str | None = None,
    verdict: VerdictKind | None = None,
    repeats: list[Repeat] | None = None,
    repeat: int = 0,
    disagree: bool = False,
) -> Verdict:
    """The verdict read off one finding (over repeats, the middle one's): its figure and table, and its verdict
    and text unless others are given."""
    return Verdict(
        lesson=lesson_id,
        verdict=found.verdict if verdict is None else verdict,
        figure_label=label,
        figure=found.figure.text,
        value=found.figure.value,
        text=found.text if text is None else text,
        table=list(found.table),
        repeats=repeats or [],
        disagree=disagree,
        repeat=repeat,
    )


def _over_repeats(lesson_id: str, label: str, findings: list[Finding]) -> Verdict:
    repeats = [Repeat(verdict=f.verdict, figure=f.figure.text, value=f.figure.value) for f in findings]
    ordered = sorted(findings, key=_by_value)  # a repeat without a figure first
    middle = ordered[len(ordered) // 2]
    at = next(i for i, f in enumerate(findings) if f is middle)
    figures = ", ".join(f.figure.text for f in findings)
    kinds = sorted({f.verdict for f in findings}, key=VERDICTS.index)
    n = len(findings)
    if len(kinds) == 1:
        said = ngettext(
            "Over {n} repeat the deciding figure read {figures}: the same verdict each time.",
            "Over {n} repeats the deciding figure read {figures}: the same verdict each time.",
            n,
        )
        return _verdict(
            lesson_id, label, middle, middle.text + " " + said.format(n=n, figures=figures), repeats=repeats, repeat=at
        )
    names = ", ".join(_(VERDICT_NAMES[k]) for k in kinds)
    why = ngettext(
        "Over {n} repeat the deciding figure ({label}) read {figures}: the spread straddles a threshold, so the "
        "repeats came out {names}. Noise decides here, not the physics: run the lesson again on a quieter machine.",
        "Over {n} repeats the deciding figure ({label}) read {figures}: the spread straddles a threshold, so the "
        "repeats came out {names}. Noise decides here, not the physics: run the lesson again on a quieter machine.",
        n,
    ).format(n=n, label=label, figures=figures, names=names)
    return _verdict(
        lesson_id, label, middle, why + " " + middle.text, INCONCLUSIVE, repeats=repeats, repeat=at, disagree=True
    )


def _by_value(f: Finding) -> tuple[bool, float]:
    return (f.figure.value is not None, f.figure.value or 0.0)


VERDICT_NAMES = {
    CONFIRMED: N_("confirmed"),
    NUANCED: N_("nuanced"),
    OUTDATED: N_("outdated"),
    INCONCLUSIVE: N_("inconclusive"),
}
