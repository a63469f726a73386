"""The lessons over HTTP: the list in one language, and verdicts judged from runs this server measured."""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field

from gilscope.config import limits, pythons
from gilscope.lessons import SWEEP_INTERVALS_S, Lesson, Verdict, judge, lessons_for
from gilscope.locale import _, language
from gilscope.web.deps import service
from gilscope.web.i18n import Lang, request_lang
from gilscope.web.pythons import describe_pythons
from gilscope.web.runs import RunManager

router = APIRouter()


class VerdictRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    runs: dict[str, str | list[str]] = Field(
        description="The lesson's run key -> the id of a run of this server, or the ids of its repeats (each "
        "repeat is judged on its own; the verdict says when they disagree)"
    )
    lang: Lang | None = Field(
        None, description="The verdict's language; by default the request's (cookie, Accept-Language)"
    )


class LessonRunInfo(BaseModel):
    key: str = Field(description="What the verdict request calls this run")
    label: str
    spec: dict[str, Any] = Field(description="The RunSpec body to POST to /api/runs")


class LessonInfo(BaseModel):
    id: str
    title: str
    claim: str = Field(description="The claim, in the list's language")
    claim_notes_uk: str = Field(description="The claim in the notes' own (Ukrainian) words, shown in both languages")
    claim_en: str
    experiment: str
    runs: list[LessonRunInfo]
    sweep: dict[str, Any] | None = Field(description="A RunSpec body to repeat at each of sweep_intervals_s")
    repeats: int = Field(description="How many times to run each of the lesson's runs (GILSCOPE_LESSON_REPEATS)")


class LessonList(BaseModel):
    lang: Lang
    sweep_intervals_s: list[float]
    lessons: list[LessonInfo]


async def current_lessons() -> dict[str, Lesson]:
    described = await asyncio.to_thread(describe_pythons)
    return lessons_for(pythons(), {d["path"]: d.get("gil_enabled") for d in described if d.get("ok")})


def _info(lesson: Lesson) -> LessonInfo:
    """One lesson in the current language."""
    with language("uk"):
        notes = _(lesson.claim)
    with language("en"):
        claim_en = _(lesson.claim)
    return LessonInfo(
        id=lesson.id,
        title=_(lesson.title),
        claim=_(lesson.claim),
        claim_notes_uk=notes,
        claim_en=claim_en,
        experiment=_(lesson.experiment),
        sweep=lesson.sweep,
        repeats=limits().lesson_repeats,
        runs=[LessonRunInfo(key=r.key, label=str(r.label), spec=r.spec) for r in lesson.runs],
    )


@router.get("/api/lessons", response_model=LessonList)
async def list_lessons(lang: Literal["en", "uk"] = Depends(request_lang)) -> LessonList:
    lessons = await current_lessons()
    with language(lang):
        return LessonList(
            lang=lang, sweep_intervals_s=list(SWEEP_INTERVALS_S), lessons=[_info(ls) for ls in lessons.values()]
        )


@router.post("/api/lessons/{lesson_id}/verdict", response_model=Verdict)
async def verdict(lesson_id: str, body: VerdictRequest, request: Request, lang: str = Depends(request_lang)) -> Verdict:
    lang = body.lang or lang
    lessons = await current_lessons()
    if lesson_id not in lessons:
        with language(lang):
            raise HTTPException(
                404, _("No lesson {id}; the lessons are {ids}.").format(id=repr(lesson_id), ids=", ".join(lessons))
            )
    runs = service(request)
    results: dict[str, list[Any]] = {}
    for key, ids in body.runs.items():
        results[key] = [await _summary(runs, run_id) for run_id in ([ids] if isinstance(ids, str) else ids)]
        results[key] = [s for s in results[key] if s is not None]
    return judge(lesson_id, {k: v for k, v in results.items() if v}, lang)


async def _summary(runs: RunManager, run_id: str) -> dict[str, Any] | None:
    """A run's summary (memory, else the store), an error record for a run that did not finish, None if unknown."""
    record = await runs.lookup(run_id)
    if record is None:
        return None
    if record.status == "done" and record.summary is not None:
        return dict(record.summary)
    return {"error": record.error or record.status}
