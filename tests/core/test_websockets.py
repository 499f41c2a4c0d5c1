"""The WebSocket connection class: handshake, state machine, typed helpers, errors."""

from __future__ import annotations

from typing import Any

import pytest

from fasterapi_core import exceptions
from fasterapi_core.testclient import TestClient, WebSocketDenialResponse
from fasterapi_core.websockets import (
    WebSocket,
    WebSocketDisconnect,
    WebSocketException,
    WebSocketState,
)

SCOPE: dict[str, Any] = {
    "type": "websocket",
    "path": "/ws",
    "query_string": b"a=1",
    "headers": [(b"host", b"testserver")],
}
CONNECT = {"type": "websocket.connect"}


class Channels:
    """Scripted ASGI channels: ``receive`` pops the given messages, ``send`` records."""

    def __init__(self, *incoming: dict[str, Any]) -> None:
        self.incoming = list(incoming)
        self.log: list[Any] = []

    async def receive(self) -> dict[str, Any]:
        message = self.incoming.pop(0)
        self.log.append(("received", message["type"]))
        return message

    async def send(self, message: dict[str, Any]) -> None:
        self.log.append(("sent", message))

    def websocket(self) -> WebSocket:
        return WebSocket(dict(SCOPE), self.receive, self.send)


def text(data: str) -> dict[str, Any]:
    return {"type": "websocket.receive", "text": data}


def binary(data: bytes) -> dict[str, Any]:
    return {"type": "websocket.receive", "bytes": data}


def disconnect(code: int = 1000, reason: str = "") -> dict[str, Any]:
    return {"type": "websocket.disconnect", "code": code, "reason": reason}


def test_reexported_exceptions_are_the_core_ones() -> None:
    assert WebSocketDisconnect is exceptions.WebSocketDisconnect
    assert WebSocketException is exceptions.WebSocketException
    assert [s.name for s in WebSocketState][:3] == ["CONNECTING", "CONNECTED", "DISCONNECTED"]


def test_needs_websocket_scope() -> None:
    with pytest.raises(ValueError, match="'websocket' scope"):
        WebSocket({"type": "http"}, Channels().receive, Channels().send)


@pytest.mark.anyio
async def test_accept_receives_connect_first() -> None:
    channels = Channels(CONNECT)
    ws = channels.websocket()
    assert (ws.client_state, ws.application_state) == (
        WebSocketState.CONNECTING,
        WebSocketState.CONNECTING,
    )
    await ws.accept(subprotocol="chat", headers={"X-Extra": "1"})
    assert channels.log == [
        ("received", "websocket.connect"),
        (
            "sent",
            {"type": "websocket.accept", "subprotocol": "chat", "headers": [(b"x-extra", b"1")]},
        ),
    ]
    assert (ws.client_state, ws.application_state) == (
        WebSocketState.CONNECTED,
        WebSocketState.CONNECTED,
    )


@pytest.mark.anyio
async def test_accept_after_explicit_receive_does_not_receive_again() -> None:
    channels = Channels(CONNECT, text("hi"))
    ws = channels.websocket()
    assert await ws.receive() == CONNECT
    await ws.accept(headers=[(b"a", b"b")])
    assert channels.log == [
        ("received", "websocket.connect"),
        ("sent", {"type": "websocket.accept", "subprotocol": None, "headers": [(b"a", b"b")]}),
    ]
    assert await ws.receive_text() == "hi"


@pytest.mark.anyio
async def test_full_lifecycle_states() -> None:
    channels = Channels(CONNECT, text("a"), binary(b"b"), text('{"c": 1}'), disconnect(1001, "x"))
    ws = channels.websocket()
    await ws.accept()
    assert await ws.receive_text() == "a"
    assert await ws.receive_bytes() == b"b"
    assert await ws.receive_json() == {"c": 1}
    with pytest.raises(WebSocketDisconnect) as info:
        await ws.receive_text()
    assert (info.value.code, info.value.reason) == (1001, "x")
    assert ws.client_state is WebSocketState.DISCONNECTED
    assert ws.application_state is WebSocketState.CONNECTED
    with pytest.raises(RuntimeError, match="client has disconnected"):
        await ws.receive()


@pytest.mark.anyio
async def test_close_sets_application_state() -> None:
    channels = Channels(CONNECT)
    ws = channels.websocket()
    await ws.accept()
    await ws.close(4001, "bye")
    assert channels.log[-1] == ("sent", {"type": "websocket.close", "code": 4001, "reason": "bye"})
    assert ws.application_state is WebSocketState.DISCONNECTED
    with pytest.raises(RuntimeError, match="closed"):
        await ws.send_text("late")
    with pytest.raises(RuntimeError, match="WebSocket is closed"):
        await ws.receive_text()


@pytest.mark.anyio
async def test_close_before_accept_rejects() -> None:
    channels = Channels(CONNECT)
    ws = channels.websocket()
    await ws.close(1008)
    assert channels.log == [("sent", {"type": "websocket.close", "code": 1008, "reason": ""})]
    assert ws.application_state is WebSocketState.DISCONNECTED


@pytest.mark.anyio
async def test_send_before_accept_is_an_error() -> None:
    ws = Channels(CONNECT).websocket()
    with pytest.raises(RuntimeError, match='call "accept" first'):
        await ws.send_text("x")
    with pytest.raises(RuntimeError, match='call "accept" first'):
        await ws.receive_text()


@pytest.mark.anyio
async def test_accept_twice_is_an_error() -> None:
    ws = Channels(CONNECT).websocket()
    await ws.accept()
    with pytest.raises(RuntimeError, match="already accepted"):
        await ws.accept()


