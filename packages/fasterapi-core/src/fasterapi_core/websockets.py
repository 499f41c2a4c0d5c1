"""``WebSocket``: the connection object handed to WebSocket endpoints.

It wraps the ASGI ``websocket`` channels, tracks both directions' state (``client_state`` for what
the client did, ``application_state`` for what the app did) and refuses out-of-order use with a
clear ``RuntimeError``.

Errors raised by the ``receive_*`` helpers:

- the client disconnected: ``WebSocketDisconnect(code, reason)``;
- a frame of the wrong kind (binary where text is expected or the reverse):
  ``WebSocketException(1003, ...)`` (1003 = unsupported data);
- ``receive_json`` on a frame that is not valid JSON: ``WebSocketException(1007, "Invalid JSON")``
  (1007 = invalid payload). The connection stays open, so an endpoint may catch it and carry on;
  left uncaught, the framework closes the connection with that code.
"""

from __future__ import annotations

import enum
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import suppress
from typing import Any, Literal

import msgspec

from fasterapi_core.encoding import json_encode
from fasterapi_core.exceptions import BaseHTTPException, WebSocketDisconnect, WebSocketException
from fasterapi_core.requests import HTTPConnection
from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "WebSocket",
    "WebSocketDisconnect",
    "WebSocketException",
    "WebSocketState",
    "refuse_websocket",
]

_HeaderInput = Mapping[str, str] | Iterable[tuple[str | bytes, str | bytes]]
_DENIAL_EXTENSION = "websocket.http.response"


class WebSocketState(enum.Enum):
    """Where one side of a WebSocket connection stands.

    ``CONNECTING`` before the handshake completes, ``CONNECTED`` after ``accept()``,
    ``DISCONNECTED`` once closed; ``RESPONSE`` when the handshake was answered with an HTTP
    (denial) response instead.
    """

    CONNECTING = 0
    CONNECTED = 1
    DISCONNECTED = 2
    RESPONSE = 3  # the app answered the handshake with an HTTP (denial) response


def _raw_headers(headers: _HeaderInput | None) -> list[tuple[bytes, bytes]]:
    if not headers:
        return []
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    raw: list[tuple[bytes, bytes]] = []
    for name, value in pairs:
        key = name.encode("latin-1") if isinstance(name, str) else bytes(name)
        val = value.encode("latin-1") if isinstance(value, str) else bytes(value)
        raw.append((key.lower(), val))
    return raw


def _raise_on_disconnect(message: Message) -> None:
    if message["type"] == "websocket.disconnect":
        raise WebSocketDisconnect(message.get("code", 1000), message.get("reason"))


