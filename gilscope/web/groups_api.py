"""Groups the server drives: a lesson's plan (or its sweep) submitted once and run to its end without the browser.

The page used to feed a lesson's runs to the queue one by one, so a closed tab abandoned the lesson halfway. Here
the server holds the plan (gilscope.lessons.plan) and feeds its runs to the same queue, one at a time in the plan's
order, each submitted when the one before has ended: other classmates' runs still fit in between, and every limit
of the queue (its length, the per-client rate and cap) keeps its meaning. A refusal on the way is waited out and
said in the group's view. GET /api/groups/{id} tells any page (a reloaded one too) where the group is, and its
verdict once every run has ended: the same judge() as the verdict route.

Groups live in this server's memory (their runs are in the store with their group id); the latest KEEP_GROUPS are
kept. When a group ends, its steps and (a lesson's) verdict in every language go to the store too, so that a
lesson's last verdict outlives the server (GET /api/lessons/{id}/last, the lessons' report).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from gilscope.lessons import LESSON, GroupKind, PlannedRun, Verdict, judge, results
from gilscope.locale import LANGS, _, language
from gilscope.spec import RunSpec
from gilscope.web.deps import refusal
from gilscope.web.i18n import request_lang
from gilscope.web.runs import FINAL, QueueFull, RateLimited, Run, RunManager, TooManyActive

router = APIRouter()
KEEP_GROUPS = 200  # groups remembered in memory, oldest finished ones dropped first
RETRY_S = 3.0  # a refused submission is tried again after this
Refusal = QueueFull | RateLimited | TooManyActive


@dataclass
class Step:
    """One planned run and what became of it: no id until it is submitted."""

    planned: PlannedRun
    spec: RunSpec
    run_id: str | None = None
    status: str = "planned"
    error: str | None = None


@dataclass
class Group:
    id: str
    lesson: str
    kind: GroupKind
    repeats: int
    steps: list[Step]
    client: str
    owner: str
    created: float = field(default_factory=time.time)
    refused: Refusal | None = None  # why the next run waits outside the queue, while it does
    task: asyncio.Task[None] | None = None
    verdicts: dict[str, Verdict] = field(default_factory=dict)  # per language, once every run has ended

    @property
    def finished(self) -> bool:
        return all(s.status in FINAL for s in self.steps)

    def current(self) -> Step | None:
        return next((s for s in self.steps if s.status not in FINAL), None)


def new_group_id(kind: GroupKind) -> str:
    """Within the pattern /api/runs accepts for a group: [A-Za-z0-9_-]{1,40}."""
    return f"{kind}-{uuid.uuid4().hex}"[:40]


class Groups:
    """The groups of this server and the tasks that feed their runs to the queue."""

    def __init__(self, runs: RunManager) -> None:
        self.runs = runs
        self.groups: dict[str, Group] = {}

    def submit(self, step: Step, group: Group) -> Run:
        """Submits one step to the queue (raises the queue's refusal)."""
        run = self.runs.submit(
            step.spec,
            group.client,
            owner=group.owner,
            group=group.id,
            lesson=group.lesson if group.kind == LESSON else None,
        )
        step.run_id, step.status = run.id, run.status
        return run

    def start(self, group: Group, first: Run) -> None:
        """Takes over a group whose first run was just submitted, and feeds the rest of its plan to the queue."""
        self.groups[group.id] = group
        self.runs.remember_group(group.id, group.kind, group.lesson)
        group.task = asyncio.create_task(self._drive(group, first))
        self._forget_old()

    async def stop(self) -> None:
        """Server shutdown: no further run is submitted (the runs in flight end with the run queue)."""
        tasks = [g.task for g in self.groups.values() if g.task is not None and not g.task.done()]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _drive(self, group: Group, first: Run) -> None:
        try:
            await self._feed(group, first)
        except Exception as exc:  # the group ends, saying why, rather than waiting forever
            for step in group.steps:
                if step.status not in FINAL and step.run_id is None:
                    step.status, step.error = "failed", f"internal error: {exc!r}"
        if group.finished:
            await self._keep(group)

    async def _keep(self, group: Group) -> None:
        """A group that ended: its steps and its verdict in every language, to the store."""
        verdicts = {lang: await _verdict(group, self.runs, lang) for lang in LANGS}
        kept = {lang: v.model_dump(mode="json") for lang, v in verdicts.items() if v is not None}
        steps = [
            {"key": s.planned.key, "repeat": s.planned.repeat, "run_id": s.run_id, "status": s.status}
            for s in group.steps
        ]
        self.runs.cache.finish_group(group.id, steps, kept or None)

    async def _feed(self, group: Group, first: Run) -> None:
        run: Run | None = first
        for step in group.steps:
            while run is None:
                try:
                    run = self.submit(step, group)
                    group.refused = None
                except (QueueFull, RateLimited, TooManyActive) as exc:
                    group.refused = exc
                    await asyncio.sleep(RETRY_S)
                    if self.runs.stopping:
                        return
            await _ended(run, step)
            run = None
            if self.runs.stopping:
                return

    def _forget_old(self) -> None:
        done = [g for g in self.groups.values() if g.finished]
        for g in done[: max(0, len(self.groups) - KEEP_GROUPS)]:
            del self.groups[g.id]


async def _ended(run: Run, step: Step) -> None:
    """Waits for the run's end, keeping the step's status current meanwhile."""
    while True:
        waiter = run.changed
        step.status, step.error = run.status, run.error
        if run.status in FINAL:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(waiter.wait(), timeout=5)


def groups_of(request: Request) -> Groups:
    groups: Groups = request.app.state.groups
    return groups


# -- the view -----------------------------------------------------------------------------------------------------


class GroupRun(BaseModel):
    id: str | None = Field(description="The run's id once submitted (null while it waits for its turn)")
    key: str = Field(description="The lesson's run key (a sweep's: its interval, e.g. 0.1ms)")
    repeat: int = Field(description="Which repeat of the plan this run belongs to, from 0")
    status: str = Field(description="planned (not submitted yet), queued, running, cancelling, done, failed, cancelled")
    lesson: str | None = Field(description="The claim whose lesson ran it (null for a sweep's run)")
    interval_s: float | None = Field(description="A sweep run's switch interval")
    error: str | None = None
    spec: dict[str, Any] = Field(description="The RunSpec body the run was submitted with")


class GroupView(BaseModel):
    id: str
    kind: GroupKind
    lesson: str = Field(description="The claim the group belongs to")
    status: Literal["running", "done"] = Field(description="done once every run has ended (done, failed, cancelled)")
    repeats: int
    runs: list[GroupRun] = Field(description="Every run of the plan, in the order they run")
    states: dict[str, int] = Field(description="How many of the runs are in each status")
    current: str | None = Field(description="The run in the queue or running now (follow its events)")
    waiting: str | None = Field(description="Why the next run is not in the queue yet: a refusal, tried again")
    verdict: Verdict | None = Field(description="Once every run has ended, a lesson's verdict (a sweep has none)")


async def view(request: Request, group: Group, lang: str) -> GroupView:
    current = group.current()
    verdict = await _verdict(group, groups_of(request).runs, lang) if group.finished else None
    return GroupView(
        id=group.id,
        kind=group.kind,
        lesson=group.lesson,
        status="done" if group.finished else "running",
        repeats=group.repeats,
        runs=[
            GroupRun(
                id=s.run_id,
                key=s.planned.key,
                repeat=s.planned.repeat,
                status=s.status,
                lesson=group.lesson if group.kind == LESSON else None,
                interval_s=s.planned.interval_s,
                error=s.error,
                spec=s.planned.spec,
            )
            for s in group.steps
        ],
        states=dict(Counter(s.status for s in group.steps)),
        current=current.run_id if current else None,
        waiting=refusal(group.refused, groups_of(request).runs, lang) if group.refused and current else None,
        verdict=verdict,
    )


async def _verdict(group: Group, runs: RunManager, lang: str) -> Verdict | None:
    if group.kind != LESSON:
        return None
    if lang not in group.verdicts:
        outcomes = [await run_summary(runs, s.run_id) if s.run_id else None for s in group.steps]
        group.verdicts[lang] = judge(group.lesson, results([s.planned for s in group.steps], outcomes), lang)
    return group.verdicts[lang]


async def run_summary(runs: RunManager, run_id: str) -> dict[str, Any] | None:
    """A run's summary (memory, else the store), an error record for a run that did not finish, None if unknown."""
    record = await runs.lookup(run_id)
    if record is None:
        return None
    if record.status == "done" and record.summary is not None:
        return dict(record.summary)
    return {"error": record.error or record.status}


@router.get("/api/groups/{group_id}", response_model=GroupView, responses={404: {"description": "No such group"}})
async def group_view(group_id: str, request: Request, lang: str = Depends(request_lang)) -> GroupView:
    """A group this server drives: its runs in the plan's order with their status, the run to follow now, and
    once every run has ended, the lesson's verdict in the request's language."""
    group = groups_of(request).groups.get(group_id)
    if group is None:
        with language(lang):
            raise HTTPException(404, _("There is no group {id} on this server.").format(id=repr(group_id)))
    return await view(request, group, lang)
