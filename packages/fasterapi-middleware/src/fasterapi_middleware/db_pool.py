"""Share one database pool/engine with every request (pure ASGI).

The object is stored as-is in ``scope["state"][state_key]`` for http and websocket scopes, so it
works with an SQLAlchemy ``AsyncEngine``, an ``asyncpg.Pool`` or anything else. With
``dispose_on_shutdown=True`` the middleware watches the lifespan protocol and, once the app has
finished its own shutdown, awaits ``pool.dispose()`` (SQLAlchemy) or ``pool.close()`` (asyncpg)
before reporting ``lifespan.shutdown.complete`` (``lifespan.shutdown.failed`` if that raises).

With ``answer_unavailable=True`` (the default) an HTTP request whose handling raises an error that
means the database is unavailable (SQLAlchemy's pool ``TimeoutError``, a lost connection, a
refused one: ``fasterapi_core.database_unavailable``) is answered ``503`` with
``{"detail": "Database unavailable: ..."}`` when its response has not started; other errors, and
errors after the response started, propagate unchanged.
"""

from __future__ import annotations

import inspect
import logging
from typing import Any

from fasterapi_core.database_unavailable import database_unavailable_reason
from fasterapi_core.responses import JSONResponse
from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["DatabasePoolMiddleware"]

logger = logging.getLogger("fasterapi.middleware.db_pool")


class DatabasePoolMiddleware:
    """Attach ``pool`` to ``scope["state"][state_key]`` for every request; answer 503 when the
    database is unavailable (``answer_unavailable``)."""

    def __init__(
        self,
        app: ASGIApp,
        pool: Any,
        state_key: str = "engine",
        dispose_on_shutdown: bool = False,
        answer_unavailable: bool = True,
    ) -> None:
        if pool is None:
            raise ValueError("pool must not be None")
        if not isinstance(state_key, str) or not state_key:
            raise ValueError("state_key must be a non-empty string")
        self.closer: str | None = None
        if dispose_on_shutdown:
            for name in ("dispose", "close"):
                if callable(getattr(pool, name, None)):
                    self.closer = name
                    break
            else:
                raise ValueError(
                    "dispose_on_shutdown=True needs a pool with dispose() (SQLAlchemy AsyncEngine) "
                    "or close() (asyncpg.Pool)"
                )
        self.app = app
        self.pool = pool
        self.state_key = state_key
        self.answer_unavailable = answer_unavailable

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind in ("http", "websocket"):
            state = scope.get("state")
            if state is None:
                state = scope["state"] = {}
            state[self.state_key] = self.pool
            if kind == "http" and self.answer_unavailable:
                await self._http_answering_unavailable(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        if kind == "lifespan" and self.closer is not None:
            await self.app(scope, receive, self._lifespan_send(send))
            return
        await self.app(scope, receive, send)

    async def _http_answering_unavailable(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            reason = database_unavailable_reason(exc)
            if reason is None or started:
                raise
            logger.warning("%s: %r", reason, exc)
            await JSONResponse({"detail": reason}, status_code=503)(scope, receive, send)

    def _lifespan_send(self, send: Send) -> Send:
        async def lifespan_send(message: Message) -> None:
            if message["type"] == "lifespan.shutdown.complete":
                try:
                    await self.close_pool()
                except Exception as exc:
                    logger.exception("closing the database pool failed")
                    await send({"type": "lifespan.shutdown.failed", "message": repr(exc)})
                    return
            await send(message)

        return lifespan_send

    async def close_pool(self) -> None:
        """Dispose/close the pool (awaiting the result when it is awaitable)."""
        assert self.closer is not None
        result = getattr(self.pool, self.closer)()
        if inspect.isawaitable(result):
            await result