class WebSocket(HTTPConnection):
    """A WebSocket connection: ``accept``, then ``receive_*`` / ``send_*``, then ``close``."""

    __slots__ = ("_send", "application_state", "client_state")

    def __init__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "websocket":
            raise ValueError(f"WebSocket needs a 'websocket' scope, got {scope.get('type')!r}")
        self.scope = scope
        self._receive = receive
        self._send = send
        self.client_state = WebSocketState.CONNECTING
        self.application_state = WebSocketState.CONNECTING

    # -- raw ASGI messages ---------------------------------------------------------------------

    async def receive(self) -> Message:
        """Receive the next raw ASGI message from the client, updating ``client_state``."""
        state = self.client_state
        if state is WebSocketState.DISCONNECTED:
            raise RuntimeError('Cannot call "receive" once the client has disconnected')
        message = await self._receive()
        kind = message["type"]
        if state is WebSocketState.CONNECTING:
            if kind != "websocket.connect":
                raise RuntimeError(f"Expected ASGI message 'websocket.connect', got {kind!r}")
            self.client_state = WebSocketState.CONNECTED
        elif kind == "websocket.disconnect":
            self.client_state = WebSocketState.DISCONNECTED
        elif kind != "websocket.receive":
            raise RuntimeError(
                f"Expected ASGI message 'websocket.receive' or 'websocket.disconnect', got {kind!r}"
            )
        return message

    async def send(self, message: Message) -> None:
        """Send a raw ASGI message to the client, updating ``application_state``."""
        state = self.application_state
        kind = message["type"]
        if state is WebSocketState.CONNECTING:
            if kind == "websocket.accept":
                self.application_state = WebSocketState.CONNECTED
            elif kind == "websocket.close":
                self.application_state = WebSocketState.DISCONNECTED
            elif kind == "websocket.http.response.start":
                self.application_state = WebSocketState.RESPONSE
            elif kind == "websocket.send":
                raise RuntimeError('WebSocket is not connected: call "accept" first')
            else:
                raise RuntimeError(
                    "Expected ASGI message 'websocket.accept', 'websocket.close' or "
                    f"'websocket.http.response.start', got {kind!r}"
                )
        elif state is WebSocketState.CONNECTED:
            if kind == "websocket.close":
                self.application_state = WebSocketState.DISCONNECTED
            elif kind == "websocket.accept":
                raise RuntimeError("WebSocket is already accepted")
            elif kind != "websocket.send":
                raise RuntimeError(
                    f"Expected ASGI message 'websocket.send' or 'websocket.close', got {kind!r}"
                )
        elif state is WebSocketState.RESPONSE:
            if kind != "websocket.http.response.body":
                raise RuntimeError(f"Expected 'websocket.http.response.body', got {kind!r}")
            if not message.get("more_body", False):
                self.application_state = WebSocketState.DISCONNECTED
        else:
            raise RuntimeError('Cannot call "send" once the WebSocket is closed')
        try:
            await self._send(message)
        except OSError:
            self.application_state = WebSocketState.DISCONNECTED
            raise WebSocketDisconnect(1006) from None

    # -- handshake and closing -------------------------------------------------------------------

    async def accept(
        self, subprotocol: str | None = None, headers: _HeaderInput | None = None
    ) -> None:
        """Accept the connection, first receiving the client's ``websocket.connect`` if needed."""
        if self.client_state is WebSocketState.CONNECTING:
            await self.receive()
        await self.send(
            {
                "type": "websocket.accept",
                "subprotocol": subprotocol,
                "headers": _raw_headers(headers),
            }
        )

    async def close(self, code: int = 1000, reason: str | None = "") -> None:
        """Close the connection (before ``accept``, this rejects the handshake)."""
        await self.send({"type": "websocket.close", "code": code, "reason": reason or ""})

    async def send_denial_response(self, response: ASGIApp) -> None:
        """Reject the handshake with an HTTP response (needs the server's denial extension).

        ``response`` is any ASGI app that answers with ``http.response.*`` messages, such as a
        ``Response``; its messages are relayed as ``websocket.http.response.*``.
        """
        if _DENIAL_EXTENSION not in self.scope.get("extensions", {}):
            raise RuntimeError(
                "The server does not support the WebSocket denial response extension"
            )
        await response(self.scope, self.receive, _denial_relay(self.send))

    # -- typed helpers -------------------------------------------------------------------------

    def _require_connected(self) -> None:
        if self.application_state is not WebSocketState.CONNECTED:
            if self.application_state is WebSocketState.CONNECTING:
                raise RuntimeError('WebSocket is not connected: call "accept" first')
            raise RuntimeError("WebSocket is closed")

    async def _receive_frame(self) -> Message:
        self._require_connected()
        message = await self.receive()
        _raise_on_disconnect(message)
        return message

    async def receive_text(self) -> str:
        """The next text frame; ``WebSocketDisconnect`` when the client has gone."""
        message = await self._receive_frame()
        text: str | None = message.get("text")
        if text is None:
            raise WebSocketException(1003, "Expected a text frame, got a binary frame")
        return text

    async def receive_bytes(self) -> bytes:
        """The next binary frame; ``WebSocketDisconnect`` when the client has gone."""
        message = await self._receive_frame()
        data: bytes | None = message.get("bytes")
        if data is None:
            raise WebSocketException(1003, "Expected a binary frame, got a text frame")
        return data

    async def receive_json(self, mode: Literal["text", "binary"] = "text") -> Any:
        """The next frame decoded as JSON; ``WebSocketException(1007)`` if it is not JSON."""
        if mode not in ("text", "binary"):
            raise ValueError(f"mode must be 'text' or 'binary', not {mode!r}")
        message = await self._receive_frame()
        payload: str | bytes | None = message.get("text")
        if payload is None:
            payload = message.get("bytes")
        if payload is None:
            raise WebSocketException(1003, "Expected a data frame")
        try:
            return msgspec.json.decode(payload)
        except msgspec.DecodeError:
            raise WebSocketException(1007, "Invalid JSON") from None

    async def send_text(self, data: str) -> None:
        """Send a text frame."""
        await self.send({"type": "websocket.send", "text": data})

    async def send_bytes(self, data: bytes) -> None:
        """Send a binary frame."""
        await self.send({"type": "websocket.send", "bytes": data})

    async def send_json(self, data: Any, mode: Literal["text", "binary"] = "text") -> None:
        """Send ``data`` as JSON (msgspec, FastAPI-compatible output) in a text or binary frame."""
        if mode == "text":
            await self.send({"type": "websocket.send", "text": json_encode(data).decode()})
        elif mode == "binary":
            await self.send({"type": "websocket.send", "bytes": json_encode(data)})
        else:
            raise ValueError(f"mode must be 'text' or 'binary', not {mode!r}")

    async def iter_text(self) -> AsyncIterator[str]:
        """Text frames until the client disconnects."""
        try:
            while True:
                yield await self.receive_text()
        except WebSocketDisconnect:
            pass

    async def iter_bytes(self) -> AsyncIterator[bytes]:
        """Binary frames until the client disconnects."""
        try:
            while True:
                yield await self.receive_bytes()
        except WebSocketDisconnect:
            pass

    async def iter_json(self) -> AsyncIterator[Any]:
        """JSON frames until the client disconnects."""
        try:
            while True:
                yield await self.receive_json()
        except WebSocketDisconnect:
            pass


def _denial_relay(send: Send) -> Send:
    """``send`` for an HTTP response answering a WebSocket handshake: its ``http.response.*``
    messages go out as ``websocket.http.response.*`` (the denial response extension)."""

    async def relay(message: Message) -> None:
        kind: str = message["type"]
        if not kind.startswith("websocket."):
            message = {**message, "type": "websocket." + kind}
        await send(message)

    return relay


async def refuse_websocket(
    response: ASGIApp,
    exc: BaseException,
    scope: Scope,
    receive: Receive,
    send: Send,
    accepted: bool,
) -> None:
    """Send the response an exception handler returned for a WebSocket connection.

    Before ``accept`` it answers the handshake (the client sees that HTTP response, as with
    Starlette and FastAPI: a security dependency's 401 ``{"detail": "Not authenticated"}``
    with its ``WWW-Authenticate``); a server without the denial response extension gets a
    close instead (1008, the HTTP error's detail as the reason). Once accepted, no HTTP
    response can be sent: the connection is closed (1008 for an HTTP error, else 1011).
    """
    if not accepted and _DENIAL_EXTENSION in scope.get("extensions", {}):
        await response(scope, receive, _denial_relay(send))
        return
    code, reason = (1008, str(exc.detail)) if isinstance(exc, BaseHTTPException) else (1011, "")
    with suppress(OSError):  # the app may have closed the connection itself already
        await send({"type": "websocket.close", "code": code, "reason": reason})
