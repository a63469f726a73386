"""Pages of runs that last: a run's permalink, the history of stored runs, and a comparison of runs."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse

from gilscope.web.api import find_run
from gilscope.web.i18n import request_lang
from gilscope.web.pages import _page

router = APIRouter()


@router.get("/runs/{run_id}", response_class=HTMLResponse)
async def run_page(run_id: str, request: Request, lang: str = Depends(request_lang)) -> HTMLResponse:
    """A run's permalink: re-rendered from its stored events (replayed), across restarts, never re-run."""
    await find_run(request, run_id, lang)  # 404 for an unknown run
    return _page(request, "run.html", "history", run_id=run_id)


@router.get("/history", response_class=HTMLResponse)
async def history(request: Request) -> HTMLResponse:
    return _page(request, "history.html", "history")


@router.get("/compare", response_class=HTMLResponse)
async def compare(request: Request, runs: str = "", lang: str = Depends(request_lang)) -> HTMLResponse:
    """Two or more runs on shared axes (?runs=a,b[,c]) or a stored group such as a sweep (?group=...)."""
    ids = [r for r in runs.split(",") if r.strip()]
    if len(ids) > 8:
        raise HTTPException(422, "runs: at most 8 runs side by side")
    for rid in ids:
        await find_run(request, rid, lang)
    return _page(request, "compare.html", "history", run_ids=ids)
