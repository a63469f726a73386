"""Exports of any stored run (or one this server holds): summary JSON, segments CSV, Chrome trace JSON, and the GIL
holder's folded stacks."""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from gilscope.exports import chrome_trace, from_events, segments_csv, summary_json
from gilscope.exports.files import render_export
from gilscope.locale import _, language
from gilscope.web.deps import find_events, find_record
from gilscope.web.i18n import request_lang

router = APIRouter(tags=["exports"])


def _download(body: str, media_type: str, name: str) -> Response:
    return Response(body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/api/runs/{run_id}/export/summary.json", responses={404: {"description": "No such run"}})
async def export_summary(run_id: str, request: Request, lang: str = Depends(request_lang)) -> Response:
    record = await find_record(request, run_id, lang)
    return _download(summary_json(record.as_dict()), "application/json", f"gilscope-{run_id}-summary.json")


@router.get("/api/runs/{run_id}/export/segments.csv", responses={404: {"description": "No such run"}})
async def export_segments(run_id: str, request: Request, lang: str = Depends(request_lang)) -> Response:
    """One row per timeline segment: thread, state, start_ms, end_ms."""
    events = await find_events(request, run_id, lang)
    return _download(segments_csv(from_events(events)), "text/csv; charset=utf-8", f"gilscope-{run_id}-segments.csv")


@router.get("/api/runs/{run_id}/export/trace.json", responses={404: {"description": "No such run"}})
async def export_trace(run_id: str, request: Request, lang: str = Depends(request_lang)) -> Response:
    """Chrome Trace Event Format: opens in the Perfetto UI (ui.perfetto.dev) and in speedscope."""
    events = await find_events(request, run_id, lang)
    return _download(
        chrome_trace(from_events(events), title=f"gilscope run {run_id}"),
        "application/json",
        f"gilscope-{run_id}-trace.json",
    )


@router.get(
    "/api/runs/{run_id}/export/stacks.folded",
    responses={404: {"description": "No such run, or it recorded no stacks of the GIL holder"}},
)
async def export_folded(run_id: str, request: Request, lang: str = Depends(request_lang)) -> Response:
    """The GIL holder's folded stacks, `thread;frame;frame count` a line: speedscope, inferno and flamegraph.pl
    read them."""
    events = await find_events(request, run_id, lang)
    if not any(_is_stacks(e) for e in events):
        with language(lang):
            raise HTTPException(404, _("Run {id} recorded no stacks of the GIL holder.").format(id=repr(run_id)))
    return _download(render_export("folded", events), "text/plain; charset=utf-8", f"gilscope-{run_id}-stacks.folded")


def _is_stacks(event: str) -> bool:
    """A stored event is the stacks event (checked by its start: the others can be large)."""
    head = event[:40]
    return '"stacks"' in head and json.loads(event).get("type") == "stacks"
