"""A WebSocket connection: the handshake and framing by ``websockets``' sans-IO protocol."""

from __future__ import annotations

import asyncio
import os
from collections import deque
from typing import Any, cast

from websockets.exceptions import InvalidState
from websockets.frames import Frame, Opcode
from websockets.http11 import Request, Response

from ._types import Message, Scope
from .http_cycle import ClientDisconnected
from .state import ServerState
from .websocket_denial import Denial, phrase
from .websocket_messages import FrameFeeder, MessageAssembler, MessageError
from .websocket_sansio import server_connection
from .write_flow import WriteFlow

__all__ = ["WebSocketProtocol"]

LINGER = 2.0
"""Seconds a half-closed connection waits for the client to close its side."""


_WS_SCHEMES = {"http": "ws", "https": "wss"}  # a forwarded "ws"/"wss" is kept as it is


class WebSocketProtocol(asyncio.Protocol):
    """One upgraded connection; speaks the ASGI ``websocket`` protocol to the application."""

    def __init__(self, state: ServerState, http_scope: Scope) -> None:
        self.state = state
        self.loop = state.loop
        self.config = state.config
        self.conn = server_connection(self.config)
        self.messages = MessageAssembler(self.config.ws_max_fragments)
        self.frames: FrameFeeder | None = None  # once the handshake request is in
        self.transport: asyncio.Transport = None  # type: ignore[assignment]
        self.scope: Scope = {
            **http_scope,
            "type": "websocket",
            "scheme": _WS_SCHEMES.get(http_scope["scheme"], http_scope["scheme"]),
            "subprotocols": [],
            "extensions": {"websocket.http.response": {}},
        }
        for key in ("method", "http_version"):
            self.scope.pop(key, None)
        self.scope["http_version"] = "1.1"
        self.queue: deque[Message] = deque()
        self.waiter: asyncio.Future[None] | None = None
        self.writes = WriteFlow(self.loop, self.config.timeout_write, state.logger)
        self.read_paused = False
        self.handshake: Response | None = None  # the 101 prepared, sent on websocket.accept
        self.accepted = False
        self.close_sent = False
        self.disconnected = False
        self.denial: Denial | None = None
        self.deadline = 0.0
        """When the next keepalive step is due: a ping, or the end of the wait for its pong."""
        self.ping: bytes | None = None  # the payload of the ping awaiting its pong
        self.task: asyncio.Task[None] | None = None

    # -- transport events ------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport = cast(asyncio.Transport, transport)
        self.state.connections.add(self)
        if self.read_paused:
            transport.pause_reading()

    def connection_lost(self, exc: Exception | None) -> None:
        self.state.connections.discard(self)
        if not self.disconnected:
            self._disconnect(1005 if self.accepted else 1006)
        self.disconnected = True
        self.writes.release()

    def eof_received(self) -> None:
        if self.frames is not None and self.frames.held:
            self._receive(self.frames.release())  # a close frame may be among them
        self.conn.receive_eof()
        self._process()

    def pause_writing(self) -> None:
        self.writes.pause(self.transport)

    def resume_writing(self) -> None:
        self.writes.resume()

    def data_received(self, data: bytes) -> None:
        if self.frames is not None:
            self.frames.feed(data, self._receive, self._holding)
        else:
            self._receive(data)  # the handshake request

    def _receive(self, data: bytes) -> None:
        self.conn.receive_data(data)
        self._process()

    def _holding(self) -> bool:
        """A message waits for the application: the frames after it wait too."""
        return self.read_paused

    # -- protocol events -------------------------------------------------------------------------

    def _process(self) -> None:
        for event in self.conn.events_received():
            if isinstance(event, Request):
                self._handshake(event)
            elif isinstance(event, Frame):
                self._frame(event)
        self._flush()
        if self.conn.parser_exc is not None and not self.disconnected:
            sent = self.conn.close_sent
            self._disconnect(sent.code if sent is not None else 1006)

    def _flush(self) -> None:
        """Write what the protocol wants sent; at its end-of-stream mark, half-close the
        connection and close it when the client does, or after ``LINGER`` seconds.

        A client still sending (a flood, a zip bomb) then reads the close frame and its code,
        where closing at once with its bytes unread would reset the connection under it.
        """
        transport = self.transport
        for chunk in self.conn.data_to_send():
            if chunk:
                transport.write(chunk)
            elif transport.can_write_eof() and not transport.is_closing():
                transport.write_eof()
                self.loop.call_later(LINGER, transport.close)
                if self.read_paused:  # what the client still sends is read and discarded
                    self.read_paused = False
                    transport.resume_reading()
            else:
                transport.close()

    def _handshake(self, request: Request) -> None:
        response = self.conn.accept(request)
        if response.status_code != 101:
            self.conn.send_response(response)  # an invalid handshake: never reaches the app
            self.close_sent = self.disconnected = True
            return
        self.handshake = response
        self.frames = FrameFeeder()
        subprotocols: list[str] = []
        for header in request.headers.get_all("Sec-WebSocket-Protocol"):
            subprotocols.extend(token.strip() for token in header.split(","))
        self.scope["subprotocols"] = subprotocols
        self.queue.append({"type": "websocket.connect"})
        task = self.task = self.state.start_task(self.run())
        if not task.done():
            self.state.track(task)

    def _frame(self, frame: Frame) -> None:
        opcode = frame.opcode
        if opcode is Opcode.CLOSE:
            close = self.conn.close_rcvd
            if not self.disconnected:
                code = close.code if close is not None else 1005
                self._disconnect(code, close.reason if close is not None else "")
            return
        if opcode is Opcode.PONG:
            if self.ping is not None and bytes(frame.data) == self.ping:
                self.ping = None
                self._schedule_ping()
            return
        if opcode is Opcode.PING or self.close_sent or self.disconnected:
            return  # a ping: the protocol has answered it
        try:
            message = self.messages.add(frame)
        except MessageError as exc:
            self.conn.fail(exc.code, exc.reason)
            self._disconnect(exc.code, exc.reason)
            return
        if message is None:
            return
        self._put(message)
        if not self.read_paused:  # one message at a time: the application sets the pace
            self.read_paused = True
            self.transport.pause_reading()

    def _put(self, message: Message) -> None:
        self.queue.append(message)
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _disconnect(self, code: int, reason: str = "") -> None:
        self.disconnected = True
        self._put({"type": "websocket.disconnect", "code": code, "reason": reason})

    # -- ASGI ------------------------------------------------------------------------------------

    async def run(self) -> None:
        """Call the application; if it raises, log the error once and, as uvicorn does, refuse
        the handshake with a 500 before accept or drop the connection after it."""
        try:
            await self.state.app(self.scope, self.receive, self.send)
        except ClientDisconnected:
            pass
        except BaseException as exc:
            self.state.logger.error("Exception in ASGI application", exc_info=exc)
            self._refuse(500)
            if isinstance(exc, (asyncio.CancelledError, KeyboardInterrupt, SystemExit)):
                raise
        else:
            if not self.accepted and not self.close_sent:
                self.state.logger.error("ASGI callable returned without accepting the WebSocket")
                self._refuse(500)
        finally:
            if self.conn.eof_sent:
                pass  # half-closed by _flush, which closes it
            elif not self.close_sent:
                self.transport.close()
            elif not self.transport.is_closing():
                self.loop.call_later(self.config.ws_close_timeout, self.transport.close)

    def _refuse(self, status: int) -> None:
        if self.accepted or self.close_sent or self.transport.is_closing():
            if not self.close_sent:
                self.transport.close()
            return
        self.close_sent = True
        self.conn.send_response(self.conn.reject(status, phrase(status)))
        self._flush()
        self.transport.close()

    async def receive(self) -> Message:
        """The ASGI ``receive``: connect, then messages, then ``websocket.disconnect``."""
        while not self.queue:
            if self.read_paused and not self.disconnected:
                self._resume()
                continue
            waiter = self.waiter = self.loop.create_future()
            try:
                await waiter
            finally:
                self.waiter = None
        return self.queue.popleft()  # reading resumes at the next receive or send

    def _resume(self) -> None:
        """The application took the messages: read again, the frames held first."""
        self.read_paused = False
        self.transport.resume_reading()
        if self.frames is not None and self.frames.held:
            self.frames.feed(b"", self._receive, self._holding)

    async def send(self, message: Message) -> None:
        """The ASGI ``send``: accept / close / denial response, then text and bytes."""
        if not self.disconnected:
            await self.writes.wait()
        kind = message["type"]
        if self.denial is not None:
            response = self.denial.add(message)
            if response is not None:
                self.denial = None
                self.close_sent = True
                self.conn.send_response(response)
                self._flush()
                self._disconnect(1006)
                self.transport.close()
            return
        if self.disconnected and self.transport.is_closing():
            raise ClientDisconnected("the client disconnected")
        if not self.accepted and not self.close_sent:
            if kind == "websocket.accept":
                self._accept(message)
            elif kind == "websocket.close":
                self._refuse(403)
                self._disconnect(1006)
            elif kind == "websocket.http.response.start":
                self.denial = Denial(message)
            else:
                raise RuntimeError(
                    f"expected 'websocket.accept' or 'websocket.close', got {kind!r}"
                )
            return
        if self.close_sent:
            raise RuntimeError(f"unexpected {kind!r} after 'websocket.close'")
        try:
            if kind == "websocket.send":
                data = message.get("bytes")
                if data is not None:
                    self.conn.send_binary(data)
                else:
                    text = message.get("text")
                    if text is None:
                        raise RuntimeError("'websocket.send' needs 'bytes' or 'text'")
                    self.conn.send_text(text.encode("utf-8"))
            elif kind == "websocket.close":
                self.conn.send_close(message.get("code") or 1000, message.get("reason") or "")
                self.close_sent = True
                if not self.disconnected:
                    self._disconnect(message.get("code") or 1000, message.get("reason") or "")
                if self.read_paused:  # read the client's closing frame
                    self._resume()
            else:
                raise RuntimeError(f"expected 'websocket.send' or 'websocket.close', got {kind!r}")
        except InvalidState:
            raise ClientDisconnected("the WebSocket is closed") from None
        self._flush()
        if self.read_paused and not self.queue:  # the application has taken the messages
            self._resume()

    def _accept(self, message: Message) -> None:
        response = self.handshake
        assert response is not None
        headers: Any = message.get("headers", ())
        extra = [(bytes(k).decode("latin-1"), bytes(v).decode("latin-1")) for k, v in headers]
        for name, value in extra:
            if "\r" in name or "\n" in name or "\r" in value or "\n" in value:
                raise RuntimeError("invalid header in 'websocket.accept'")
        if "Server" in response.headers:
            del response.headers["Server"]
        if self.config.server_header:
            response.headers["Server"] = "fasterapi"
        subprotocol = message.get("subprotocol")
        if subprotocol:
            response.headers["Sec-WebSocket-Protocol"] = subprotocol
        for name, value in extra:
            response.headers[name] = value
        if self.transport.is_closing():
            raise ClientDisconnected("the client disconnected")
        self.accepted = True
        self.conn.send_response(response)
        self._flush()
        self._schedule_ping()

    # -- server control --------------------------------------------------------------------------

    def is_idle(self) -> bool:
        """True once the application has returned."""
        return self.task is None or self.task.done()

    def shutdown(self) -> None:
        """Graceful shutdown: close with 1012 (service restart)."""
        if self.accepted and not self.close_sent and not self.transport.is_closing():
            self.conn.send_close(1012)
            self.close_sent = True
            self._flush()
            if not self.disconnected:
                self._disconnect(1012)
            self.loop.call_later(self.config.ws_close_timeout, self.transport.close)
        elif not self.accepted:
            self._refuse(503)

    def _schedule_ping(self) -> None:
        interval = self.config.ws_ping_interval
        self.deadline = self.state.clock + interval if interval else 0.0

    def timed_out(self) -> None:
        """The keepalive deadline passed: send a ping, or close (1011) if its pong is late."""
        self.deadline = 0.0
        if self.close_sent or self.disconnected or self.transport.is_closing():
            return
        if self.read_paused:  # the client sent a message the application has not taken yet
            self.ping = None
            self._schedule_ping()
            return
        if self.ping is not None:
            self.state.logger.info("WebSocket closed: keepalive ping timeout")
            self.conn.fail(1011, "keepalive ping timeout")
            self.close_sent = True
            self._flush()
            self._disconnect(1011, "keepalive ping timeout")
            self.transport.close()
            return
        self.ping = os.urandom(4)
        self.conn.send_ping(self.ping)
        self._flush()
        timeout = self.config.ws_ping_timeout
        if timeout:
            self.deadline = self.state.clock + timeout
        else:
            self.ping = None
            self._schedule_ping()

    def abort(self) -> None:
        """Close the connection now."""
        if not self.transport.is_closing():
            self.transport.close()
