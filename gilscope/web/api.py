"""The JSON API and the Server-Sent Events stream."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse
from fastapi.sse import EventSourceResponse, ServerSentEvent

from gilscope.config import limits
from gilscope.lessons import reading
from gilscope.locale import _, language, ngettext
from gilscope.spec import RunSpec
from gilscope.web.i18n import request_lang
from gilscope.web.pythons import describe_pythons
from gilscope.web.runs import FINAL, FINAL_EVENTS, QueueFull, RateLimited, Run, RunManager, event_type
from gilscope.workloads import KINDS

router = APIRouter()


def manager(request: Request) -> RunManager:
    return request.app.state.runs


def get_run(request: Request, run_id: str, lang: str) -> Run:
    run = manager(request).runs.get(run_id)
    if run is None:
        with language(lang):
            raise HTTPException(404, _("There is no run {id} on this server.").format(id=repr(run_id)))
    return run


def with_reading(summary: dict[str, Any] | None, lang: str) -> dict[str, Any] | None:
    """The summary with its plain-language reading (gilscope.lessons.reading) in the viewer's language."""
    return None if summary is None else {**summary, "reading": reading(summary, lang)}


@router.get("/healthz")
async def healthz(request: Request) -> dict[str, Any]:
    m = manager(request)
    return {"ok": True, "running": m.current.id if m.current else None, "queued": len(m.queue),
            "viewers": m.viewers}


@router.get("/api/workloads")
async def workloads(lang: str = Depends(request_lang)) -> dict[str, Any]:
    """The thread kinds an experiment may mix, with their texts in the request's language, and the limits."""
    lim = limits()
    with language(lang):
        kinds = [{
            "name": k.name, "style": k.style, "releases_gil": k.releases_gil, "region": k.region,
            "title": _(k.title), "explain": _(k.explain),
            "params": [{"name": p.name, "default": p.default, "minimum": p.minimum, "maximum": p.maximum,
                        "unit": _(p.unit), "integer": p.integer, "help": _(p.help)} for p in k.params],
        } for k in KINDS.values()]
    return {
        "lang": lang,
        "kinds": kinds,
        "limits": {"max_threads": lim.max_threads, "max_duration_s": lim.max_duration_s,
                   "min_interval_s": lim.min_interval_s, "max_interval_s": lim.max_interval_s,
                   "queue_length": lim.queue_length, "runs_per_client_per_minute": lim.runs_per_client_per_minute},
    }


@router.get("/api/pythons")
async def pythons() -> dict[str, Any]:
    return {"pythons": await asyncio.to_thread(describe_pythons)}


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/api/runs", status_code=202)
async def create_run(spec: RunSpec, request: Request, lang: str = Depends(request_lang)) -> JSONResponse:
    m = manager(request)
    try:
        run = m.submit(spec, client_of(request))
    except (QueueFull, RateLimited) as exc:
        return JSONResponse({"detail": refusal(exc, m, lang)}, status_code=429, headers={"Retry-After": "10"})
    return JSONResponse({"id": run.id, "status": run.status, "position": m.position(run)}, status_code=202)


@router.get("/api/runs")
async def list_runs(request: Request) -> dict[str, Any]:
    m = manager(request)
    recent = list(m.runs.values())[-50:]
    return {"runs": [{"id": r.id, "status": r.status, "created": r.created, "error": r.error} for r in recent],
            "running": m.current.id if m.current else None, "queued": [r.id for r in m.queue]}


@router.get("/api/now")
async def now(request: Request) -> dict[str, Any]:
    """What the class is watching: the run in progress (or the last one) and the queue."""
    m = manager(request)
    last = m.current or next((r for r in reversed(list(m.runs.values())) if r.status in FINAL), None)
    return {"running": m.current.id if m.current else None, "latest": last.id if last else None,
            "queued": len(m.queue)}


def refusal(exc: QueueFull | RateLimited, m: RunManager, lang: str) -> str:
    """Why a run was refused, in the request's language (the exception's own text is for logs)."""
    with language(lang):
        if isinstance(exc, QueueFull):
            n = m.limits.queue_length
            return ngettext("The queue is full ({n} run waiting); try again shortly.",
                            "The queue is full ({n} runs waiting); try again shortly.", n).format(n=n)
        n = m.limits.runs_per_client_per_minute
        return ngettext("At most {n} run per client per minute; try again shortly.",
                        "At most {n} runs per client per minute; try again shortly.", n).format(n=n)


@router.get("/api/runs/{run_id}")
async def run_view(run_id: str, request: Request, lang: str = Depends(request_lang)) -> dict[str, Any]:
    """One run: its spec, status and, once done, its summary with the reading in the request's language."""
    run = get_run(request, run_id, lang)
    view = run.view(manager(request).position(run))
    view["summary"] = with_reading(view["summary"], lang)
    return view


@router.post("/api/runs/{run_id}/cancel")
async def cancel(run_id: str, request: Request, lang: str = Depends(request_lang)) -> dict[str, Any]:
    run = get_run(request, run_id, lang)
    await manager(request).cancel(run)
    for _attempt in range(40):  # the kill is immediate; wait briefly so the answer can say it is over
        if run.status in FINAL:
            break
        await asyncio.sleep(0.025)
    return {"id": run.id, "status": run.status}


@router.get("/api/runs/{run_id}/events", response_class=EventSourceResponse)
async def events(run_id: str, request: Request, lang: str = Depends(request_lang)) -> AsyncIterator[ServerSentEvent]:
    """Every event of the run in order, each with its sequence number as id; Last-Event-ID resumes. The final
    summary event carries the run's reading in the request's language (?lang=, else the cookie or the browser's)."""
    run = get_run(request, run_id, lang)
    try:
        seq = int(request.headers.get("last-event-id") or request.query_params.get("from") or 0)
    except ValueError:
        seq = 0
    seq = max(0, seq)
    runs = manager(request)
    runs.viewers += 1
    try:
        async for event in _stream(run, seq, lang):
            yield event
    finally:  # a closed browser ends here (the generator is cancelled): nothing of it stays behind
        runs.viewers -= 1


async def _stream(run: Run, seq: int, lang: str) -> AsyncIterator[ServerSentEvent]:
    while True:
        waiter = run.changed
        while seq < len(run.events):
            text = run.events[seq]
            seq += 1
            kind = event_type(text)
            if kind == "summary":
                event = json.loads(text)
                event["summary"] = with_reading(event.get("summary"), lang)
                text = json.dumps(event, separators=(",", ":"))
            yield ServerSentEvent(raw_data=text, id=str(seq))
            if kind in FINAL_EVENTS:
                return
        if run.status in FINAL and seq >= len(run.events):
            return
        try:
            await asyncio.wait_for(waiter.wait(), timeout=15)
        except TimeoutError:
            pass
