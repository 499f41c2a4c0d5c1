"""``WebSocketTestSession``: a synchronous WebSocket client talking to an ASGI app in a portal."""

from __future__ import annotations

import math
import queue
from contextlib import ExitStack
from types import TracebackType
from typing import Any, Literal

import anyio
import httpx
import msgspec
from anyio.from_thread import BlockingPortal
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from fasterapi_core._testclient_transport import PortalFactory
from fasterapi_core.encoding import json_encode
from fasterapi_core.exceptions import WebSocketDisconnect, WebSocketException
from fasterapi_core.types import ASGIApp, Message

__all__ = ["WebSocketClosedError", "WebSocketDenialResponse", "WebSocketTestSession"]

_END = object()


class WebSocketClosedError(OSError):
    """Raised to the app when it sends on a connection that is already closed (ASGI spec)."""


class WebSocketDenialResponse(httpx.Response, WebSocketDisconnect):  # type: ignore[misc]
    """The app refused the handshake with an HTTP response (``websocket.http.response``).

    Both an ``httpx.Response`` (status, headers, body) and a ``WebSocketDisconnect`` (code 1006).
    """

    def __init__(self, status_code: int, headers: Any, content: bytes) -> None:
        # content=, as Starlette's: httpx adds a content-length the app did not send
        httpx.Response.__init__(self, status_code, headers=headers, content=content)
        self.code = 1006
        self.reason = ""
        self.args = (1006, "")
        self.read()


