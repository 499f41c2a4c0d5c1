"""RSGI (granian ``--interface rsgi``) in front of the ASGI application: same stack, same routes.

:class:`RSGIAdapter` turns each RSGI call into one ASGI call of the application: the scope dict
is built from the RSGI scope, ``receive`` is backed by ``await protocol()`` (or its chunk
iterator for large or unsized bodies), and ``send`` answers a single-body response with
``protocol.response_bytes`` or a streamed one with ``protocol.response_stream``. WebSockets map
onto RSGI's accept/receive/send/close; the lifespan runs in a task started by ``__rsgi_init__``
and finished by ``__rsgi_del__``.

RSGI limits (documented, not hidden): the path arrives percent-decoded (no ``raw_path``), the
server drops header values that are not visible ASCII, a WebSocket cannot pick a subprotocol or
send accept headers, and close codes are not carried (``websocket.disconnect`` reports 1005).
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

from fasterapi_core.types import ASGIApp, Message

__all__ = ["ROOT_PATH_ENV", "RSGIAdapter", "rsgi_adapter"]

logger = logging.getLogger("fasterapi.error")

ROOT_PATH_ENV = "FASTERAPI_ROOT_PATH"
"""Environment variable the ``fasterapi`` command uses to pass ``--root-path`` to RSGI workers."""

_ASGI = {"version": "3.0", "spec_version": "2.3"}
_WHOLE_BODY_LIMIT = 1 << 20  # bodies up to 1 MiB are read in one call, larger ones in chunks
_SERVER_ERROR_HEADERS = [("content-type", "text/plain; charset=utf-8")]
_EMPTY_BODY: Message = {"type": "http.request", "body": b"", "more_body": False}
_DISCONNECT: Message = {"type": "http.disconnect"}
_WS_CONNECT: Message = {"type": "websocket.connect"}
_NO_STATUS = 1005  # RSGI does not report the peer's close code


def _address(value: str) -> tuple[str, int] | None:
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit():
        return None
    return host.strip("[]"), int(port)


class _HTTPCycle:
    """One request: ASGI ``receive``/``send`` over an RSGI HTTP protocol object."""

    __slots__ = (
        "chunks",
        "disconnected",
        "done",
        "headers",
        "protocol",
        "read",
        "status",
        "stream",
        "transport",
    )

    def __init__(self, protocol: Any, stream: bool) -> None:
        self.protocol = protocol
        self.stream = stream
        self.read = False
        self.chunks: Any = None
        self.status = 0
        self.headers: list[tuple[str, str]] = []
        self.transport: Any = None
        self.done = False
        self.disconnected = False

    async def receive(self) -> Message:
        if not self.read:
            if not self.stream:
                self.read = True
                return {"type": "http.request", "body": await self.protocol(), "more_body": False}
            if self.chunks is None:
                self.chunks = self.protocol.__aiter__()
            try:
                chunk = await self.chunks.__anext__()
            except StopAsyncIteration:
                self.read = True
                return _EMPTY_BODY
            return {"type": "http.request", "body": bytes(chunk), "more_body": True}
        if not self.disconnected and not self.done:
            await self.protocol.client_disconnect()
        self.disconnected = True
        return _DISCONNECT

    async def send(self, message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.body":
            if self.done or self.disconnected:
                return
            body = message.get("body", b"")
            transport = self.transport
            if transport is None:
                if not self.status:
                    raise RuntimeError("http.response.body sent before http.response.start")
                if not message.get("more_body", False):
                    self.done = True
                    self.protocol.response_bytes(self.status, self.headers, body)
                    return
                transport = self.transport = self.protocol.response_stream(
                    self.status, self.headers
                )
            elif not message.get("more_body", False):
                self.done = True
            if body:
                try:
                    await transport.send_bytes(body)
                except RuntimeError:  # RSGIProtocolClosed: the client went away
                    self.disconnected = True
        elif kind == "http.response.start":
            if self.status:
                raise RuntimeError("http.response.start sent twice")
            self.status = message["status"]
            self.headers = [
                (name.decode("latin-1"), value.decode("latin-1"))
                for name, value in message.get("headers", ())
            ]
        else:
            raise RuntimeError(f"unexpected ASGI message {kind!r} on an HTTP connection")

    def finish(self) -> None:
        """After the application returned: make sure the client gets an answer."""
        if self.status == 0:
            self.protocol.response_bytes(500, _SERVER_ERROR_HEADERS, b"Internal Server Error")
        elif self.transport is None and not self.done:
            self.protocol.response_bytes(self.status, self.headers, b"")


class WebSocketClosed(OSError):
    """Sending on a WebSocket the client already closed."""


class _WebSocketCycle:
    """One WebSocket: ASGI messages over RSGI's accept/receive/send/close."""

    __slots__ = ("closed", "connected", "finished", "protocol", "transport")

    def __init__(self, protocol: Any) -> None:
        self.protocol = protocol
        self.transport: Any = None
        self.connected = False
        self.closed = False
        self.finished = False

    async def receive(self) -> Message:
        if not self.connected:
            self.connected = True
            return _WS_CONNECT
        if self.closed or self.transport is None:
            return {"type": "websocket.disconnect", "code": _NO_STATUS, "reason": ""}
        message = await self.transport.receive()
        kind = message.kind
        if kind == 2:
            return {"type": "websocket.receive", "text": message.data}
        if kind == 1:
            return {"type": "websocket.receive", "bytes": bytes(message.data)}
        self.closed = True
        return {"type": "websocket.disconnect", "code": _NO_STATUS, "reason": ""}

    async def send(self, message: Message) -> None:
        kind = message["type"]
        if kind == "websocket.send":
            if self.closed:
                raise WebSocketClosed("the WebSocket is closed")
            if self.transport is None:
                raise RuntimeError("websocket.send before websocket.accept")
            try:
                text = message.get("text")
                if text is not None:
                    await self.transport.send_str(text)
                else:
                    await self.transport.send_bytes(message.get("bytes") or b"")
            except RuntimeError as exc:  # RSGIProtocolClosed
                self.closed = True
                raise WebSocketClosed("the WebSocket is closed") from exc
        elif kind == "websocket.accept":
            if self.transport is not None:
                raise RuntimeError("websocket.accept sent twice")
            self.transport = await self.protocol.accept()
        elif kind == "websocket.close":
            self.close()
        else:
            raise RuntimeError(f"unexpected ASGI message {kind!r} on a WebSocket")

    def close(self, refusal: int = 403) -> None:
        """Close once: an HTTP ``refusal`` before the handshake, a close frame after it."""
        if self.finished:
            return
        self.finished = self.closed = True
        self.protocol.close(refusal if self.transport is None else 1000)
        # granian ends the connection when the transport is released: the frames of an
        # application's exception (a reference cycle until the next collection) must not
        # keep it (the client waited for a close until then).
        self.transport = None


