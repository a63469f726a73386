"""Rendering a page: a Jinja2 template in the visitor's language, with the page's constants. Every router that
draws a page calls render_page."""

from __future__ import annotations

import json

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, select_autoescape

from gilscope.web.i18n import pick_lang, table, translated
from gilscope.web.page_config import page_config, page_config_json

templates = Jinja2Templates(
    env=translated(Environment(loader=PackageLoader("gilscope", "templates"), autoescape=select_autoescape()))
)


def render_page(request: Request, name: str, active: str, **extra: object) -> HTMLResponse:
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