class WebSocketTestSession:
    """One WebSocket connection to the app; use it as a context manager.

    Entering performs the handshake (raising ``WebSocketDisconnect`` if the app refuses it);
    leaving closes the connection with code 1000, waits for the app to finish (cancelling it
    after ``close_timeout`` seconds) and re-raises any exception the app raised.
    """

    close_timeout: float = 1.0

    def __init__(
        self,
        app: ASGIApp,
        scope: dict[str, Any],
        portal_factory: PortalFactory,
        *,
        raise_server_exceptions: bool = True,
    ) -> None:
        self.app = app
        self.scope = scope
        self.portal_factory = portal_factory
        self.raise_server_exceptions = raise_server_exceptions
        self.accepted_subprotocol: str | None = None
        self.extra_headers: list[tuple[bytes, bytes]] = []
        self._from_app: queue.Queue[Any] = queue.Queue()
        self._stack = ExitStack()
        self._portal: BlockingPortal | None = None
        self._app_error: Exception | None = None
        self._error_raised = False
        self._accepted = False
        self._client_closed = False
        self._app_closed = False
        self._final: Message | None = None

    # -- app side (runs in the portal's event loop) -------------------------------------------

    async def _setup(self) -> None:
        self._to_app_tx: MemoryObjectSendStream[Message]
        self._to_app_rx: MemoryObjectReceiveStream[Message]
        self._to_app_tx, self._to_app_rx = anyio.create_memory_object_stream[Message](math.inf)
        self._done = anyio.Event()
        self._cancel_scope = anyio.CancelScope()

    async def _run(self) -> None:
        with self._cancel_scope:
            try:
                await self.app(self.scope, self._app_receive, self._app_send)
            except Exception as exc:
                self._app_error = exc
            finally:
                self._done.set()
                self._from_app.put(_END)

    async def _app_receive(self) -> Message:
        if self._final is not None:
            return dict(self._final)
        message = await self._to_app_rx.receive()
        if message["type"] == "websocket.disconnect":
            self._final = message
        return message

    async def _app_send(self, message: Message) -> None:
        kind = message["type"]
        if self._app_closed or self._client_closed:
            raise WebSocketClosedError(f"Cannot send {kind!r}: the WebSocket is closed")
        if kind == "websocket.accept":
            if self._accepted:
                raise RuntimeError("The app sent 'websocket.accept' twice")
            self._accepted = True
        elif kind == "websocket.close":
            self._app_closed = True
            code, reason = message.get("code", 1000), message.get("reason") or ""
            self._to_app_tx.send_nowait(
                {"type": "websocket.disconnect", "code": code, "reason": reason}
            )
        elif kind == "websocket.send":
            if not self._accepted:
                raise RuntimeError("The app sent 'websocket.send' before 'websocket.accept'")
        elif kind not in ("websocket.http.response.start", "websocket.http.response.body"):
            raise RuntimeError(f"Unexpected ASGI message type for WebSocket: {kind!r}")
        self._from_app.put(message)

    async def _wait_or_cancel(self) -> None:
        with anyio.move_on_after(self.close_timeout):
            await self._done.wait()
        if not self._done.is_set():
            self._cancel_scope.cancel()
            await self._done.wait()
        # closed, not left to the garbage collector (a ResourceWarning, an error under
        # filterwarnings=error as in FastAPI's own test suite)
        self._to_app_tx.close()
        self._to_app_rx.close()

    # -- test side ------------------------------------------------------------------------------

    def __enter__(self) -> WebSocketTestSession:
        portal = self._portal = self._stack.enter_context(self.portal_factory())
        try:
            portal.call(self._setup)
            portal.start_task_soon(self._run)
            self.send({"type": "websocket.connect"})
            self._handshake()
        except BaseException:
            self._finish()
            raise
        return self

    def _handshake(self) -> None:
        message = self._next_message(handshake=True)
        kind = message["type"]
        if kind == "websocket.accept":
            self.accepted_subprotocol = message.get("subprotocol")
            self.extra_headers = list(message.get("headers", []))
            return
        if kind == "websocket.http.response.start":
            raise self._denial_response(message)
        raise WebSocketDisconnect(message.get("code", 1000), message.get("reason"))

    def _denial_response(self, start: Message) -> WebSocketDenialResponse:
        body: list[bytes] = []
        while True:
            message = self._next_message(handshake=True)
            if message["type"] != "websocket.http.response.body":
                break
            body.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        return WebSocketDenialResponse(start["status"], start.get("headers", []), b"".join(body))

    def _next_message(self, *, handshake: bool = False) -> Message:
        item = self._from_app.get()
        if item is not _END:
            message: Message = item
            return message
        self._from_app.put(_END)  # every later receive sees the end too
        error = self._app_error
        if error is not None:
            if isinstance(error, WebSocketException) and not self._accepted:
                return {"type": "websocket.close", "code": error.code, "reason": error.reason}
            if not self._error_raised:  # raise_server_exceptions=False too, as Starlette's
                self._error_raised = True
                raise error
            code = 1006 if handshake else 1011
            return {"type": "websocket.close", "code": code, "reason": ""}
        if handshake:
            reason = "The app closed the connection without accepting it"
            return {"type": "websocket.close", "code": 1006, "reason": reason}
        return {"type": "websocket.close", "code": 1000, "reason": ""}

    def _finish(self) -> None:
        try:
            if self._portal is not None:
                self._portal.call(self._wait_or_cancel)
        finally:
            self._stack.close()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if not self._client_closed and not self._app_closed:
                self.close(1000)
        finally:
            self._finish()
        error = self._app_error
        if error is None or self._error_raised:
            return
        if isinstance(error, WebSocketClosedError) and (self._client_closed or self._app_closed):
            return  # sending on a closed connection: Starlette's session raises nothing
        # As Starlette's session: the app's exception comes out of the ``with`` block, a
        # WebSocketDisconnect it did not catch too (the client's close ended its receive);
        # raise_server_exceptions is for HTTP only
        self._error_raised = True
        raise error

    def send(self, message: Message) -> None:
        """Send a raw ASGI message to the app."""
        assert self._portal is not None, "use the session as a context manager"
        self._portal.call(self._to_app_tx.send, message)

    def send_text(self, data: str) -> None:
        """Send a text frame."""
        self.send({"type": "websocket.receive", "text": data})

    def send_bytes(self, data: bytes) -> None:
        """Send a binary frame."""
        self.send({"type": "websocket.receive", "bytes": data})

    def send_json(self, data: Any, mode: Literal["text", "binary"] = "text") -> None:
        """Send ``data`` encoded as JSON, in a text (default) or binary frame."""
        encoded = json_encode(data)
        if mode == "text":
            self.send_text(encoded.decode())
        else:
            self.send_bytes(encoded)

    def close(self, code: int = 1000, reason: str | None = None) -> None:
        """Close the connection from the client side."""
        if self._client_closed:
            return
        self._client_closed = True
        self.send({"type": "websocket.disconnect", "code": code, "reason": reason or ""})

    def receive(self) -> Message:
        """The next raw ASGI message the app sent (re-raises an app exception)."""
        return self._next_message()

    def _receive_data(self, key: str) -> Any:
        message = self.receive()
        if message["type"] == "websocket.close":
            raise WebSocketDisconnect(message.get("code", 1000), message.get("reason"))
        value = message.get(key)
        if value is None:
            other = "bytes" if key == "text" else "text"
            raise TypeError(f"Expected a {key} message, the app sent {other}: {message!r}")
        return value

    def receive_text(self) -> str:
        """The next text frame; ``WebSocketDisconnect`` if the app closed the connection."""
        text: str = self._receive_data("text")
        return text

    def receive_bytes(self) -> bytes:
        """The next binary frame; ``WebSocketDisconnect`` if the app closed the connection."""
        data: bytes = self._receive_data("bytes")
        return data

    def receive_json(self, mode: Literal["text", "binary"] = "text") -> Any:
        """The next frame decoded as JSON."""
        data = self.receive_text() if mode == "text" else self.receive_bytes()
        return msgspec.json.decode(data)
