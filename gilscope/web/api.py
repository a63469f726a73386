"""The JSON API and the Server-Sent Events stream."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from fastapi.sse import EventSourceResponse, ServerSentEvent

from gilscope.config import limits
from gilscope.lessons import reading
from gilscope.locale import _, language, ngettext
from gilscope.spec import RunSpec
from gilscope.web.clients import address, client_id, is_teacher
from gilscope.web.i18n import request_lang
from gilscope.web.pythons import describe_pythons
from gilscope.web.runs import FINAL, FINAL_EVENTS, QueueFull, RateLimited, Run, RunManager, TooManyActive, event_type
from gilscope.workloads import KINDS

router = APIRouter()
SLOW_READER_S = 10.0  # one event taking longer than this to leave means the reader has stalled


def manager(request: Request) -> RunManager:
    return request.app.state.runs


def not_found(run_id: str, lang: str) -> HTTPException:
    with language(lang):
        return HTTPException(404, _("There is no run {id} on this server.").format(id=repr(run_id)))


def get_run(request: Request, run_id: str, lang: str) -> Run:
    """A run this server holds in memory (queued, running or recently finished)."""
    run = manager(request).runs.get(run_id)
    if run is None:
        raise not_found(run_id, lang)
    return run


async def find_run(request: Request, run_id: str, lang: str) -> Run | dict[str, Any]:
    """A run in memory, or else a stored one (any run this data folder kept, across restarts)."""
    run = manager(request).runs.get(run_id)
    if run is not None:
        return run
    record = await manager(request).stored(run_id)
    if record is None:
        raise not_found(run_id, lang)
    return record


async def run_events(request: Request, run_id: str, lang: str) -> tuple[Run | None, list[str]]:
    """The live run (its events still growing), or a stored run's complete event stream."""
    run = manager(request).runs.get(run_id)
    if run is not None:
        return run, run.events
    events = await manager(request).stored_events(run_id)
    if events is None:
        raise not_found(run_id, lang)
    return None, events


def with_reading(summary: dict[str, Any] | None, lang: str) -> dict[str, Any] | None:
    """The summary with its plain-language reading (gilscope.lessons.reading) in the viewer's language."""
    return None if summary is None else {**summary, "reading": reading(summary, lang)}


@router.get("/healthz")
async def healthz(request: Request) -> dict[str, Any]:
    m = manager(request)
    return {
        "ok": True,
        "running": m.current.id if m.current else None,
        "queued": len(m.queue),
        "viewers": m.viewers,
        "store": m.store.health(),
    }


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
    m = manager(request)
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
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0),
) -> dict[str, Any]:
    """Stored runs, newest first, filtered by workload kind, switch interval, status, lesson, group or source
    ("run" or "trace"), and paged; each with its key figures. Also what is running and waiting now."""
    m = manager(request)
    rows, total = await m.in_store(
        m.store.list_runs,
        kind=kind,
        interval_s=interval_s,
        status=status,
        lesson=lesson,
        group=group,
        source=source,
        limit=limit,
        offset=offset,
    )
    for row in rows:  # memory knows best about runs still in flight
        live = m.runs.get(row["id"])
        if live is not None:
            row["status"] = live.status
    return {
        "runs": rows,
        "total": total,
        "limit": limit,
        "offset": offset,
        "running": m.current.id if m.current else None,
        "queued": [r.id for r in m.queue],
    }


@router.get("/api/now")
async def now(request: Request) -> dict[str, Any]:
    """What the class is watching: the run in progress (or the last one) and the queue."""
    m = manager(request)
    last = m.current or next((r for r in reversed(list(m.runs.values())) if r.status in FINAL), None)
    return {"running": m.current.id if m.current else None, "latest": last.id if last else None, "queued": len(m.queue)}


def refusal(exc: QueueFull | RateLimited | TooManyActive, m: RunManager, lang: str) -> str:
    """Why a run was refused, in the request's language (the exception's own text is for logs)."""
    with language(lang):
        if isinstance(exc, TooManyActive):
            n = m.limits.active_per_client
            return ngettext(
                "You already have {n} run queued or running; wait for it to finish.",
                "You already have {n} runs queued or running; wait for one to finish.",
                n,
            ).format(n=n)
        if isinstance(exc, QueueFull):
            n = m.limits.queue_length
            return ngettext(
                "The queue is full ({n} run waiting); try again shortly.",
                "The queue is full ({n} runs waiting); try again shortly.",
                n,
            ).format(n=n)
        n = m.limits.runs_per_client_per_minute
        return ngettext(
            "At most {n} run per client per minute; try again shortly.",
            "At most {n} runs per client per minute; try again shortly.",
            n,
        ).format(n=n)


