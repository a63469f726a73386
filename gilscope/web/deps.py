"""What several routers need before they route: the run service, a run or its events (404 for an unknown one),
and an event stream's slot (429 when too many are open). Routers import these, never each other."""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import Depends, HTTPException, Request

from gilscope.locale import _, language, ngettext
from gilscope.store import RunRecord
from gilscope.web.clients import client_id
from gilscope.web.i18n import request_lang
from gilscope.web.runs import EventLog, QueueFull, RateLimited, RunManager, TooManyActive, TooManyStreams


def service(request: Request) -> RunManager:
    return request.app.state.runs


def not_found(run_id: str, lang: str) -> HTTPException:
    with language(lang):
        return HTTPException(404, _("There is no run {id} on this server.").format(id=repr(run_id)))


async def find_record(request: Request, run_id: str, lang: str) -> RunRecord:
    """A run in memory, or else a stored one (any run this data folder kept, across restarts); else 404."""
    record = await service(request).lookup(run_id)
    if record is None:
        raise not_found(run_id, lang)
    return record


async def find_events(request: Request, run_id: str, lang: str) -> list[str]:
    """A run's events so far, or a stored run's complete stream; else 404."""
    events = await service(request).events(run_id)
    if events is None:
        raise not_found(run_id, lang)
    return events


async def stream_slot(request: Request, lang: str = Depends(request_lang)) -> AsyncIterator[None]:
    """An event stream's slot, held until the response has ended (a dependency's exit runs after the stream),
    so it is given back however the stream ends; 429 before the stream starts when too many are open."""
    try:
        async with service(request).viewer(client_id(request)):
            yield
    except TooManyStreams:
        with language(lang):
            raise HTTPException(
                429, _("Too many open event streams; close a tab and try again."), headers={"Retry-After": "5"}
            ) from None


async def streamed(
    run_id: str, request: Request, lang: str = Depends(request_lang), _slot: None = Depends(stream_slot)
) -> EventLog:
    """The run a stream follows, resolved (with its slot taken) before the stream starts, so that one too many
    streams answers 429 and an unknown run 404, not a broken stream."""
    log = await service(request).event_log(run_id)
    if log is None:
        raise not_found(run_id, lang)
    return log


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
