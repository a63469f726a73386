"""One run this server holds in memory: its spec, its state and its event stream, growing while it runs.

Every viewer (and a reconnecting one) reads the same list of events in order. A stored run's complete stream is
read through the same `EventLog` shape, so the SSE stream serves both without a stand-in run.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from gilscope.spec import RunSpec
from gilscope.store import RunRecord

FINAL = ("done", "failed", "cancelled")
FINAL_EVENTS = ("summary", "failed", "cancelled")


class EventLog(Protocol):
    """What a stream reads: the events so far, an event set when more arrive, whether the run is over, and the
    final event per language, rendered once for every viewer."""

    events: list[str]
    status: str
    rendered: dict[str, str]

    @property
    def changed(self) -> asyncio.Event: ...


@dataclass
class StoredLog:
    """A stored run's event stream: complete, so nothing more will arrive."""

    events: list[str]
    status: str = "done"
    rendered: dict[str, str] = field(default_factory=dict)
    changed: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass
class Run:
    source: ClassVar[str] = "run"  # "trace": a live look (web/live_api.py) that no runner drives
    id: str
    spec: RunSpec
    client: str  # the connection's address: rate limit and queue cap
    owner: str = ""  # the submitting browser's client id: it (or the teacher) may cancel
    created: float = field(default_factory=time.time)
    status: str = "queued"
    summary: dict[str, Any] | None = None
    error: str | None = None
    started: float | None = None
    finished: float | None = None
    events: list[str] = field(default_factory=list)
    dropped_segments: int = 0
    lesson: str | None = None  # the claim whose lesson ran it
    group_id: str | None = None  # a sweep or a lesson's runs, stored together
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    proc: asyncio.subprocess.Process | None = None
    size: int = 0  # bytes of its events
    rendered: dict[str, str] = field(default_factory=dict)  # the final event per language, for every viewer

    def add(self, payload: str) -> None:
        self.events.append(payload)
        self.size += len(payload)
        self.changed.set()
        self.changed = asyncio.Event()

    def stored_spec(self) -> dict[str, Any]:
        """What the record says was run: the experiment's spec (a live look says what it watches instead)."""
        return self.spec.model_dump()

    def record(self) -> RunRecord:
        """The run as the store keeps it (its events apart), and as every route reads a run."""
        return RunRecord(
            id=self.id,
            created=self.created,
            started=self.started,
            finished=self.finished,
            status=self.status,
            error=self.error,
            client=self.client,
            spec=self.stored_spec(),
            summary=self.summary,
            lesson=self.lesson,
            group_id=self.group_id,
            source=self.source,
        )


def event_type(text: str) -> str:
    """An event's type, read from the start of its JSON without parsing the whole (ticks can be large)."""
    head = text[:40]
    i = head.find('"type":')
    if i < 0:
        return ""
    rest = head[i + 7 :].lstrip().lstrip('"')
    return rest.split('"', 1)[0]
