"""Pages of runs that last: a run's permalink, the history of stored runs, and a comparison of runs.

The pages are drawn by their scripts (static/history.js, runpage.js, compare.js) from the JSON API; the server
gives them what they cannot ask for: the filters' choices in the page's language, and a stored run's end in words.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse

from gilscope.lessons.claims import CLAIMS
from gilscope.locale import N_, _, language, ngettext
from gilscope.web.deps import find_record, service
from gilscope.web.i18n import request_lang
from gilscope.web.page_config import page_config
from gilscope.web.render import render_page
from gilscope.web.runs import INTERRUPTED
from gilscope.workloads import KINDS

router = APIRouter()

PAGE_SIZE = 20  # runs on one page of the history
MAX_COMPARED = 8  # runs side by side: more would not fit the page's stacked timelines
STATUSES = {
    "done": N_("done"),
    "failed": N_("failed"),
    "cancelled": N_("cancelled"),
    "running": N_("running"),
    "queued": N_("queued"),
}
SOURCES = {"run": N_("experiments"), "trace": N_("traced programs")}
# How runs end without a failure of their own (runs.py's words, stored in English): said in the page's language.
REASONS = {
    "cancelled by request": N_("cancelled by request"),
    "cancelled before it started": N_("cancelled before it started"),
    INTERRUPTED: N_("interrupted: the server stopped while this run was in flight"),
}


@router.get("/runs/{run_id}", response_class=HTMLResponse)
async def run_page(run_id: str, request: Request, lang: str = Depends(request_lang)) -> HTMLResponse:
    """A run's permalink: re-rendered from its stored events (replayed), across restarts, never re-run."""
    record = await find_record(request, run_id, lang)  # 404 for an unknown run
    # what GET /api/runs/{id} leaves out of a run still held in memory
    meta = {"lesson": record.lesson, "group_id": record.group_id, "source": record.source}
    error = record.error
    with language(lang):
        reason = _(REASONS[error]) if error in REASONS else error
    live = bool(record.spec.get("live")) and record.status in ("running", "queued")  # a look fed as it runs
    return render_page(request, "run.html", "history", run_id=run_id, reason=reason, meta=meta, live=live)


@router.get("/history", response_class=HTMLResponse)
async def history(request: Request, lang: str = Depends(request_lang)) -> HTMLResponse:
    """Stored runs, newest first; the filters are the address's query (?kind=&interval_ms=&status=&lesson=
    &source=&page=), so that a filtered view is a link."""
    q = request.query_params
    chosen = {k: q.get(k, "") for k in ("kind", "interval_ms", "status", "lesson", "source")}
    intervals = list(page_config()["interval_steps_ms"])
    try:
        asked = float(chosen["interval_ms"]) if chosen["interval_ms"] else None
    except ValueError:
        asked = None
    if asked is not None and asked > 0 and asked not in intervals:  # a run's own interval, off the usual steps
        intervals = sorted([*intervals, asked])
    if asked is not None:
        chosen["interval_ms"] = f"{asked:g}"
    with language(lang):
        filters: dict[str, Any] = {
            "kinds": [(k.name, _(k.title)) for k in KINDS.values()],
            "intervals": [(f"{ms:g}", ms) for ms in intervals],
            "statuses": [(s, _(label)) for s, label in STATUSES.items()],
            "lessons": [(cid, _(c.title)) for cid, c in CLAIMS.items()],
            "sources": [(s, _(label)) for s, label in SOURCES.items()],
        }
    return render_page(
        request,
        "history.html",
        "history",
        filters=filters,
        chosen=chosen,
        page_size=PAGE_SIZE,
        max_compared=MAX_COMPARED,
    )


@router.get("/compare", response_class=HTMLResponse)
async def compare(request: Request, runs: str = "", group: str = "", lang: str = Depends(request_lang)) -> HTMLResponse:
    """Two or more runs on shared axes (?runs=a,b[,c], at most MAX_COMPARED) or a stored group such as a sweep or
    a lesson's runs (?group=..., its first MAX_COMPARED runs in the order they ran)."""
    ids = list(dict.fromkeys(r.strip() for r in runs.split(",") if r.strip()))
    title = note = ""
    if group:
        ids, title, total, per_spec = await _group(request, group, lang)
        if total > len(ids):
            with language(lang):
                if per_spec:
                    note = ngettext(
                        "This group has {n} run; one run of each different experiment is shown ({k}).",
                        "This group has {n} runs; one run of each different experiment is shown ({k}).",
                        total,
                    ).format(n=total, k=len(ids))
                else:
                    note = ngettext(
                        "This group has {n} run; the first {max} are shown.",
                        "This group has {n} runs; the first {max} are shown.",
                        total,
                    ).format(n=total, max=MAX_COMPARED)
    elif len(ids) > MAX_COMPARED:
        with language(lang):
            raise HTTPException(422, _("At most {max} runs side by side.").format(max=MAX_COMPARED))
    for rid in ids:
        await find_record(request, rid, lang)
    return render_page(
        request, "compare.html", "history", run_ids=ids, group_title=title, group_note=note, max_compared=MAX_COMPARED
    )


async def _group(request: Request, group_id: str, lang: str) -> tuple[list[str], str, int, bool]:
    """A group's runs to compare: one per distinct spec (a lesson repeats each of its runs; a sweep's repeats
    share an interval), the first that finished well, in the order they ran, at most MAX_COMPARED; a group that
    repeated one spec only shows its first repeats instead. Also its title in the page's language, how many runs
    it has, and whether one run per spec was picked."""
    m = service(request)
    record, ids = await m.group(group_id)
    with language(lang):
        if not ids:
            raise HTTPException(404, _("There is no group {id} on this server.").format(id=repr(group_id)))
        lesson = record["label"] if record else ""
        if record and record["kind"] == "lesson" and lesson in CLAIMS:
            title = _("Lesson {id}: {title}").format(id=lesson, title=_(CLAIMS[lesson].title))
        elif record and record["kind"] == "sweep":
            title = _("Sweep of the switch interval")
            if lesson in CLAIMS:
                title += " · " + _("Lesson {id}: {title}").format(id=lesson, title=_(CLAIMS[lesson].title))
        else:
            title = _("Group {id}").format(id=group_id)
    rows, _total = await m.list_runs(group=group_id, limit=500)
    picked = one_per_spec(ids, {r.id: r for r in rows})
    if len(picked) < 2:  # repeats of one experiment: they are what there is to compare
        return ids[:MAX_COMPARED], title, len(ids), False
    return picked[:MAX_COMPARED], title, len(ids), True


def one_per_spec(ids: list[str], records: dict[str, Any]) -> list[str]:
    """Of runs in the order they ran, one per distinct spec: the first that is done, else the first; in the order
    their specs first ran. Runs without a record are kept as they are (their spec is unknown)."""
    chosen: dict[str, str] = {}
    for rid in ids:
        record = records.get(rid)
        key = json.dumps(record.spec, sort_keys=True) if record is not None else "run:" + rid
        held = chosen.get(key)
        if held is None or (records[held].status != "done" and record is not None and record.status == "done"):
            chosen[key] = rid
    return list(chosen.values())
