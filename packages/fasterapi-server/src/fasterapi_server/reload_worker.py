"""The worker process under ``reload`` (development): it serves the application or, while the
application's code fails to import or to start, answers every request with ``500`` and the
error, until the supervisor restarts it after the next change."""

from __future__ import annotations

import dataclasses
import logging
import os
import socket

from ._types import ASGIApp, Receive, Scope, Send
from .config import Config
from .server import STARTUP_FAILURE, Server

__all__ = ["BROKEN_HEADING", "error_app", "serve_reloadable"]

logger = logging.getLogger("fasterapi_server.error")

BROKEN_HEADING = (
    "The application could not start; the server restarts it when a watched .py file changes.\n\n"
)
"""The first line of the body of every ``500`` answered while the code is broken."""


def error_app(report: str) -> ASGIApp:
    """An ASGI application answering each HTTP request with ``500`` and ``report`` as plain
    text (uncached), and refusing each WebSocket (which the server answers with ``403``)."""
    body = (BROKEN_HEADING + report).encode("utf-8", "replace")
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode("ascii")),
        (b"cache-control", b"no-store"),
    ]

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await send({"type": "http.response.start", "status": 500, "headers": headers})
            await send({"type": "http.response.body", "body": body})
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1011})

    return app


def serve_reloadable(config: Config, sock: socket.socket) -> int:
    """Serve ``config.app`` on ``sock``; when it cannot be loaded or its lifespan startup
    fails, serve :func:`error_app` with the reason instead. The exit status."""
    # The supervisor forwards SIGINT/SIGTERM: a terminal's Ctrl-C reaches every process of the
    # group as well, so a repeated signal must not cut the graceful shutdown short here.
    server = Server(config, force_on_second_signal=False)
    status = server.run(sock)
    if status != STARTUP_FAILURE or server.startup_error is None:
        return status
    logger.error(
        "Worker %d failed to start: fix the code; answering 500 with the error until then",
        os.getpid(),
    )
    broken = dataclasses.replace(
        config, app=error_app(server.startup_error), factory=False, lifespan="off", reload=False
    )
    return Server(broken, force_on_second_signal=False).run(sock)
