"""The lessons over HTTP: the list in one language, verdicts judged from runs this server measured, each lesson's
last verdict as the store keeps it (it outlives the server), and the class's report of them (/lessons/report)."""

from __future__ import annotations

import asyncio
import time
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from gilscope.config import limits, pythons
from gilscope.lessons import (
    LESSON,
    SWEEP,
    SWEEP_INTERVALS_S,
    VERDICT_NAMES,
    Lesson,
    Verdict,
    judge,
    lessons_for,
    plan,
)
from gilscope.locale import _, language, ngettext
from gilscope.spec import RunSpec
from gilscope.web.clients import address, client_id
from gilscope.web.deps import refusal, service
from gilscope.web.groups_api import Group, GroupView, Step, groups_of, new_group_id, run_summary, view
from gilscope.web.i18n import Lang, request_lang
from gilscope.web.pythons import describe_pythons
from gilscope.web.render import render_page
from gilscope.web.runs import QueueFull, RateLimited, TooManyActive

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


class LessonRunsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sweep: bool = Field(default=False, description="Run the lesson's sweep of the switch interval instead of its runs")
    repeats: int | None = Field(
        default=None, ge=1, description="How many times to run each run: 1 to GILSCOPE_LESSON_REPEATS, by default that"
    )
    lang: Lang | None = Field(default=None, description="The refusals' language; by default the request's")


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
    estimate_s: float = Field(
        description="An estimate of how long running the lesson takes, from its plan: every run's duration times the "
        "repeats, plus the budgets of its comparisons with one thread (an upper estimate; the queue may add waiting)"
    )


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
        estimate_s=estimate_s(lesson, limits().lesson_repeats),
        runs=[LessonRunInfo(key=r.key, label=str(r.label), spec=r.spec) for r in lesson.runs],
    )


def estimate_s(lesson: Lesson, repeats: int) -> float:
    """Every planned run's duration plus its comparison's budget (RunSpec.comparison_budget_s), summed."""
    total = 0.0
    for planned in plan(lesson, repeats):
        try:
            spec = RunSpec.model_validate(planned.spec)
        except ValidationError:  # a run over this server's limits: the run button says so when pressed
            continue
        total += spec.duration_s + spec.comparison_budget_s()
    return round(total, 1)


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
        raise unknown_lesson(lesson_id, lessons, lang)
    runs = service(request)
    results: dict[str, list[Any]] = {}
    for key, ids in body.runs.items():
        results[key] = [await run_summary(runs, run_id) for run_id in ([ids] if isinstance(ids, str) else ids)]
        results[key] = [s for s in results[key] if s is not None]
    return judge(lesson_id, {k: v for k, v in results.items() if v}, lang)


def unknown_lesson(lesson_id: str, lessons: dict[str, Lesson], lang: str) -> HTTPException:
    with language(lang):
        return HTTPException(
            404, _("No lesson {id}; the lessons are {ids}.").format(id=repr(lesson_id), ids=", ".join(lessons))
        )


def bad_field(name: str, message: str) -> JSONResponse:
    """A 422 shaped like the app's validation errors: the field and what is wrong with it."""
    return JSONResponse({"detail": [{"field": name, "message": message}], "error": f"{name}: {message}"}, 422)


@router.post(
    "/api/lessons/{lesson_id}/runs",
    status_code=202,
    response_model=GroupView,
    responses={404: {"description": "No such lesson"}, 429: {"description": "The queue refused the first run"}},
)
async def run_lesson(
    lesson_id: str, request: Request, body: LessonRunsRequest | None = None, lang: str = Depends(request_lang)
) -> GroupView | JSONResponse:
    """Runs a lesson's plan (or its sweep) as one group the server drives to its end: every run `repeats` times,
    fed to the queue one after another. Follow it with GET /api/groups/{id}; closing the page does not stop it.
    The first run is submitted here: a refusal (429, the queue's limit named) submits nothing."""
    body = body or LessonRunsRequest()
    lang = body.lang or lang
    lessons = await current_lessons()
    lesson = lessons.get(lesson_id)
    if lesson is None:
        raise unknown_lesson(lesson_id, lessons, lang)
    most = limits().lesson_repeats
    with language(lang):
        if body.repeats is not None and body.repeats > most:
            return bad_field(
                "repeats",
                ngettext(
                    "at most {n} repeat on this server (GILSCOPE_LESSON_REPEATS)",
                    "at most {n} repeats on this server (GILSCOPE_LESSON_REPEATS)",
                    most,
                ).format(n=most),
            )
        if body.sweep and lesson.sweep is None:
            return bad_field("sweep", _("Lesson {id} has no sweep.").format(id=lesson_id))
    repeats = body.repeats or most
    steps = []
    for planned in plan(lesson, repeats, sweep=body.sweep):
        try:
            steps.append(Step(planned, RunSpec.model_validate(planned.spec)))
        except ValidationError as exc:  # a limit of this server below what the lesson needs
            err = exc.errors()[0]
            where = ".".join(str(x) for x in err.get("loc", ()))
            return bad_field(f"plan.{planned.key}" + (f".{where}" if where else ""), str(err.get("msg", "invalid")))
    kind = SWEEP if body.sweep else LESSON
    group = Group(
        id=new_group_id(kind),
        lesson=lesson.id,
        kind=kind,
        repeats=repeats,
        steps=steps,
        client=address(request),
        owner=client_id(request),
    )
    groups = groups_of(request)
    try:
        first = groups.submit(steps[0], group)
    except (QueueFull, RateLimited, TooManyActive) as exc:
        return JSONResponse({"detail": refusal(exc, groups.runs, lang)}, status_code=429, headers={"Retry-After": "10"})
    groups.start(group, first)
    return await view(request, group, lang)


