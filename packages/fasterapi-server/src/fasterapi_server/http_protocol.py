"""The HTTP/1.1 connection: httptools parsing, keep-alive, pipelining, limits and timeouts."""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any, cast

import httptools

from ._request_head import Reject, address
from ._responses import date_header, plain_response
from ._types import Scope
from ._unknown_methods import MethodRecovery, new_parser
from .http_cycle import HttpCycle
from .http_parsing import HttpParsing
from .state import ServerState
from .write_flow import WriteFlow

__all__ = ["HttpProtocol"]

LINGER = 2.0
"""Seconds a rejected connection keeps reading (and discarding) before it is closed."""
IDLE_GRACE = 0.1
"""Seconds an idle keep-alive connection still reads once a graceful shutdown began: a request
already sent (a proxy reusing the connection) is answered, with ``Connection: close``."""


class HttpProtocol(HttpParsing, asyncio.Protocol):
    """One client connection speaking HTTP/1.1 (and 1.0), handed to a WebSocket on upgrade."""

    def __init__(self, state: ServerState) -> None:
        self.state = state
        self.loop = state.loop
        self.config = state.config
        self.parser = new_parser(self)
        self.transport: asyncio.Transport = None  # type: ignore[assignment]
        self.server: tuple[str, int] | None = None
        self.client: tuple[str, int] | None = None
        self.access_log = False
        self.deadline = 0.0
        self.closing = False
        self.discarding = False
        self.read_paused = False
        self.writes = WriteFlow(self.loop, self.config.timeout_write, state.logger)
        self.running = 0
        self.client_eof = False
        self.feeding = False  # inside data_received: eagerly started apps run in there
        self.unflushed: HttpCycle | None = None
        self.active: HttpCycle | None = None  # the request whose response is being produced
        self.parsing: HttpCycle | None = None  # the request whose body the parser is reading
        self.unstarted: HttpCycle | None = None  # parsing, but its application not started yet
        self.pipeline: deque[HttpCycle] = deque()
        # the request head being parsed
        self.url = b""
        self.headers: list[tuple[bytes, bytes]] = []
        self.hosts = 0
        self.head_size = 0
        self.head_trickle = 0
        self.in_head = True
        self.expect_continue = False
        self.upgrade_scope: Scope | None = None
        self.idle = True  # the parser is between two requests
        self.draining = False  # shutting down: closed after IDLE_GRACE unless a request came
        self.methods = MethodRecovery()  # requests with a method llhttp does not know

    # -- transport events ----------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport = cast(asyncio.Transport, transport)
        self.server = address(transport, "sockname")
        self.client = address(transport, "peername")
        self.access_log = self.state.access_log_enabled()
        self.state.connections.add(self)
        self.deadline = self.state.clock + self.config.timeout_keep_alive
        if self.state.shutting_down:
            self.abort()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closing = True
        self.state.connections.discard(self)
        for cycle in (self.active, self.parsing, *self.pipeline):
            if cycle is not None and not cycle.complete:
                cycle.lost()
        self.pipeline.clear()
        self.unstarted = None
        self.writes.release()

    def eof_received(self) -> bool:
        if self.parsing is not None or self.discarding:
            return False  # a request body that can no longer complete: the client has gone
        if self.active is not None and not self.active.complete:
            self.client_eof = True
            return True  # half-closed by the client: still answer the request in flight
        return False

    def pause_writing(self) -> None:
        self.writes.pause(self.transport)

    def resume_writing(self) -> None:
        self.writes.resume()

    async def drain(self) -> None:
        """Wait until the transport's write buffer is below its low-water mark."""
        if not self.closing:
            await self.writes.wait()

    def pause_reading(self) -> None:
        """Stop reading from the socket (body buffer full, or a pipelined request waiting)."""
        if not self.read_paused and not self.closing:
            self.read_paused = True
            self.transport.pause_reading()

    def resume_reading(self) -> None:
        """Read from the socket again."""
        if self.read_paused and not self.closing and not self.pipeline:
            self.read_paused = False
            self.transport.resume_reading()

    def data_received(self, data: bytes) -> None:
        if self.discarding:
            return
        if self.in_head:
            self.head_trickle += len(data)  # reset when a head completes
        if self.methods.unfed:
            data = self.methods.take(data)
        self.feeding = True
        try:
            if not self._feed(data):
                return
        finally:
            self._fed()
        if self.in_head:
            if self.head_trickle > self.config.max_head_size:
                self._reject(431, "Request header fields too large")  # a head trickling in
                return
            ended = data[-1:] == b"\n" and self.url and not self.headers  # a request line
            if ended and self.parser.get_http_version()[:2] == "0.":  # llhttp waits for more
                self._reject(400, "Unsupported HTTP version")
                return
        cycle = self.unstarted
        if cycle is not None and self.active is cycle:
            self.unstarted = None
            self.feeding = True
            try:
                self._run(cycle)  # the body is still on its way: the app reads it as it comes
            finally:
                self._fed()

    def _feed(self, data: bytes) -> bool:
        """Parse ``data``; False once the connection is rejected or handed to another protocol."""
        while True:
            idle = self.idle
            try:
                self.parser.feed_data(data)
                if not self.idle and self.in_head and not self.url:  # inside a method token
                    self.methods.keep(data, idle)
                elif self.methods.begun:
                    self.methods.begun = b""
                return True
            except httptools.HttpParserUpgrade as upgrade:
                if self.upgrade_scope is not None and not self.closing:
                    self._upgrade(data[upgrade.args[0] :] if upgrade.args else b"")
                else:
                    self.discarding = True  # another protocol: nothing more is HTTP/1.1
                return False
            except httptools.HttpParserCallbackError as exc:
                reject = exc.__context__ or exc.__cause__
                if isinstance(reject, Reject):
                    self._reject(reject.status, reject.message)
                else:
                    self.state.logger.error("Error while parsing a request", exc_info=exc)
                    self._reject(400, "Invalid HTTP request")
                return False
            except httptools.HttpParserInvalidMethodError:
                again = None if self.closing else self.methods.failed(data, idle)
                if again is None:
                    self._reject(400, "Invalid HTTP request")
                    return False
                self.parser = new_parser(self)
                self.idle = self.methods.restarted = True  # its head deadline runs on
                if not again:
                    return True  # the method token goes on in the next bytes
                data = again
            except httptools.HttpParserError:
                self._reject(400, "Invalid HTTP request")
                return False

    def _fed(self) -> None:
        """Leave data_received: write a response head an eager application left pending."""
        self.feeding = False
        unflushed = self.unflushed
        if unflushed is not None:
            self.unflushed = None
            unflushed.flush()

    # -- requests and responses ------------------------------------------------------------------

    def _run(self, cycle: HttpCycle) -> None:
        self.running += 1
        task = self.state.start_task(cycle.run(self.state.app))
        if not task.done():
            self.state.track(task)

    def response_complete(self, cycle: HttpCycle) -> None:
        """Called by the cycle once its whole response is written."""
        if cycle is not self.active:
            return
        self.active = None
        if not cycle.keep_alive or self.client_eof or self.closing:
            self._close_after(cycle)
            return
        if self.pipeline:
            nxt = self.active = self.pipeline.popleft()
            self.running += 1
            task = self.loop.create_task(nxt.run(self.state.app))  # not eager: no recursion
            self.state.track(task)
        else:
            self.deadline = self.state.clock + self.config.timeout_keep_alive
        self.resume_reading()

    def _close_after(self, cycle: HttpCycle) -> None:
        self.closing = True
        if cycle.more_body and not cycle.disconnected:
            self._linger()  # the client may still be sending: do not reset the connection
        else:
            self.transport.close()

    def _linger(self) -> None:
        self.discarding = True
        self.closing = True
        if self.read_paused:
            self.read_paused = False
            self.transport.resume_reading()
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.deadline = self.state.clock + LINGER

    def _reject(self, status: int, message: str) -> None:
        if self.closing:
            return
        active = self.active
        started = active is not None and active.started and not active.complete
        for cycle in (active, self.parsing, *self.pipeline):
            if cycle is not None and not cycle.complete:
                cycle.lost()  # the application sees http.disconnect; its sends are dropped
        self.active = self.parsing = self.unstarted = None
        self.pipeline.clear()
        if self.state.logger.isEnabledFor(10):
            self.state.logger.debug("%s from %s: %s", status, self.client, message)
        if started:
            self.abort()  # a response is already on its way: it cannot be replaced
            return
        extra = date_header() + self.state.server_header
        self.transport.write(plain_response(status, message.encode("ascii"), extra))
        self._linger()

    def _upgrade(self, rest: bytes) -> None:
        from ._request_head import request_head
        from .websocket_protocol import WebSocketProtocol

        scope = self.upgrade_scope
        assert scope is not None
        self.upgrade_scope = None
        self.state.connections.discard(self)
        protocol = WebSocketProtocol(self.state, scope)
        self.transport.set_protocol(protocol)
        protocol.connection_made(self.transport)
        protocol.data_received(request_head(scope["method"], self.url, self.headers))
        if rest:
            protocol.data_received(rest)  # frames already: fed one by one after the handshake

    # -- server control --------------------------------------------------------------------------

    def is_idle(self) -> bool:
        """No request in flight on this connection, nor its shutdown grace running."""
        return self.active is None and not self.draining

    def shutdown(self) -> None:
        """Graceful shutdown: close after the response in flight, or ``IDLE_GRACE`` if idle."""
        if self.closing:
            return
        if self.active is None:
            self.draining = True
            self.loop.call_later(IDLE_GRACE, self._close_if_idle)
        else:
            self.active.keep_alive = False
            for cycle in self.pipeline:
                cycle.keep_alive = False

    def _close_if_idle(self) -> None:
        self.draining = False
        if not self.closing and self.active is None:
            self.closing = True
            self.transport.close()

    def timed_out(self) -> None:
        """The keep-alive, head or linger deadline passed."""
        self.deadline = 0.0
        self.abort()

    def abort(self) -> None:
        """Close the connection now."""
        self.closing = True
        if not self.transport.is_closing():
            self.transport.close()

    def info(self) -> dict[str, Any]:
        """A summary for debugging."""
        return {"client": self.client, "active": self.active is not None}
