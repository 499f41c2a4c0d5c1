"""The ASGI lifespan protocol: startup before serving, shutdown after, shared state."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Literal

from ._types import ASGIApp, Message

__all__ = ["Lifespan", "LifespanFailure"]

logger = logging.getLogger("fasterapi_server.error")


class LifespanFailure(Exception):
    """The application reported (or raised) a startup or shutdown failure."""


class Lifespan:
    """Runs the application's ``lifespan`` scope next to the server.

    ``mode="auto"`` tolerates an application without lifespan support (it raises before
    reading the startup event); ``"on"`` requires it and ``"off"`` skips it.
    """

    def __init__(self, app: ASGIApp, mode: Literal["auto", "on", "off"] = "auto") -> None:
        self.app = app
        self.mode = mode
        self.state: dict[str, Any] = {}
        self.supported = mode != "off"
        self._inbox: asyncio.Queue[Message] = asyncio.Queue()
        self._started = asyncio.Event()
        self._stopped = asyncio.Event()
        self._received_startup = False
        self._failure: str | None = None
        self._task: asyncio.Task[None] | None = None

    async def startup(self) -> None:
        """Send ``lifespan.startup`` and wait; raise :class:`LifespanFailure` on failure."""
        if not self.supported:
            return
        self._task = asyncio.get_running_loop().create_task(self._run())
        await self._inbox.put({"type": "lifespan.startup"})
        await self._started.wait()
        if self._failure is not None:
            raise LifespanFailure(self._failure)

    async def shutdown(self) -> None:
        """Send ``lifespan.shutdown`` and wait; raise :class:`LifespanFailure` on failure."""
        if not self.supported or self._task is None or self._task.done():
            return
        await self._inbox.put({"type": "lifespan.shutdown"})
        await self._stopped.wait()
        if self._failure is not None:
            raise LifespanFailure(self._failure)

    async def _run(self) -> None:
        scope = {
            "type": "lifespan",
            "asgi": {"version": "3.0", "spec_version": "2.0"},
            "state": self.state,
        }
        try:
            await self.app(scope, self._receive, self._send)
        except BaseException as exc:
            if self.mode == "auto" and not self._received_startup:
                logger.info("ASGI 'lifespan' protocol appears unsupported.")
                self.supported = False
            else:
                self._failure = self._failure or f"lifespan raised {exc!r}"
                logger.error("Exception in 'lifespan' protocol", exc_info=exc)
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
        finally:
            if not self._started.is_set() and self._received_startup and self._failure is None:
                self._failure = "the application returned during startup"
            self._started.set()
            self._stopped.set()

    async def _receive(self) -> Message:
        message = await self._inbox.get()
        if message["type"] == "lifespan.startup":
            self._received_startup = True
        return message

    async def _send(self, message: Message) -> None:
        kind = message["type"]
        if kind == "lifespan.startup.complete":
            self._started.set()
        elif kind == "lifespan.startup.failed":
            self._failure = str(message.get("message") or "startup failed")
            self._started.set()
        elif kind == "lifespan.shutdown.complete":
            self._stopped.set()
        elif kind == "lifespan.shutdown.failed":
            self._failure = str(message.get("message") or "shutdown failed")
            self._stopped.set()
        else:
            raise RuntimeError(f"unexpected lifespan message {kind!r}")