# -- the last verdicts, kept in the store ----------------------------------------------------------------------------


class LastRun(BaseModel):
    id: str | None = Field(description="The run's id (null for a run that was never submitted)")
    key: str = Field(description="The lesson's run key")
    label: str = Field(description="The run's name, in the request's language")
    repeat: int = Field(description="Which repeat of the plan, from 0")
    status: str


class LastVerdict(BaseModel):
    lesson: str
    group: str = Field(description="The group that reached the verdict (GET /compare?group=... shows its runs)")
    started: float = Field(description="When the group was submitted (Unix time, s)")
    finished: float | None = Field(description="When its last run ended: when the verdict was reached (Unix time, s)")
    verdict: Verdict = Field(description="The verdict, in the request's language")
    runs: list[LastRun] = Field(description="Every run of the group, in the plan's order")


class LessonReport(BaseModel):
    lang: Lang
    last: dict[str, LastVerdict | None] = Field(
        description="Every lesson's id -> its last verdict, or null for a lesson not run yet on this server"
    )


def _last(kept: dict[str, Any], lesson: Lesson | None, lang: str) -> LastVerdict:
    verdict = kept["verdict"].get(lang) or next(iter(kept["verdict"].values()))
    labels: dict[str, str] = {}
    with language(lang):
        if lesson is not None:
            labels = {r.key: str(r.label) for r in lesson.runs}
    return LastVerdict(
        lesson=kept["lesson"],
        group=kept["id"],
        started=kept["created"],
        finished=kept["finished"],
        verdict=Verdict.model_validate(verdict),
        runs=[
            LastRun(
                id=r.get("run_id"),
                key=r["key"],
                label=labels.get(r["key"], r["key"]),
                repeat=int(r.get("repeat", 0)),
                status=str(r.get("status", "")),
            )
            for r in kept["steps"]
        ],
    )


async def last_verdicts(request: Request, lang: str) -> tuple[dict[str, Lesson], dict[str, LastVerdict | None]]:
    lessons = await current_lessons()
    kept = await service(request).cache.last_verdicts()
    return lessons, {lid: (_last(kept[lid], ls, lang) if lid in kept else None) for lid, ls in lessons.items()}


@router.get("/api/lessons/last", response_model=LessonReport)
async def all_last(request: Request, lang: Literal["en", "uk"] = Depends(request_lang)) -> LessonReport:
    """Every lesson's last verdict on this server (kept in the store: it outlives a restart), null where none."""
    _lessons, last = await last_verdicts(request, lang)
    return LessonReport(lang=lang, last=last)


@router.get(
    "/api/lessons/{lesson_id}/last",
    response_model=LastVerdict,
    responses={404: {"description": "No such lesson, or it has not reached a verdict on this server yet"}},
)
async def one_last(lesson_id: str, request: Request, lang: str = Depends(request_lang)) -> LastVerdict:
    """A lesson's last verdict on this server: when it was reached, in the request's language, and its runs."""
    lessons, last = await last_verdicts(request, lang)
    if lesson_id not in lessons:
        raise unknown_lesson(lesson_id, lessons, lang)
    found = last[lesson_id]
    if found is None:
        with language(lang):
            raise HTTPException(404, _("Lesson {id} has not been run on this server yet.").format(id=lesson_id))
    return found


@router.get("/lessons/report", response_class=HTMLResponse)
async def report(request: Request, lang: str = Depends(request_lang)) -> HTMLResponse:
    """C1..C10 with their last verdicts, when they were reached and links to their runs: the class's report."""
    lessons, last = await last_verdicts(request, lang)
    with language(lang):
        rows = [{"id": lid, "title": _(ls.title), "last": last[lid]} for lid, ls in lessons.items()]
    return render_page(request, "lessons_report.html", "lessons", rows=rows, verdict_names=VERDICT_NAMES, utc=_utc)


def _utc(seconds: float) -> str:
    """A time for a page without scripts (the page writes it in the reader's time zone and language)."""
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(seconds))
