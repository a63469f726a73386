"""The JSON API and the Server-Sent Events stream."""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from fastapi.sse import EventSourceResponse, ServerSentEvent

from gilscope.config import limits
from gilscope.lessons import reading
from gilscope.locale import _, language
from gilscope.spec import RunSpec
from gilscope.store import RunRecord
from gilscope.web.clients import address, client_id, is_teacher
from gilscope.web.deps import find_record, not_found, refusal, service, streamed
from gilscope.web.i18n import request_lang
from gilscope.web.pythons import describe_pythons
from gilscope.web.runs import (
    FINAL,
    FINAL_EVENTS,
    EventLog,
    NotOwner,
    Progress,
    QueueFull,
    RateLimited,
    TooManyActive,
    event_type,
)
from gilscope.workloads import KINDS
from gilscope.workloads.factories import HOLD_FACTORIES, RELEASE_FACTORIES, SHARED_HOLD_FACTORIES

router = APIRouter()
SLOW_READER_S = 10.0  # one event taking longer than this to leave means the reader has stalled
LIVE_VIEW = ("id", "status", "spec", "summary", "error")  # what a run in memory shows, with its progress
LIVE_TIMES = ("created", "started", "finished")


def with_reading(summary: dict[str, Any] | None, lang: str) -> dict[str, Any] | None:
    """The summary with its plain-language reading (gilscope.lessons.reading) in the viewer's language."""
    return None if summary is None else {**summary, "reading": reading(summary, lang)}


@router.get("/healthz")
async def healthz(request: Request) -> dict[str, Any]:
    m = service(request)
    state = m.state()
    return {
        "ok": True,
        "running": state.running,
        "queued": len(state.queued),
        "viewers": state.viewers,
        "store": m.store_health(),
    }


@functools.cache
def kind_source(kind: str) -> str | None:
    """The Python source of the factory that builds a kind's unit of work (what its threads run), or None."""
    fn: Any = {**HOLD_FACTORIES, **SHARED_HOLD_FACTORIES, **RELEASE_FACTORIES}.get(kind)
    try:
        return inspect.getsource(fn) if fn is not None else None
    except (OSError, TypeError):  # no source shipped (a zipped or compiled install)
        return None


@router.get("/api/workloads")
async def workloads(lang: str = Depends(request_lang)) -> dict[str, Any]:
    """The thread kinds an experiment may mix, with their texts in the request's language, and the limits."""
    lim = limits()
    with language(lang):
        kinds = [
            {
                "name": k.name,
                "style": k.style,
                "releases_gil": k.releases_gil,
                "region": k.region,
                "title": _(k.title),
                "explain": _(k.explain),
                "params": [
                    {
                        "name": p.name,
                        "default": p.default,
                        "minimum": p.minimum,
                        "maximum": p.maximum,
                        "unit": _(p.unit),
                        "integer": p.integer,
                        "help": _(p.help),
                    }
                    for p in k.params
                ],
                "source": kind_source(k.name),
            }
            for k in KINDS.values()
        ]
    return {
        "lang": lang,
        "kinds": kinds,
        "limits": {
            "max_threads": lim.max_threads,
            "max_duration_s": lim.max_duration_s,
            "min_interval_s": lim.min_interval_s,
            "max_interval_s": lim.max_interval_s,
            "queue_length": lim.queue_length,
            "runs_per_client_per_minute": lim.runs_per_client_per_minute,
        },
    }


@router.get("/api/pythons")
async def pythons() -> dict[str, Any]:
    return {"pythons": await asyncio.to_thread(describe_pythons)}


@router.post("/api/runs", status_code=202)
async def create_run(
    spec: RunSpec,
    request: Request,
    lang: str = Depends(request_lang),
    group: str | None = Query(
        None,
        pattern=r"^[A-Za-z0-9_-]{1,40}$",
        description="A sweep's or a lesson's runs share one group: stored together, and one submission for the cap",
    ),
    lesson: str | None = Query(None, pattern=r"^C([1-9]|10)$", description="The claim whose lesson runs it"),
) -> JSONResponse:
    m = service(request)
    try:
        run = m.submit(spec, address(request), owner=client_id(request), group=group, lesson=lesson)
    except (QueueFull, RateLimited, TooManyActive) as exc:
        return JSONResponse({"detail": refusal(exc, m, lang)}, status_code=429, headers={"Retry-After": "10"})
    if group is not None:
        m.remember_group(group, "lesson" if lesson else "sweep", lesson or "")
    return JSONResponse({"id": run.id, "status": run.status, "position": m.position(run)}, status_code=202)


