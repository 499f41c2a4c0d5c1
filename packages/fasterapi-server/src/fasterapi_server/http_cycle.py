"""One HTTP request/response exchange: the ASGI ``receive`` and ``send`` of a request."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from ._responses import (
    DISCONNECT,
    STATUS_LINES,
    HeaderKind,
    date_header,
    header_kind,
    plain_response,
)
from ._types import ASGIApp, Message, Scope

if TYPE_CHECKING:
    from .http_protocol import HttpProtocol

__all__ = ["ClientDisconnected", "HttpCycle"]

HIGH_WATER = 64 * 1024
"""Unread request body above which the connection stops reading from the socket."""
JOIN_LIMIT = 16 * 1024
"""Head and body are joined into one write below this body size, else written as two."""
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
_CHUNKED = b"transfer-encoding: chunked\r\n"
_CLOSE = b"connection: close\r\n"
_KEEP_ALIVE = b"connection: keep-alive\r\n"
_LAST_CHUNK = b"0\r\n\r\n"


class ClientDisconnected(OSError):
    """Raised by ``send()`` once the client has gone (ASGI spec 2.4)."""


class HttpCycle:
    """The state of one request: its body as it arrives and its response as it is sent."""

    __slots__ = (
        "chunked",
        "chunks",
        "complete",
        "conn",
        "disconnected",
        "expect_continue",
        "http10",
        "is_head",
        "keep_alive",
        "more_body",
        "no_body",
        "pending",
        "remaining",
        "scope",
        "started",
        "transport",
        "unread",
        "waiter",
    )

    def __init__(
        self,
        conn: HttpProtocol,
        scope: Scope,
        keep_alive: bool,
        expect_continue: bool,
    ) -> None:
        self.conn = conn
        self.transport = conn.transport
        self.scope = scope
        self.keep_alive = keep_alive
        self.expect_continue = expect_continue
        self.is_head = scope["method"] == "HEAD"
        self.http10 = scope["http_version"] == "1.0"
        self.chunks: list[bytes] = []
        self.unread = 0
        self.more_body = True
        self.waiter: asyncio.Future[None] | None = None
        self.disconnected = False
        self.started = False
        self.complete = False
        self.chunked = False
        self.no_body = False
        self.remaining = -1
        self.pending: bytes | None = None

    # -- request body, fed by the connection ---------------------------------------------------

    def _wake(self) -> None:
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def feed(self, body: bytes) -> None:
        """A piece of request body arrived."""
        self.chunks.append(body)
        self.unread += len(body)
        if self.unread > HIGH_WATER:
            self.conn.pause_reading()
        self._wake()

    def body_done(self) -> None:
        """The request body is complete."""
        self.more_body = False
        self._wake()

    def lost(self) -> None:
        """The client went away."""
        self.disconnected = True
        self._wake()

    # -- ASGI ------------------------------------------------------------------------------------

    async def run(self, app: ASGIApp) -> None:
        """Call the application and make sure a response (or a closed connection) results."""
        conn = self.conn
        try:
            await app(self.scope, self.receive, self.send)
        except ClientDisconnected:
            pass
        except BaseException as exc:
            conn.state.logger.error("Exception in ASGI application", exc_info=exc)
            self._fail()
            if isinstance(exc, (asyncio.CancelledError, KeyboardInterrupt, SystemExit)):
                raise
        else:
            if not self.complete and not self.disconnected:
                what = "completing" if self.started else "starting"
                conn.state.logger.error("ASGI callable returned without %s a response", what)
                self._fail()
        finally:
            conn.running -= 1

    def _fail(self) -> None:
        if self.disconnected:
            return
        if self.complete:  # raised after its whole response (a failed background task)
            self._close_connection()
            return
        if self.started:
            self.pending = None
            self.complete = True
            self.conn.abort()
            return
        self.started = self.complete = True
        self.keep_alive = False
        extra = date_header() + self.conn.state.server_header
        self.transport.write(plain_response(500, b"Internal Server Error", extra))
        self.conn.response_complete(self)

    def _close_connection(self) -> None:
        """Close the connection, as uvicorn does after an application error; a later request
        already being answered on it is answered first (its response is the last one)."""
        conn = self.conn
        if conn.active is None:
            conn.abort()
        else:
            conn.shutdown()

    async def receive(self) -> Message:
        """The ASGI ``receive``: ``http.request`` pieces, then ``http.disconnect``."""
        if self.expect_continue:
            self.expect_continue = False
            if not self.started and not self.disconnected:
                self.transport.write(CONTINUE)
        if self.disconnected or self.complete:
            return dict(DISCONNECT)
        if not self.chunks and self.more_body:
            self.conn.resume_reading()
            waiter = self.waiter = self.conn.loop.create_future()
            try:
                await waiter
            finally:
                self.waiter = None
            if self.disconnected or self.complete:
                return dict(DISCONNECT)
        chunks = self.chunks
        if not chunks:
            body = b""
        elif len(chunks) == 1:
            body = chunks[0]
            chunks.clear()
        else:
            body = b"".join(chunks)
            chunks.clear()
        if self.unread > HIGH_WATER:
            self.conn.resume_reading()
        self.unread = 0
        return {"type": "http.request", "body": body, "more_body": self.more_body}

    async def send(self, message: Message) -> None:
        """The ASGI ``send``: ``http.response.start`` then ``http.response.body`` pieces."""
        conn = self.conn
        if conn.writes.paused and not self.disconnected:
            await conn.drain()
        if self.disconnected:
            raise ClientDisconnected("the client disconnected")
        kind = message["type"]
        if not self.started:
            if kind != "http.response.start":
                raise RuntimeError(f"expected 'http.response.start', got {kind!r}")
            self._start(message)
        elif not self.complete:
            if kind != "http.response.body":
                raise RuntimeError(f"expected 'http.response.body', got {kind!r}")
            self._body(message.get("body", b""), message.get("more_body", False))
        else:
            raise RuntimeError(f"unexpected {kind!r}: the response is already complete")

    def _start(self, message: Message) -> None:
        status = message["status"]
        status_line = STATUS_LINES.get(status)
        if status_line is None:
            raise RuntimeError(f"invalid HTTP status {status!r}")
        parts = [status_line]
        headers: Any = message.get("headers", ())
        length = -1
        chunked = has_close = has_date = has_server = False
        keep_alive = self.keep_alive
        for name, value in headers:
            kind = header_kind(name)
            if kind:
                if kind == HeaderKind.CONTENT_LENGTH:
                    length = int(value)
                    if length < 0:
                        raise RuntimeError("negative Content-Length")
                elif kind == HeaderKind.TRANSFER_ENCODING:
                    chunked = b"chunked" in value.lower()
                elif kind == HeaderKind.CONNECTION:
                    if b"close" in value.lower():
                        keep_alive = False
                        has_close = True
                elif kind == HeaderKind.DATE:
                    has_date = True
                else:
                    has_server = True
            parts += (name, b": ", value, b"\r\n")
        lines = 1 + len(parts) // 4
        conn = self.conn
        state = conn.state
        if not has_date and state.date_header:
            parts.append(date_header())
            lines += 1
        if not has_server and state.server_header:
            parts.append(state.server_header)
            lines += 1
        if self.is_head or status < 200 or status == 204 or status == 304:
            self.no_body = True
            self.remaining = length
        elif length >= 0:
            self.remaining = length
        elif chunked:
            self.chunked = True
        elif self.http10:
            keep_alive = False  # close-delimited
        else:
            self.chunked = True
            parts.append(_CHUNKED)
            lines += 1
        if keep_alive and (
            (self.more_body and self.expect_continue) or state.shutting_down or conn.closing
        ):
            keep_alive = False  # the client may never send that body, or we are stopping
        if not keep_alive:
            if not has_close:
                parts.append(_CLOSE)
                lines += 1
        elif self.http10:
            parts.append(_KEEP_ALIVE)
            lines += 1
        parts.append(b"\r\n")
        head = b"".join(parts)
        if head.count(b"\n") != lines + 1 or head.count(b"\r") != lines + 1 or b"\0" in head:
            raise RuntimeError("invalid HTTP header: CR, LF or NUL in a header name or value")
        self.keep_alive = keep_alive
        self.started = True
        self.expect_continue = False
        if conn.access_log:
            state.log_access(self.scope, status)
        self.pending = head
        if conn.feeding:
            conn.unflushed = self  # written at the latest when data_received returns
        else:
            conn.loop.call_soon(self.flush)

    def flush(self) -> None:
        """Write a response head still waiting for its body (a streaming response)."""
        head = self.pending
        if head is not None:
            self.pending = None
            if not self.disconnected:
                self.transport.write(head)

    def _body(self, body: bytes, more_body: bool) -> None:
        head = self.pending
        self.pending = None
        if self.no_body:
            data = b""
        elif self.chunked:
            if body:
                data = b"%x\r\n" % len(body) + body + (b"\r\n" if more_body else b"\r\n0\r\n\r\n")
            else:
                data = b"" if more_body else _LAST_CHUNK
        else:
            data = body
            if self.remaining >= 0:
                self.remaining -= len(body)
                if self.remaining < 0:
                    raise RuntimeError("response body longer than its Content-Length")
        if head is not None:
            if len(data) < JOIN_LIMIT:
                self.transport.write(head + data)
            else:
                self.transport.writelines((head, data))
        elif data:
            self.transport.write(data)
        if not more_body:
            if self.remaining > 0 and not self.no_body:
                raise RuntimeError("response body shorter than its Content-Length")
            self.complete = True
            self._wake()
            self.conn.response_complete(self)
