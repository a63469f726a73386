"""Live looks: a program watched by `gilscope attach/trace --live` on this machine, fed into this server.

The watching process measures; this server only checks the shape of what it is sent, stores it and relays it
to the run's viewers through the same event stream as a run (the run view draws it at /runs/{id}, /now follows
it). It never runs anything it is sent. Only this machine may feed it (loopback), unless
GILSCOPE_LIVE_FROM_ANYWHERE=1. A look of hours stays small here: of its ticks only about the page's window is
kept (older ones are let go, their places kept so that event ids stay the same), of its `holders` events only
the latest; at the end the run is stored like a saved trace, with the events kept and its summary.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import os
import time
import uuid
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Literal, cast

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from gilscope.analysis.live import WINDOW_S
from gilscope.locale import _, language
from gilscope.schema import HelloEvent, HoldersEvent, StacksEvent, SummaryEvent, ThreadsEvent, TickEvent
from gilscope.spec import RunSpec
from gilscope.web.clients import address
from gilscope.web.deps import service
from gilscope.web.i18n import request_lang
from gilscope.web.live_run import FINAL, Run
from gilscope.web.runs import RunManager

router = APIRouter()
ANYWHERE_ENV = "GILSCOPE_LIVE_FROM_ANYWHERE"
SILENT_S = 30.0  # a look that sends nothing for this long has lost its watcher (killed): it ends, failed
KEEP_S = WINDOW_S + 5.0  # ticks kept of a live look: the page's window and a little more
MAX_LIVE = 8  # looks in flight at once
LIVE_BODY_BYTES = 8 << 20  # a batch from this machine may be this large (a summary is larger than a spec)


def is_local(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def from_here(request: Request, lang: str = Depends(request_lang)) -> None:
    """Only a watcher on this machine may feed the server, unless the environment allows any."""
    if os.environ.get(ANYWHERE_ENV) == "1" or is_local(address(request)):
        return
    with language(lang):
        raise HTTPException(
            403,
            _("Live looks are taken only from this machine (loopback); {env}=1 allows other addresses.").format(
                env=ANYWHERE_ENV
            ),
        )


@dataclass
class LiveRun(Run):
    """A look in flight: a run of this server's memory that no runner drives; its watcher sends its events."""

    source: ClassVar[str] = "trace"

    program: list[str] = field(default_factory=list)
    pid: int = 0
    threads: int = 0
    interval_s: float | None = None  # the program's switch interval, from its hello
    last_seen: float = field(default_factory=time.monotonic)
    ticks: list[tuple[int, float]] = field(default_factory=list)  # (index, t_s) of the ticks kept
    holders_at: int = -1  # index of the latest holders event
    final: str | None = None  # the summary event, held until the end

    def stored_spec(self) -> dict[str, Any]:
        """A look has no experiment's spec: what it watches, for how long, at which switch interval."""
        s = self.summary or {}
        return {
            "mix": [{"kind": "trace", "threads": len(s.get("threads") or []) or self.threads}],
            "switch_interval_s": s.get("interval_s") or s.get("interval_set_s") or self.interval_s,
            "duration_s": s.get("wall_s") or round(time.time() - self.created, 3),
            "program": self.program,
            "live": True,
        }

    def _drop(self, i: int) -> None:
        self.size -= len(self.events[i])
        self.events[i] = ""  # its place stays: event ids (Last-Event-ID) keep their meaning

    def take(self, kind: str, text: str, t_s: float | None) -> None:
        """One event from the watcher, kept within bounds."""
        self.last_seen = time.monotonic()
        if kind == "summary":
            self.final = text
            return
        self.add(text)
        i = len(self.events) - 1
        if kind == "holders":
            if self.holders_at >= 0:
                self._drop(self.holders_at)
            self.holders_at = i
        elif kind == "tick" and t_s is not None:
            self.ticks.append((i, t_s))
            k = 0
            while k < len(self.ticks) and self.ticks[k][1] < t_s - KEEP_S:
                self._drop(self.ticks[k][0])
                k += 1
            del self.ticks[:k]


class LiveStart(BaseModel):
    model_config = ConfigDict(extra="forbid")
    program: list[Annotated[str, Field(max_length=4096)]] = Field(default_factory=list, max_length=1000)
    pid: int = Field(0, ge=0, le=2**31)


