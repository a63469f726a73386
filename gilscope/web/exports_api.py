"""Exports of any stored run (or one this server holds): summary JSON, segments CSV, Chrome trace JSON."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from gilscope.exports import chrome_trace, from_events, segments_csv, summary_json
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