@router.get("/api/runs")
async def list_runs(
    request: Request,
    kind: str | None = None,
    interval_s: float | None = None,
    status: str | None = None,
    lesson: str | None = None,
    group: str | None = None,
    source: str | None = None,
    fold: bool = Query(False, description="A group's runs (a sweep's, a lesson's) as one row: its newest run"),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0),
) -> dict[str, Any]:
    """Stored runs, newest first, filtered by workload kind, switch interval, status, lesson, group or source
    ("run" or "trace"), and paged; each with its key figures, its name and note, and its group's kind and lesson.
    Folded (?fold=true), a group counts once: its newest run stands for it, with `group.runs` saying how many
    of its runs match. Also what is running and waiting now."""
    m = service(request)
    rows, total = await m.list_runs(
        kind=kind,
        interval_s=interval_s,
        status=status,
        lesson=lesson,
        group=group,
        source=source,
        fold=fold,
        limit=limit,
        offset=offset,
    )
    state = m.state()
    return {
        "runs": [r.listed() for r in rows],
        "total": total,
        "limit": limit,
        "offset": offset,
        "running": state.running,
        "queued": state.queued,
    }


@router.get("/api/now")
async def now(request: Request) -> dict[str, Any]:
    """What the class is watching: the run in progress, the last one, the queue's length, and `shown`, the run
    /now shows (the newest to start, running or ended)."""
    state = service(request).state()
    return {"running": state.running, "latest": state.latest, "queued": len(state.queued), "shown": state.shown}


@router.get("/api/runs/{run_id}")
async def run_view(run_id: str, request: Request, lang: str = Depends(request_lang)) -> dict[str, Any]:
    """One run: its spec, status and, once done, its summary with the reading in the request's language."""
    record = await find_record(request, run_id, lang)
    view = _view(record, service(request).progress(run_id))
    view["summary"] = with_reading(view["summary"], lang)
    return view


def _view(record: RunRecord, progress: Progress | None) -> dict[str, Any]:
    """GET /api/runs/{id}'s body: a stored run's every column; a run in memory its state, place and event count."""
    if progress is None:
        return {**record.as_dict(), "position": None, "events": None}
    return {
        **{k: getattr(record, k) for k in LIVE_VIEW},
        "position": progress.position,
        **{k: getattr(record, k) for k in LIVE_TIMES},
        "events": progress.events,
    }


@router.post("/api/queue/clear")
async def clear_queue(request: Request, lang: str = Depends(request_lang)) -> dict[str, Any]:
    """The teacher (Authorization: Bearer $GILSCOPE_TEACHER_TOKEN) cancels every waiting run."""
    if not is_teacher(request):
        with language(lang):
            raise HTTPException(403, _("Only the teacher may clear the queue."))
    return {"cancelled": await service(request).clear_queue()}


@router.post("/api/runs/{run_id}/cancel")
async def cancel(run_id: str, request: Request, lang: str = Depends(request_lang)) -> dict[str, Any]:
    try:
        record = await service(request).cancel(run_id, by=client_id(request), teacher=is_teacher(request))
    except NotOwner:
        with language(lang):
            raise HTTPException(
                403, _("Only the browser that started this run, or the teacher, may cancel it.")
            ) from None
    if record is None:  # only a run this server holds may be cancelled
        raise not_found(run_id, lang)
    return {"id": record.id, "status": record.status}


@router.get(
    "/api/runs/{run_id}/events", response_class=EventSourceResponse, responses={404: {"description": "No such run"}}
)
async def events(
    request: Request, log: Annotated[EventLog, Depends(streamed)], lang: str = Depends(request_lang)
) -> AsyncIterator[ServerSentEvent]:
    """Every event of the run in order, each with its sequence number as id; Last-Event-ID resumes. A stored run
    (after a restart too) replays its whole stream. The final summary event carries the run's reading in the
    request's language (?lang=, else the cookie or the browser's). Each event is an `Event` (see the schemas)."""
    # `streamed` took this stream's slot (deps.stream_slot), given back when the response ends however it ends
    try:
        seq = int(request.headers.get("last-event-id") or request.query_params.get("from") or 0)
    except ValueError:
        seq = 0
    seq = max(0, seq)
    async for event in _stream(log, seq, lang):
        sent = time.monotonic()
        yield event
        if time.monotonic() - sent > SLOW_READER_S:
            return  # a reader this far behind is let go; its browser resumes with Last-Event-ID


def summary_event(run: EventLog, text: str, lang: str) -> str:
    """The summary event with its reading in one language, built once per run and language: thirty viewers of a
    run would otherwise each parse and write a summary of a hundred kilobytes on the event loop."""
    cached = run.rendered.get(lang)
    if cached is None:
        event = json.loads(text)
        event["summary"] = with_reading(event.get("summary"), lang)
        cached = run.rendered[lang] = json.dumps(event, separators=(",", ":"))
    return cached


async def _stream(run: EventLog, seq: int, lang: str) -> AsyncIterator[ServerSentEvent]:
    while True:
        waiter = run.changed
        while seq < len(run.events):
            text = run.events[seq]
            seq += 1
            if not text:
                continue  # an event a live look let go (older than its window): its place keeps the ids
            kind = event_type(text)
            if kind == "summary":
                text = summary_event(run, text, lang)
            yield ServerSentEvent(raw_data=text, id=str(seq))
            if kind in FINAL_EVENTS:
                return
        if run.status in FINAL and seq >= len(run.events):
            return
        try:
            await asyncio.wait_for(waiter.wait(), timeout=15)
        except TimeoutError:
            pass