@pytest.mark.anyio
async def test_unexpected_first_message() -> None:
    ws = Channels(text("x")).websocket()
    with pytest.raises(RuntimeError, match=r"'websocket\.connect'"):
        await ws.accept()


@pytest.mark.anyio
async def test_invalid_json_raises_1007_and_keeps_connection() -> None:
    channels = Channels(CONNECT, text("{nope"), binary(b"[1, 2]"))
    ws = channels.websocket()
    await ws.accept()
    with pytest.raises(WebSocketException) as info:
        await ws.receive_json()
    assert (info.value.code, info.value.reason) == (1007, "Invalid JSON")
    assert await ws.receive_json(mode="binary") == [1, 2]


@pytest.mark.anyio
async def test_wrong_frame_kind_raises_1003() -> None:
    ws = Channels(CONNECT, binary(b"x"), text("y")).websocket()
    await ws.accept()
    with pytest.raises(WebSocketException) as info:
        await ws.receive_text()
    assert info.value.code == 1003
    with pytest.raises(WebSocketException) as info:
        await ws.receive_bytes()
    assert info.value.code == 1003


@pytest.mark.anyio
async def test_send_helpers_exact_messages() -> None:
    channels = Channels(CONNECT)
    ws = channels.websocket()
    await ws.accept()
    await ws.send_text("t")
    await ws.send_bytes(b"b")
    await ws.send_json({"k": [1, None]})
    await ws.send_json({"k": 2}, mode="binary")
    assert [entry[1] for entry in channels.log[2:]] == [
        {"type": "websocket.send", "text": "t"},
        {"type": "websocket.send", "bytes": b"b"},
        {"type": "websocket.send", "text": '{"k":[1,null]}'},
        {"type": "websocket.send", "bytes": b'{"k":2}'},
    ]
    with pytest.raises(ValueError, match="mode"):
        await ws.send_json({}, mode="xml")  # type: ignore[arg-type]


@pytest.mark.anyio
async def test_iterators_stop_on_disconnect() -> None:
    ws = Channels(CONNECT, text("a"), text("b"), disconnect()).websocket()
    await ws.accept()
    assert [item async for item in ws.iter_text()] == ["a", "b"]

    ws = Channels(CONNECT, binary(b"a"), disconnect()).websocket()
    await ws.accept()
    assert [item async for item in ws.iter_bytes()] == [b"a"]

    ws = Channels(CONNECT, text("1"), binary(b'{"x":2}'), disconnect()).websocket()
    await ws.accept()
    assert [item async for item in ws.iter_json()] == [1, {"x": 2}]


@pytest.mark.anyio
async def test_send_on_gone_client_becomes_disconnect() -> None:
    async def broken_send(message: Any) -> None:
        if message["type"] == "websocket.send":
            raise OSError("gone")

    ws = WebSocket(dict(SCOPE), Channels(CONNECT).receive, broken_send)
    await ws.accept()
    with pytest.raises(WebSocketDisconnect) as info:
        await ws.send_text("x")
    assert info.value.code == 1006
    assert ws.application_state is WebSocketState.DISCONNECTED


@pytest.mark.anyio
async def test_denial_needs_extension() -> None:
    async def response(scope: Any, receive: Any, send: Any) -> None:
        raise AssertionError("not called")  # pragma: no cover

    ws = Channels(CONNECT).websocket()
    with pytest.raises(RuntimeError, match="denial response extension"):
        await ws.send_denial_response(response)


# -- through the TestClient -------------------------------------------------------------------


ENDED: list[str] = []


async def endpoint_app(scope: Any, receive: Any, send: Any) -> None:
    ws = WebSocket(scope, receive, send)
    if ws.query_params.get("deny") == "1":
        await ws.close(4003, "denied")
        return
    await ws.accept(subprotocol="v1")
    await ws.send_json(
        {
            "path": ws.url.path,
            "query": ws.query_params.get("q"),
            "cookie": ws.cookies.get("sid"),
            "header": ws.headers.get("x-h"),
        }
    )
    async for message in ws.iter_text():
        await ws.send_text(f"echo {message}")
    ENDED.append(ws.client_state.name)


def test_endpoint_through_testclient() -> None:
    ENDED.clear()
    client = TestClient(endpoint_app, cookies={"sid": "s1"})
    with client.websocket_connect("/room?q=7", headers={"x-h": "v"}, subprotocols=["v1"]) as ws:
        assert ws.accepted_subprotocol == "v1"
        assert ws.receive_json() == {"path": "/room", "query": "7", "cookie": "s1", "header": "v"}
        ws.send_text("one")
        assert ws.receive_text() == "echo one"
    assert ENDED == ["DISCONNECTED"]  # iter_text ended when the session closed


def test_endpoint_rejects() -> None:
    with (
        pytest.raises(WebSocketDisconnect) as info,
        TestClient(endpoint_app).websocket_connect("/", query_string="deny=1"),
    ):
        pass  # pragma: no cover
    assert (info.value.code, info.value.reason) == (4003, "denied")


def test_denial_response_through_testclient() -> None:
    async def forbidden(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 403, "headers": [(b"x", b"y")]})
        await send({"type": "http.response.body", "body": b"nope"})

    async def app(scope: Any, receive: Any, send: Any) -> None:
        ws = WebSocket(scope, receive, send)
        await ws.send_denial_response(forbidden)
        assert ws.application_state is WebSocketState.DISCONNECTED

    with pytest.raises(WebSocketDenialResponse) as info, TestClient(app).websocket_connect("/"):
        pass  # pragma: no cover
    assert (info.value.status_code, info.value.text) == (403, "nope")
    assert info.value.headers["x"] == "y"