class _Lifespan:
    """The ASGI lifespan protocol driven from ``__rsgi_init__`` / ``__rsgi_del__``."""

    def __init__(self, app: ASGIApp, state: dict[str, Any]) -> None:
        self.app = app
        self.state = state
        self.phase = "startup"
        self.shutdown_event: asyncio.Event | None = None
        self.started: asyncio.Future[None] | None = None
        self.task: asyncio.Task[None] | None = None
        self.error: str | None = None

    async def _receive(self) -> Message:
        if self.phase == "startup":
            self.phase = "running"
            return {"type": "lifespan.startup"}
        assert self.shutdown_event is not None
        await self.shutdown_event.wait()
        return {"type": "lifespan.shutdown"}

    async def _send(self, message: Message) -> None:
        kind = message["type"]
        if kind.endswith(".failed"):
            self.error = str(message.get("message", ""))
        if kind.startswith("lifespan.startup") and self.started and not self.started.done():
            self.started.set_result(None)

    async def _run(self) -> None:
        scope = {"type": "lifespan", "asgi": _ASGI, "state": self.state}
        try:
            await self.app(scope, self._receive, self._send)
        except BaseException:  # an app without lifespan support: serve anyway, as uvicorn does
            logger.debug("lifespan unsupported by the application", exc_info=True)
        finally:
            if self.started is not None and not self.started.done():
                self.started.set_result(None)

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Run startup to completion (the worker's loop is not running yet)."""
        self.shutdown_event = asyncio.Event()
        self.started = loop.create_future()
        self.task = loop.create_task(self._run())
        if loop.is_running():  # embedded server: cannot block, startup runs concurrently
            return
        loop.run_until_complete(self.started)
        if self.error is not None:
            raise RuntimeError(f"application startup failed:\n{self.error}")

    def stop(self, loop: asyncio.AbstractEventLoop) -> None:
        """Signal shutdown and wait for the shutdown handlers."""
        if self.task is None or self.shutdown_event is None:
            return
        loop.call_soon_threadsafe(self.shutdown_event.set)
        if not loop.is_running() and not loop.is_closed():
            loop.run_until_complete(self.task)


class RSGIAdapter:
    """Serves one ASGI application over RSGI; ``handle`` is the RSGI callable."""

    def __init__(self, app: ASGIApp, root_path: str | None = None) -> None:
        self.app = app
        self.root_path = (
            os.environ.get(ROOT_PATH_ENV, "") if root_path is None else root_path
        ).rstrip("/")
        self.state: dict[str, Any] = {}
        self.lifespan = _Lifespan(app, self.state)
        self._servers: dict[str, tuple[str, int] | None] = {}

    def startup(self, loop: asyncio.AbstractEventLoop) -> None:
        """``__rsgi_init__``: run the application's startup (lifespan) on the worker loop."""
        self.lifespan.start(loop)

    def shutdown(self, loop: asyncio.AbstractEventLoop) -> None:
        """``__rsgi_del__``: run the application's shutdown handlers."""
        self.lifespan.stop(loop)

    def _scope(self, scope: Any, kind: str) -> dict[str, Any]:
        server = scope.server
        try:
            server_address = self._servers[server]
        except KeyError:
            server_address = self._servers[server] = _address(server)
        headers = [(name.encode(), value.encode()) for name, value in scope.headers.items()]
        path: str = scope.path
        root_path = self.root_path
        if root_path:
            path = root_path + path
        scheme: str = scope.scheme
        if kind == "websocket":
            scheme = "wss" if scheme == "https" else "ws"
        return {
            "type": kind,
            "asgi": _ASGI,
            "http_version": scope.http_version,
            "server": server_address,
            "client": _address(scope.client),
            "scheme": scheme,
            "method": scope.method,
            "root_path": root_path,
            "path": path,
            "query_string": scope.query_string.encode(),
            "headers": headers,
            "state": self.state.copy(),
        }

    async def handle(self, scope: Any, protocol: Any) -> None:
        """The RSGI application: one HTTP request or one WebSocket connection."""
        if scope.proto == "http":
            await self._http(scope, protocol)
        else:
            await self._websocket(scope, protocol)

    async def _http(self, scope: Any, protocol: Any) -> None:
        asgi_scope = self._scope(scope, "http")
        headers = scope.headers
        length = headers.get("content-length")
        if length is not None:
            stream = not length.isdigit() or int(length) > _WHOLE_BODY_LIMIT
        else:
            stream = "transfer-encoding" in headers or scope.http_version == "2"
        cycle = _HTTPCycle(protocol, stream)
        try:
            await self.app(asgi_scope, cycle.receive, cycle.send)
        except Exception:
            logger.exception("Exception in ASGI application (RSGI adapter)")
        cycle.finish()

    async def _websocket(self, scope: Any, protocol: Any) -> None:
        asgi_scope = self._scope(scope, "websocket")
        offered = scope.headers.get("sec-websocket-protocol")
        asgi_scope["subprotocols"] = (
            [item.strip() for item in offered.split(",")] if offered else []
        )
        cycle = _WebSocketCycle(protocol)
        try:
            await self.app(asgi_scope, cycle.receive, cycle.send)
        except Exception:
            logger.exception("Exception in ASGI application (RSGI adapter)")
            cycle.close(500)  # before the handshake: HTTP 500, as uvicorn answers
        cycle.close()


def rsgi_adapter(app: Any) -> RSGIAdapter:
    """The adapter of ``app`` (created on first use and kept on the application)."""
    adapter: RSGIAdapter | None = getattr(app, "_rsgi_adapter", None)
    if adapter is None:
        adapter = RSGIAdapter(app)
        app._rsgi_adapter = adapter
    return adapter
