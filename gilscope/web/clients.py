"""Who is asking: a browser's random client id (an HttpOnly cookie set on its first visit), the teacher (a bearer
token set by environment), and the connection's address, which the rate limit and the queue cap use because
a client can drop a cookie but not its address. Proxy headers count only from a proxy named by environment."""

from __future__ import annotations

import hmac
import os
import secrets

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "gilscope_client"
TEACHER_ENV = "GILSCOPE_TEACHER_TOKEN"
TRUSTED_PROXY_ENV = "GILSCOPE_TRUSTED_PROXY"  # the proxy's address: only then X-Forwarded-For is believed


class ClientCookie:
    """Gives every visitor a random client id, kept in an HttpOnly cookie, before any route runs."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        cookie = _cookie(scope)
        state = scope.setdefault("state", {})
        state["client_id"] = cookie or secrets.token_urlsafe(16)
        if cookie:
            return await self.app(scope, receive, send)

        async def with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                value = f"{COOKIE}={state['client_id']}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax"
                message.setdefault("headers", []).append((b"set-cookie", value.encode()))
            await send(message)

        await self.app(scope, receive, with_cookie)


def _cookie(scope: Scope) -> str | None:
    for name, value in scope.get("headers") or []:
        if name == b"cookie":
            for part in value.decode("latin-1").split(";"):
                key, _, val = part.strip().partition("=")
                if key == COOKIE and 8 <= len(val) <= 64 and val.replace("-", "").replace("_", "").isalnum():
                    return val
    return None


def client_id(request: Request) -> str:
    return str(getattr(request.state, "client_id", "") or "")


def address(request: Request) -> str:
    """The connection's address (uvicorn replaces it from X-Forwarded-For only for a trusted proxy)."""
    return request.client.host if request.client else "unknown"


def is_teacher(request: Request) -> bool:
    token = os.environ.get(TEACHER_ENV, "")
    given = request.headers.get("authorization", "")
    return bool(token) and given.startswith("Bearer ") and hmac.compare_digest(given[7:].strip(), token)


def trusted_proxy() -> str | None:
    return os.environ.get(TRUSTED_PROXY_ENV) or None