@router.get("/api/runs/{run_id}")
async def run_view(run_id: str, request: Request, lang: str = Depends(request_lang)) -> dict[str, Any]:
    """One run: its spec, status and, once done, its summary with the reading in the request's language."""
    found = await find_run(request, run_id, lang)
    if isinstance(found, Run):
        view = found.view(manager(request).position(found))
    else:
        view = {**found, "position": None, "events": None}
    view["summary"] = with_reading(view["summary"], lang)
    return view


@router.post("/api/queue/clear")
async def clear_queue(request: Request, lang: str = Depends(request_lang)) -> dict[str, Any]:
    """The teacher (Authorization: Bearer $GILSCOPE_TEACHER_TOKEN) cancels every waiting run."""
    if not is_teacher(request):
        with language(lang):
            raise HTTPException(403, _("Only the teacher may clear the queue."))
    return {"cancelled": await manager(request).clear_queue()}


@router.post("/api/runs/{run_id}/cancel")
async def cancel(run_id: str, request: Request, lang: str = Depends(request_lang)) -> dict[str, Any]:
    run = get_run(request, run_id, lang)
    if not (is_teacher(request) or (run.owner and run.owner == client_id(request))):
        with language(lang):
            raise HTTPException(403, _("Only the browser that started this run, or the teacher, may cancel it."))
    await manager(request).cancel(run)
    for _attempt in range(40):  # the kill is immediate; wait briefly so the answer can say it is over
        if run.status in FINAL:
            break
        await asyncio.sleep(0.025)
    return {"id": run.id, "status": run.status}


async def streamed(run_id: str, request: Request, lang: str = Depends(request_lang)) -> tuple[Run | None, list[str]]:
    """Resolved before the stream starts, so that an unknown run answers 404 and one too many streams 429,
    not a broken stream."""
    m = manager(request)
    if m.viewers >= m.limits.max_streams or m.streams_of.get(client_id(request), 0) >= m.limits.streams_per_client:
        with language(lang):
            raise HTTPException(
                429, _("Too many open event streams; close a tab and try again."), headers={"Retry-After": "5"}
            )
    return await run_events(request, run_id, lang)


@router.get(
    "/api/runs/{run_id}/events", response_class=EventSourceResponse, responses={404: {"description": "No such run"}}
)
async def events(
    request: Request, lang: str = Depends(request_lang), source: tuple[Run | None, list[str]] = Depends(streamed)
) -> AsyncIterator[ServerSentEvent]:
    """Every event of the run in order, each with its sequence number as id; Last-Event-ID resumes. A stored run
    (after a restart too) replays its whole stream. The final summary event carries the run's reading in the
    request's language (?lang=, else the cookie or the browser's). Each event is an `Event` (see the schemas)."""
    run, stored = source
    if run is None:  # a stored run: its stream is complete
        run = Run(id="stored", spec=None, client="", status="done", events=stored)  # type: ignore[arg-type]
    try:
        seq = int(request.headers.get("last-event-id") or request.query_params.get("from") or 0)
    except ValueError:
        seq = 0
    seq = max(0, seq)
    runs, who = manager(request), client_id(request)
    runs.viewers += 1
    runs.streams_of[who] = runs.streams_of.get(who, 0) + 1
    try:
        async for event in _stream(run, seq, lang):
            sent = time.monotonic()
            yield event
            if time.monotonic() - sent > SLOW_READER_S:
                return  # a reader this far behind is let go; its browser resumes with Last-Event-ID
    finally:  # a closed browser ends here (the generator is cancelled): nothing of it stays behind
        runs.viewers -= 1
        left = runs.streams_of.pop(who, 1) - 1
        if left > 0:
            runs.streams_of[who] = left


def summary_event(run: Run, text: str, lang: str) -> str:
    """The summary event with its reading in one language, built once per run and language: thirty viewers of a
    run would otherwise each parse and write a summary of a hundred kilobytes on the event loop."""
    cached = run.rendered.get(lang)
    if cached is None:
        event = json.loads(text)
        event["summary"] = with_reading(event.get("summary"), lang)
        cached = run.rendered[lang] = json.dumps(event, separators=(",", ":"))
    return cached


async def _stream(run: Run, seq: int, lang: str) -> AsyncIterator[ServerSentEvent]:
    while True:
        waiter = run.changed
        while seq < len(run.events):
            text = run.events[seq]
            seq += 1
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
