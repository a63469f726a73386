"""The lessons over HTTP: the list in one language, and verdicts judged from runs this server measured."""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field

from gilscope.config import pythons
from gilscope.lessons import SWEEP_INTERVALS_S, judge, lessons_for
from gilscope.web.pythons import describe_pythons
from gilscope.web.runs import RunManager

router = APIRouter()


class VerdictRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    runs: dict[str, str] = Field(description="The lesson's run key -> the id of a run of this server")
    lang: Literal["en", "uk"] = "en"


async def current_lessons() -> dict[str, Any]:
    described = await asyncio.to_thread(describe_pythons)
    return lessons_for(pythons(), {d["path"]: d.get("gil_enabled") for d in described if d.get("ok")})


@router.get("/api/lessons")
async def list_lessons(lang: Literal["en", "uk"] = "en") -> dict[str, Any]:
    lessons = await current_lessons()
    uk = lang == "uk"
    return {"lang": lang, "sweep_intervals_s": list(SWEEP_INTERVALS_S), "lessons": [{
        "id": ls.id,
        "title": ls.title_uk if uk else ls.title_en,
        "claim": ls.claim_uk if uk else ls.claim_en,
        "claim_notes_uk": ls.claim_uk,  # the notes' own words, shown on both pages
        "claim_en": ls.claim_en,
        "experiment": ls.experiment_uk if uk else ls.experiment_en,
        "runs": [{"key": r.key, "label": r.label_uk if uk else r.label_en, "spec": r.spec} for r in ls.runs],
        "sweep": ls.sweep,
    } for ls in lessons.values()]}


@router.post("/api/lessons/{lesson_id}/verdict")
async def verdict(lesson_id: str, body: VerdictRequest, request: Request) -> dict[str, Any]:
    lessons = await current_lessons()
    if lesson_id not in lessons:
        raise HTTPException(404, f"no lesson {lesson_id!r}; lessons are {', '.join(lessons)}")
    runs: RunManager = request.app.state.runs
    results: dict[str, Any] = {}
    for key, run_id in body.runs.items():
        run = runs.runs.get(run_id)
        if run is not None and run.status == "done" and run.summary is not None:
            results[key] = run.summary
        elif run is not None:
            results[key] = {"error": run.error or run.status}
    v = judge(lesson_id, results)
    uk = body.lang == "uk"
    return {"lesson": lesson_id, "verdict": v.verdict,
            "figure_label": v.figure_label_uk if uk else v.figure_label_en,
            "figure": (v.figure_uk or v.figure) if uk else v.figure,
            "text": v.text_uk if uk else v.text_en,
            "table": [dict(row) for row in v.table]}
