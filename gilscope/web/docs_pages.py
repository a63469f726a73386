"""The API's documentation pages, /docs (Swagger UI) and /redoc, with every asset served from this server: a
classroom is often offline, and the pages must not fetch from a CDN (FastAPI's defaults do).

Swagger UI's bundle comes from the installed fastapi-offline package (Swagger UI 5: it reads OpenAPI 3.1, which
FastAPI writes); ReDoc's standalone bundle ships in gilscope/static/vendor (from the npm package redoc, MIT).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

router = APIRouter(include_in_schema=False)

SWAGGER_FILES = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon.png": "image/png",
}
FAVICON = "/vendor/swagger/favicon.png"


def swagger_folder() -> Path:
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


@router.get("/docs", response_class=HTMLResponse)
async def swagger(request: Request) -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url=request.app.openapi_url,
        title=request.app.title + " API",
        swagger_js_url="/vendor/swagger/swagger-ui-bundle.js",
        swagger_css_url="/vendor/swagger/swagger-ui.css",
        swagger_favicon_url=FAVICON,
    )


@router.get("/redoc", response_class=HTMLResponse)
async def redoc(request: Request) -> HTMLResponse:
    return get_redoc_html(
        openapi_url=request.app.openapi_url,
        title=request.app.title + " API",
        redoc_js_url="/static/vendor/redoc.standalone.js",
        redoc_favicon_url=FAVICON,
        with_google_fonts=False,
    )


@router.get("/vendor/swagger/{name}")
async def swagger_asset(name: str) -> FileResponse:
    media = SWAGGER_FILES.get(name)
    if media is None:
        raise HTTPException(404, f"no such file: {name}")
    return FileResponse(swagger_folder() / name, media_type=media, headers={"Cache-Control": "public, max-age=86400"})
