"""One serving process: lifespan, listening socket, connection deadlines, signals, shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import sys
from collections.abc import Coroutine
from typing import Any

from ._responses import refresh_date
from .config import LOG_LEVELS, Config, ConfigError
from .http_protocol import HttpProtocol
from .lifespan import Lifespan, LifespanFailure
from .state import ServerState
from .tracebacks import format_user_error

__all__ = ["STARTUP_FAILURE", "Server", "bind_socket", "configure_logging", "run_coroutine"]

STARTUP_FAILURE = 3
"""Exit status when the application cannot be loaded or its lifespan startup fails."""
TICK = 0.25
"""Seconds between deadline checks (keep-alive, request head, linger) and date refreshes."""

logger = logging.getLogger("fasterapi_server.error")


def configure_logging(level: str | int) -> None:
    """Give the server's loggers a stderr handler and a level, unless logging is set up."""
    package = logging.getLogger("fasterapi_server")
    number = level if isinstance(level, int) else LOG_LEVELS[level.lower()]
    package.setLevel(number)
    if not package.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        package.addHandler(handler)
        package.propagate = False


def bind_socket(config: Config) -> socket.socket:
    """A listening TCP socket on ``config.host:config.port`` (inheritable, for workers)."""
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((config.host, config.port))
    except OSError:
        sock.close()
        raise
    sock.listen(config.backlog)
    sock.setblocking(False)
    sock.set_inheritable(True)
    return sock


def run_coroutine(coro: Coroutine[Any, Any, int], loop: str = "auto") -> int:
    """Run ``coro`` on uvloop when installed (and ``loop`` allows it), else on asyncio."""
    factory = None
    if loop in ("auto", "uvloop"):
        try:
            import uvloop
        except ImportError:
            if loop == "uvloop":
                raise
        else:
            factory = uvloop.new_event_loop
    with asyncio.Runner(loop_factory=factory) as runner:
        return runner.run(coro)


class Server:
    """Serves one application in this process until SIGINT/SIGTERM, then shuts down gracefully.

    A second signal skips the wait for requests in flight (``force_on_second_signal``).
    """

    def __init__(self, config: Config, force_on_second_signal: bool = True) -> None:
        self.config = config
        self.force_on_second_signal = force_on_second_signal
        self.should_exit: asyncio.Event | None = None
        self.force_exit = False
        self.state: ServerState | None = None
        self.port: int | None = None
        self.startup_error: str | None = None
        """Why the application could not be loaded or started (set with ``STARTUP_FAILURE``)."""

    def run(self, sock: socket.socket | None = None) -> int:
        """Serve (blocking) and return the process exit status."""
        return run_coroutine(self.serve(sock), self.config.loop)

    def handle_exit(self, signum: int) -> None:
        """A stop signal: the first asks for a graceful shutdown."""
        if self.should_exit is not None and self.should_exit.is_set():
            if self.force_on_second_signal:
                self.force_exit = True
            return
        if self.should_exit is not None:
            self.should_exit.set()

    def _install_signals(self, loop: asyncio.AbstractEventLoop) -> None:
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, self.handle_exit, signum)  # main thread only

    async def serve(self, sock: socket.socket | None = None) -> int:
        """Start, serve until asked to stop, shut down; the exit status."""
        loop = asyncio.get_running_loop()
        self.should_exit = asyncio.Event()
        self._install_signals(loop)
        config = self.config
        try:
            app = config.load_app()
        except ConfigError as exc:
            self.startup_error = f"Error loading ASGI app: {exc}\n"
            logger.error("%s", self.startup_error.rstrip())
            return STARTUP_FAILURE
        except Exception as exc:
            self.startup_error = "Error loading ASGI app:\n" + format_user_error(exc)
            logger.error("%s", self.startup_error.rstrip())
            return STARTUP_FAILURE
        try:
            tls = config.ssl_context()
        except ConfigError as exc:
            logger.error("%s", exc)
            return STARTUP_FAILURE
        state = self.state = ServerState(config, app, loop)
        state.scheme = "https" if tls is not None else "http"
        lifespan = Lifespan(app, config.lifespan)
        try:
            await lifespan.startup()
        except LifespanFailure as exc:
            self.startup_error = f"Application startup failed: {str(exc).rstrip()}\n"
            logger.error("%s", self.startup_error.rstrip())
            return STARTUP_FAILURE
        state.lifespan_state = lifespan.state
        try:
            if sock is not None:
                server = await loop.create_server(lambda: HttpProtocol(state), sock=sock, ssl=tls)
            else:
                server = await loop.create_server(
                    lambda: HttpProtocol(state),
                    host=config.host,
                    port=config.port,
                    reuse_address=True,
                    backlog=config.backlog,
                    ssl=tls,
                )
        except OSError as exc:
            logger.error("Could not listen on %s:%s: %s", config.host, config.port, exc)
            await self._shutdown_lifespan(lifespan)
            return 1
        address = server.sockets[0].getsockname()
        self.port = int(address[1])
        logger.info(
            "Serving on %s://%s:%d (pid %d)", state.scheme, address[0], address[1], os.getpid()
        )
        ticker = loop.create_task(self._tick(state))
        await self.should_exit.wait()
        logger.info("Shutting down")
        await self._drain(state, server)
        ticker.cancel()
        return await self._shutdown_lifespan(lifespan)

    async def _tick(self, state: ServerState) -> None:
        loop = state.loop
        while True:
            await asyncio.sleep(TICK)
            clock = state.clock = loop.time()
            refresh_date()
            late = clock - TICK
            for conn in [c for c in state.connections if 0.0 < c.deadline <= late]:
                conn.timed_out()

    async def _drain(self, state: ServerState, server: asyncio.AbstractServer) -> None:
        """Stop accepting, close idle connections, let requests in flight finish (bounded)."""
        loop = state.loop
        state.shutting_down = True
        server.close()
        for conn in list(state.connections):
            conn.shutdown()
        deadline = loop.time() + self.config.timeout_graceful_shutdown
        while not self.force_exit and loop.time() < deadline:
            if not state.tasks and all(c.is_idle() for c in state.connections):
                break
            await asyncio.sleep(0.05)
        else:
            if state.tasks or state.connections:
                logger.warning("Graceful shutdown timed out: closing connections in flight")
        for conn in list(state.connections):
            conn.abort()
        tasks = list(state.tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=5)
        await asyncio.sleep(0)  # let the transports run their connection_lost

    async def _shutdown_lifespan(self, lifespan: Lifespan) -> int:
        try:
            await lifespan.shutdown()
        except LifespanFailure as exc:
            logger.error("Application shutdown failed: %s", exc)
            return 1
        return 0
