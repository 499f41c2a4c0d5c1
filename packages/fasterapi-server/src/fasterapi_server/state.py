"""What one serving process shares between its connections."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable, Coroutine
from typing import Any, Protocol

from ._types import ASGIApp, Scope
from .config import Config
from .forwarded import TrustedProxies, default_trusted

__all__ = ["Connection", "ServerState"]


class Connection(Protocol):
    """A live connection as the server sees it (HTTP or WebSocket)."""

    deadline: float

    def shutdown(self) -> None:
        """Stop after the request in flight (HTTP) or close with 1012 (WebSocket)."""

    def is_idle(self) -> bool:
        """True when no application call is running for this connection."""

    def timed_out(self) -> None:
        """The deadline passed: close the connection."""

    def abort(self) -> None:
        """Close the connection now."""


class ServerState:
    """The application, settings, loggers and live connections of one serving process."""

    def __init__(self, config: Config, app: ASGIApp, loop: asyncio.AbstractEventLoop) -> None:
        self.config = config
        self.app = app
        self.loop = loop
        self.root_path = config.root_path
        self.connections: set[Connection] = set()
        self.tasks: set[asyncio.Task[None]] = set()
        self.lifespan_state: dict[str, Any] = {}
        self.shutting_down = False
        self.clock = loop.time()
        """A coarse clock (refreshed by the server's ticker) for connection deadlines."""
        self.logger = logging.getLogger("fasterapi_server.error")
        self.access_logger = logging.getLogger("fasterapi_server.access")
        headers = []
        if config.server_header:
            headers.append(b"server: fasterapi\r\n")
        self.server_header = b"".join(headers)
        self.date_header = config.date_header
        self.start_task = self._task_starter(config.eager_tasks)
        self.scheme = "http"
        """The scheme of the scopes: ``https`` when the server speaks TLS."""
        self.proxies: TrustedProxies | None = None
        """With ``proxy_headers``: whose ``X-Forwarded-*`` headers rewrite the scope."""
        if config.proxy_headers:
            self.proxies = TrustedProxies(config.forwarded_allow_ips or default_trusted())

    def _task_starter(
        self, eager: bool
    ) -> Callable[[Coroutine[Any, Any, None]], asyncio.Task[None]]:
        loop = self.loop
        if eager and sys.version_info >= (3, 12):

            def start_eager(coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
                # Runs the coroutine right away until it first suspends: a handler that never
                # awaits anything slow answers without a round trip through the event loop.
                return asyncio.Task(coro, loop=loop, eager_start=True)  # type: ignore[call-arg,unused-ignore]

            return start_eager
        return loop.create_task

    def track(self, task: asyncio.Task[None]) -> None:
        """Keep a reference to an application task until it ends (graceful shutdown waits)."""
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def access_log_enabled(self) -> bool:
        """Whether access log lines would be emitted (checked once per connection)."""
        return self.config.access_log and self.access_logger.isEnabledFor(logging.INFO)

    def log_access(self, scope: Scope, status: int) -> None:
        """One access log line (only called when :meth:`access_log_enabled` said so)."""
        client = scope["client"]
        query = scope["query_string"]
        target = scope["path"] + ("?" + query.decode("latin-1") if query else "")
        self.access_logger.info(
            '%s:%s - "%s %s HTTP/%s" %d',
            client[0] if client else "-",
            client[1] if client else "-",
            scope["method"],
            target,
            scope["http_version"],
            status,
        )
