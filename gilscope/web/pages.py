"""The HTML pages: rendered with Jinja2 in the visitor's language."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from gilscope.lessons.scenarios import SCENARIOS
from gilscope.web.page_config import PageConfig, page_config
from gilscope.web.render import render_page

router = APIRouter()


@router.get("/api/page-config", response_model=PageConfig, tags=["page"])
async def get_page_config() -> PageConfig:
    """The constants the page draws with: thread states and their colours, GIL-holder codes, thread colours,
    the lane count, the interval slider's stops and the interval and duration bounds."""
    return page_config()


@router.get("/", response_class=HTMLResponse)
async def lab(request: Request) -> HTMLResponse:
    return render_page(request, "lab.html", "lab", scenarios=SCENARIOS)


@router.get("/now", response_class=HTMLResponse)
async def now(request: Request) -> HTMLResponse:
    return render_page(request, "lab.html", "now")


@router.get("/lessons", response_class=HTMLResponse)
async def lessons(request: Request) -> HTMLResponse:
    return render_page(request, "lessons.html", "lessons")


@router.get("/vendor/plotly.min.js", include_in_schema=False)
async def plotly_js() -> FileResponse:
    """plotly.js from the installed plotly package: the page never needs the network (classrooms are often
    offline), and the version is the one pip installed."""
    import plotly

    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    return FileResponse(path, media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"})
