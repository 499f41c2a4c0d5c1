"""Write flow control of one connection, with the write timeout.

The transport pauses writing when its buffer passes the high-water mark and resumes it below the
low-water mark; senders wait in between. If the client reads nothing for ``timeout_write``
seconds while writing is paused, the connection is aborted (its unsent bytes dropped), which
ends the wait with a disconnect: a client that stops reading cannot hold a response (and its
task) forever. Every resume starts the clock again, so slow but steady readers are fine.
"""

from __future__ import annotations

import asyncio
import logging

__all__ = ["WriteFlow"]


class WriteFlow:
    """Paused/resumed by the transport, waited on by senders, ended by the write timeout."""

    __slots__ = ("handle", "logger", "loop", "paused", "timeout", "waiter")

    def __init__(
        self, loop: asyncio.AbstractEventLoop, timeout: float | None, logger: logging.Logger
    ) -> None:
        self.loop = loop
        self.timeout = timeout
        self.logger = logger
        self.paused = False
        self.waiter: asyncio.Future[None] | None = None
        self.handle: asyncio.TimerHandle | None = None

    def pause(self, transport: asyncio.Transport) -> None:
        """The transport paused writing: senders wait, the write timeout runs."""
        self.paused = True
        if self.timeout and self.handle is None:
            self.handle = self.loop.call_later(self.timeout, self._expire, transport)

    def resume(self) -> None:
        """The transport can take more: wake the senders."""
        self.paused = False
        self.release()

    def release(self) -> None:
        """Stop the write timeout and wake the senders (also when the connection is lost)."""
        if self.handle is not None:
            self.handle.cancel()
            self.handle = None
        waiter = self.waiter
        if waiter is not None:
            self.waiter = None
            if not waiter.done():
                waiter.set_result(None)

    async def wait(self) -> None:
        """Wait while writing is paused."""
        if self.paused:
            if self.waiter is None:
                self.waiter = self.loop.create_future()
            await asyncio.shield(self.waiter)

    def _expire(self, transport: asyncio.Transport) -> None:
        self.handle = None
        if not transport.is_closing() or transport.get_write_buffer_size():
            self.logger.info("Closing a connection whose client read nothing for %ss", self.timeout)
            transport.abort()
