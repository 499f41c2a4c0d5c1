"""Give every request an id (pure ASGI): propagate a safe incoming one or generate a UUID4 hex.

An incoming id is kept only when it is 1-128 characters of ``[A-Za-z0-9._-]``; anything else (CR/LF,
oversized, unicode, duplicated header) is replaced by a fresh ``uuid4().hex``. The request headers
the app sees are rewritten to carry the final id, the id is stored in
``scope["state"]["request_id"]``, echoed in the response (and websocket accept) headers, and bound
into structlog's context variables for the duration of the request when structlog is installed.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["RequestIDMiddleware"]

_SAFE_ID = re.compile(rb"[A-Za-z0-9._-]{1,128}")
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def _load_structlog() -> tuple[Callable[..., Any], Callable[..., Any]] | None:
    """(bind, restore) for structlog's context variables, or ``None`` without structlog."""
    try:
        import structlog.contextvars as ctx
    except ImportError:
        return None
    reset = getattr(ctx, "reset_contextvars", None)
    if reset is not None:  # structlog >= 22: restore exactly what was bound before
        return ctx.bind_contextvars, reset

    def unbind(**_tokens: Any) -> None:
        ctx.unbind_contextvars("request_id")

    return ctx.bind_contextvars, unbind


class RequestIDMiddleware:
    """Ensure each request and response carries a request id header."""

    def __init__(self, app: ASGIApp, header_name: str = "X-Request-ID") -> None:
        if not _TOKEN.fullmatch(header_name):
            raise ValueError(f"invalid header name {header_name!r}")
        self.app = app
        self.header = header_name.lower().encode("ascii")
        self.structlog = _load_structlog()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        name = self.header
        found: list[bytes] = [v for k, v in scope["headers"] if k.lower() == name]
        if len(found) == 1 and _SAFE_ID.fullmatch(found[0]):
            raw = found[0]
        else:
            raw = uuid.uuid4().hex.encode("ascii")
            headers = [(k, v) for k, v in scope["headers"] if k.lower() != name]
            headers.append((name, raw))
            scope["headers"] = headers
        request_id = raw.decode("ascii")
        state = scope.get("state")
        if state is None:
            state = scope["state"] = {}
        state["request_id"] = request_id
        start_type = "http.response.start" if kind == "http" else "websocket.accept"

        async def send_with_id(message: Message) -> None:
            if message["type"] == start_type:
                out = [(k, v) for k, v in message.get("headers", ()) if k.lower() != name]
                out.append((name, raw))
                message["headers"] = out
            await send(message)

        if self.structlog is None:
            await self.app(scope, receive, send_with_id)
            return
        bind, reset = self.structlog
        tokens = bind(request_id=request_id)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            reset(**(tokens or {}))