class LiveEnd(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: Literal["done", "failed"]
    error: str | None = Field(None, max_length=4000)


LiveEventIn = Annotated[
    HelloEvent | TickEvent | ThreadsEvent | HoldersEvent | StacksEvent | SummaryEvent, Field(discriminator="type")
]


class LiveBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    events: list[LiveEventIn] = Field(default_factory=list, max_length=10_000)
    end: LiveEnd | None = None


def _live_runs(m: RunManager) -> list[LiveRun]:
    return [r for r in m.cache.runs.values() if isinstance(r, LiveRun) and r.status not in FINAL]


@router.post("/api/live", status_code=201, dependencies=[Depends(from_here)], tags=["live"])
async def open_live(body: LiveStart, request: Request, lang: str = Depends(request_lang)) -> JSONResponse:
    """A watcher on this machine (`gilscope attach PID --live`) starts a look: its run id and page. The events
    follow through POST /api/live/{id}/events."""
    m = service(request)
    _watch(request)
    if len(_live_runs(m)) >= MAX_LIVE:
        with language(lang):
            raise HTTPException(429, _("At most {n} live looks at once.").format(n=MAX_LIVE))
    now = time.time()
    run = LiveRun(
        uuid.uuid4().hex[:12],
        cast(RunSpec, None),  # a look has no experiment's spec: record() says what it watches
        address(request),
        status="running",
        started=now,
        created=now,
        program=body.program,
        pid=body.pid,
    )
    m.cache.add(run)
    return JSONResponse({"id": run.id, "url": f"/runs/{run.id}"}, status_code=201)


@router.post("/api/live/{run_id}/events", dependencies=[Depends(from_here)], tags=["live"])
async def live_events(
    run_id: str, body: LiveBatch, request: Request, lang: str = Depends(request_lang)
) -> dict[str, Any]:
    """A batch of a look's events (the shapes of `Event`: hello first, then ticks, threads, holders, stacks,
    the summary last), and with `end` its status: the run is then stored like a saved trace."""
    m = service(request)
    run = m.cache.get(run_id)
    with language(lang):
        if not isinstance(run, LiveRun):
            raise HTTPException(404, _("There is no live look {id} on this server.").format(id=repr(run_id)))
        if run.status in FINAL:
            raise HTTPException(409, _("The live look {id} has ended.").format(id=repr(run_id)))
        if body.events and not run.events and body.events[0]["type"] != "hello":
            raise HTTPException(422, _("events.0.type: a live look's first event is its hello."))
    for ev in body.events:
        kind = ev["type"]
        if kind == "threads":
            run.threads += len(cast(ThreadsEvent, ev)["threads"])
        elif kind == "hello":
            run.threads = len(cast(HelloEvent, ev)["threads"])
            run.interval_s = cast(HelloEvent, ev)["interval_s"]
        t_s = cast(TickEvent, ev)["t_s"] if kind == "tick" else None
        run.take(kind, json.dumps(ev, separators=(",", ":")), t_s)
    run.last_seen = time.monotonic()
    if body.end is not None:
        end(m, run, body.end.status, body.end.error)
    return {"id": run.id, "status": run.status, "events": len(run.events)}


def end(m: RunManager, run: LiveRun, status: str, error: str | None) -> None:
    """The look is over: its summary (or why there is none) is the stream's last event, and the run is stored."""
    final = run.final
    if final is not None:
        run.summary = dict(cast(SummaryEvent, json.loads(final))["summary"])
    elif status == "done":
        status, error = "failed", error or "the look ended without a summary"
    run.status, run.error, run.finished = status, error, time.time()
    run.add(final or json.dumps({"type": "failed", "status": "failed", "error": error}))
    m.cache.finished(run)


def _watch(request: Request) -> None:
    """Starts, once, the check that ends a look whose watcher went silent (killed without a word)."""
    state = request.app.state
    if getattr(state, "live_watch", None) is None:
        state.live_watch = asyncio.get_running_loop().create_task(_silence(service(request)))


async def _silence(m: RunManager) -> None:
    while True:
        await asyncio.sleep(5.0)
        for run in _live_runs(m):
            if time.monotonic() - run.last_seen > SILENT_S:
                end(m, run, "failed", f"the watching process sent nothing for {SILENT_S:g} s (stopped or killed)")
