"""The FastAPI application: the only module that assembles the web parts."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gilscope.config import limits
from gilscope.observe import scratch
from gilscope.store import RunDB
from gilscope.web import (
    api,
    docs_pages,
    exports_api,
    groups_api,
    history_pages,
    lessons_api,
    live_api,
    notes_api,
    openapi,
    pages,
)
from gilscope.web.clients import ClientCookie
from gilscope.web.runs import RunManager


def _field(loc: tuple) -> str:
    parts = [str(x) for x in loc if x not in ("body",)]
    return ".".join(parts) or "body"


async def validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = []
    for e in exc.errors():
        msg = str(e.get("msg", "invalid")).removeprefix("Value error, ")
        errors.append({"field": _field(tuple(e.get("loc", ()))), "message": msg})
    text = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return JSONResponse({"detail": errors, "error": text}, status_code=422)


async def http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=getattr(exc, "headers", None))


class BodyLimit:
    """Refuses request bodies over the limit with 413, before anything reads them whole."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.max_bytes
        if scope["path"].startswith("/api/live") and live_api.is_local((scope.get("client") or ("",))[0]):
            limit = live_api.LIVE_BODY_BYTES  # a live look's summary, from this machine
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            return await self._refuse(send, limit)
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise _TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await self._refuse(send, limit)

    async def _refuse(self, send: Send, limit: int) -> None:
        body = b'{"detail":"request body too large: at most %d bytes"}' % limit
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


def create_app() -> FastAPI:
    lim = limits()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        runs = RunManager(lim, RunDB(keep_runs=lim.keep_runs, max_bytes=lim.store_max_mb << 20))
        runs.interrupted_runs()
        scratch.sweep_stale()  # files a dead server left behind; a live server's stay
        app.state.runs = runs
        app.state.groups = groups = groups_api.Groups(runs)
        await runs.start()
        yield
        await groups.stop()  # no further run of a group is submitted
        await runs.stop()

    app = FastAPI(title="gilscope", lifespan=lifespan, docs_url=None, redoc_url=None)  # docs_pages: offline
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(lessons_api.router)
    app.include_router(groups_api.router)
    app.include_router(exports_api.router)
    app.include_router(history_pages.router)
    app.include_router(live_api.router)
    app.include_router(docs_pages.router)
    app.include_router(notes_api.router)
    app.mount("/static", StaticFiles(packages=[("gilscope", "static")]), name="static")
    app.add_middleware(BodyLimit, max_bytes=lim.max_body_bytes)
    app.add_middleware(ClientCookie)
    openapi.publish(app)
    return app
