"""The write timeout: a client that stops reading cannot hold a response (and its task) forever.

When a transport's write buffer passes its high-water mark, the protocol's sends wait for the
client to read. If the client reads nothing for ``timeout_write`` seconds, the connection is
aborted (its unsent bytes dropped), which ends the wait with a disconnect. Every time the buffer
drains below the low-water mark the clock starts again, so slow but steady readers are fine.
"""

from __future__ import annotations

import asyncio
import logging

__all__ = ["WriteTimer"]


class WriteTimer:
    """Aborts ``transport`` if writing stays paused for ``timeout`` seconds (None: never)."""

    __slots__ = ("handle", "logger", "loop", "timeout")

    def __init__(
        self, loop: asyncio.AbstractEventLoop, timeout: float | None, logger: logging.Logger
    ) -> None:
        self.loop = loop
        self.timeout = timeout
        self.logger = logger
        self.handle: asyncio.TimerHandle | None = None

    def paused(self, transport: asyncio.Transport) -> None:
        """The transport paused writing: start the clock."""
        if self.timeout and self.handle is None:
            self.handle = self.loop.call_later(self.timeout, self._expire, transport)

    def resumed(self) -> None:
        """Writing resumed (or the connection is gone): stop the clock."""
        if self.handle is not None:
            self.handle.cancel()
            self.handle = None

    def _expire(self, transport: asyncio.Transport) -> None:
        self.handle = None
        if not transport.is_closing() or transport.get_write_buffer_size():
            self.logger.info("Closing a connection whose client read nothing for %ss", self.timeout)
            transport.abort()
