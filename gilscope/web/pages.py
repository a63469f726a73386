"""The HTML pages: rendered with Jinja2 in the visitor's language."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, select_autoescape

from gilscope.web.i18n import pick_lang, table, translated
from gilscope.web.page_config import PageConfig, page_config, page_config_json

router = APIRouter()
templates = Jinja2Templates(
    env=translated(Environment(loader=PackageLoader("gilscope", "templates"), autoescape=select_autoescape()))
)


def _page(request: Request, name: str, active: str, **extra: object) -> HTMLResponse:
    lang = pick_lang(
        request.query_params.get("lang"), request.cookies.get("lang"), request.headers.get("accept-language")
    )
    t = table(lang)
    config = page_config()
    response = templates.TemplateResponse(
        request,
        name,
        {
            "lang": lang,
            "t": t,
            "t_json": json.dumps(t, ensure_ascii=False).replace("</", "<\\/"),
            "active": active,
            "other_lang": "uk" if lang == "en" else "en",
            "config": config,
            "config_json": page_config_json(),
            "num": lambda x: number(x, lang),
            "default_step": config["interval_steps_ms"].index(config["default_interval_ms"]),
            **extra,
        },
    )
    if request.query_params.get("lang") == lang:
        response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


def number(x: float, lang: str) -> str:
    """A number as the page's format.js writes it (3 significant digits; a decimal comma in Ukrainian)."""
    text = f"{x:.3g}" if abs(x) < 1000 else f"{round(x):,}".replace(",", "\u202f" if lang == "uk" else ",")
    return text.replace(".", ",") if lang == "uk" else text


@router.get("/api/page-config", response_model=PageConfig, tags=["page"])
async def get_page_config() -> PageConfig:
    """The constants the page draws with: thread states and their colours, GIL-holder codes, thread colours,
    the lane count, the interval slider's stops and the interval and duration bounds."""
    return page_config()


@router.get("/", response_class=HTMLResponse)
async def lab(request: Request) -> HTMLResponse:
    return _page(request, "lab.html", "lab")


@router.get("/now", response_class=HTMLResponse)
async def now(request: Request) -> HTMLResponse:
    return _page(request, "lab.html", "now")


@router.get("/lessons", response_class=HTMLResponse)
async def lessons(request: Request) -> HTMLResponse:
    return _page(request, "lessons.html", "lessons")


@router.get("/vendor/plotly.min.js", include_in_schema=False)
async def plotly_js() -> FileResponse:
    """plotly.js from the installed plotly package: the page never needs the network (classrooms are often
    offline), and the version is the one pip installed."""
    import plotly

    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    return FileResponse(path, media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"})
