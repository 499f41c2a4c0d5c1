"""TestClient against hand-written raw ASGI apps: HTTP, lifespan and WebSocket sessions."""

from __future__ import annotations

import json
from contextlib import ExitStack
from typing import Any

import anyio
import anyio.lowlevel
import pytest

from fasterapi_core.exceptions import WebSocketDisconnect, WebSocketException
from fasterapi_core.testclient import TestClient, WebSocketDenialResponse


async def read_body(receive: Any) -> bytes:
    body = b""
    while True:
        message = await receive()
        assert message["type"] == "http.request"
        body += message.get("body", b"")
        if not message.get("more_body", False):
            return body


async def send_json(send: Any, data: Any, status: int = 200) -> None:
    payload = json.dumps(data).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": payload})


def jsonable(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    return value


async def echo_app(scope: Any, receive: Any, send: Any) -> None:
    """Answer with the scope (bytes as latin-1 strings) and the request body."""
    assert scope["type"] == "http"
    body = await read_body(receive)
    await send_json(send, {"scope": jsonable(dict(scope)), "body": body.decode()})


# -- HTTP ------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete", "options"])
def test_verbs(method: str) -> None:
    client = TestClient(echo_app)
    response = getattr(client, method)("/thing")
    assert response.status_code == 200
    assert response.json()["scope"]["method"] == method.upper()


def test_head_has_headers_but_no_body() -> None:
    response = TestClient(echo_app).head("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.content == b""


def test_request_method_and_json_body() -> None:
    response = TestClient(echo_app).request("POST", "/items", json={"name": "x", "n": 1})
    data = response.json()
    assert data["body"] == '{"name":"x","n":1}'
    assert ["content-type", "application/json"] in data["scope"]["headers"]


def test_exact_http_scope() -> None:
    client = TestClient(echo_app)
    response = client.get("/a%20b/c", params={"q": "x y", "n": "1"}, cookies={"sid": "abc"})
    scope = response.json()["scope"]
    headers = scope.pop("headers")
    assert scope == {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/a b/c",
        "raw_path": "/a%20b/c",
        "root_path": "",
        "query_string": "q=x+y&n=1",
        "client": ["testclient", 50000],
        "server": ["testserver", 80],
        "state": {},
        "extensions": {"http.response.debug": {}},
    }
    header_map = dict(headers)
    assert header_map["host"] == "testserver"
    assert header_map["user-agent"] == "testclient"
    assert header_map["cookie"] == "sid=abc"
    assert all(name == name.lower() for name, _ in headers)


def test_query_string_kept_as_sent() -> None:
    response = TestClient(echo_app).get("/p?b=2&a=%2F&a=3")
    assert response.json()["scope"]["query_string"] == "b=2&a=%2F&a=3"


def test_base_url_root_path_and_client_address() -> None:
    client = TestClient(
        echo_app, base_url="https://example.org:8443", root_path="/api", client=("1.2.3.4", 9)
    )
    scope = client.get("/x").json()["scope"]
    assert scope["scheme"] == "https"
    assert scope["server"] == ["example.org", 8443]
    assert scope["root_path"] == "/api"
    assert scope["client"] == ["1.2.3.4", 9]
    assert dict(scope["headers"])["host"] == "example.org:8443"


def test_form_files_and_default_headers() -> None:
    client = TestClient(echo_app, headers={"x-token": "t1"})
    response = client.post(
        "/", data={"a": "1"}, files={"f": ("f.txt", b"hello", "text/plain")}, headers={"x-b": "2"}
    )
    data = response.json()
    headers = dict(data["scope"]["headers"])
    assert headers["x-token"] == "t1"
    assert headers["x-b"] == "2"
    assert headers["user-agent"] == "testclient"
    assert headers["content-type"].startswith("multipart/form-data; boundary=")
    assert 'name="a"\r\n\r\n1\r\n' in data["body"]
    assert 'filename="f.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n' in data["body"]


def test_response_status_headers_and_body_exact() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 201,
                "headers": [(b"x-one", b"1"), (b"x-multi", b"a"), (b"x-multi", b"b")],
            }
        )
        await send({"type": "http.response.body", "body": b"part1,", "more_body": True})
        await send({"type": "http.response.body", "body": b"part2"})

    response = TestClient(app).get("/")
    assert response.status_code == 201
    assert response.headers.multi_items() == [("x-one", "1"), ("x-multi", "a"), ("x-multi", "b")]
    assert response.text == "part1,part2"


def test_streaming_request_body_and_disconnect_after_response() -> None:
    seen: list[Any] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            seen.append((message["type"], message["body"], message["more_body"]))
            if not message["more_body"]:
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})
        seen.append((await receive())["type"])

    def chunks() -> Any:
        yield b"ab"
        yield b""
        yield b"cd"

    response = TestClient(app).post("/", content=chunks())
    assert response.text == "ok"
    assert seen == [
        ("http.request", b"ab", True),
        ("http.request", b"cd", False),
        "http.disconnect",
    ]


def test_empty_body_is_one_final_message() -> None:
    seen: list[Any] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append(await receive())
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body"})

    assert TestClient(app).get("/").status_code == 204
    assert seen == [{"type": "http.request", "body": b"", "more_body": False}]


def test_cookies_persist_between_requests() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        headers = dict(scope["headers"])
        response_headers = []
        if scope["path"] == "/login":
            response_headers.append((b"set-cookie", b"session=s3cr3t; Path=/"))
        await send({"type": "http.response.start", "status": 200, "headers": response_headers})
        await send({"type": "http.response.body", "body": headers.get(b"cookie", b"-")})

    client = TestClient(app, cookies={"pre": "1"})
    assert client.get("/login").text == "pre=1"
    assert client.get("/me").text == "pre=1; session=s3cr3t"
    assert client.cookies["session"] == "s3cr3t"


def redirect_app_factory() -> Any:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["path"] == "/old":
            await send(
                {"type": "http.response.start", "status": 307, "headers": [(b"location", b"/new")]}
            )
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": scope["path"].encode()})

    return app


def test_redirects_followed_by_default() -> None:
    response = TestClient(redirect_app_factory()).get("/old")
    assert response.status_code == 200
    assert response.text == "/new"
    assert [r.status_code for r in response.history] == [307]
    assert str(response.url) == "http://testserver/new"


def test_redirects_not_followed_when_disabled() -> None:
    response = TestClient(redirect_app_factory(), follow_redirects=False).get("/old")
    assert response.status_code == 307
    assert response.headers["location"] == "/new"


def test_user_agent_is_testclient() -> None:
    client = TestClient(echo_app)
    assert client.headers["user-agent"] == "testclient"


async def failing_app(scope: Any, receive: Any, send: Any) -> None:
    raise ValueError("boom")


def test_server_exception_propagates() -> None:
    with pytest.raises(ValueError, match="boom"):
        TestClient(failing_app).get("/")


def test_server_exception_as_500() -> None:
    response = TestClient(failing_app, raise_server_exceptions=False).get("/")
    assert response.status_code == 500
    assert response.content == b""


def test_server_exception_after_response_started() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"x", b"1")]})
        await send({"type": "http.response.body", "body": b"partial", "more_body": True})
        raise ValueError("late")

    response = TestClient(app, raise_server_exceptions=False).get("/")
    assert response.status_code == 200
    assert response.text == "partial"
    with pytest.raises(ValueError, match="late"):
        TestClient(app).get("/")


def test_work_after_response_finishes_before_call_returns() -> None:
    log: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"done"})
        await anyio.lowlevel.checkpoint()
        log.append("background task ran")

    assert TestClient(app).get("/").text == "done"
    assert log == ["background task ran"]


def test_exception_after_complete_response_propagates() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"done"})
        raise ValueError("in background")

    with pytest.raises(ValueError, match="in background"):
        TestClient(app).get("/")
    assert TestClient(app, raise_server_exceptions=False).get("/").text == "done"


async def endless_app(scope: Any, receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        await receive()
        await send({"type": "lifespan.startup.complete"})
        await receive()
        await send({"type": "lifespan.shutdown.complete"})
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    n = 0
    try:
        while True:
            n += 1
            await send({"type": "http.response.body", "body": b"%d," % n, "more_body": True})
    finally:
        ENDLESS_STOPPED.append(n)


ENDLESS_STOPPED: list[int] = []


@pytest.mark.parametrize("with_lifespan", [False, True])
def test_endless_streaming_response_read_lazily_and_cancelled(with_lifespan: bool) -> None:
    ENDLESS_STOPPED.clear()
    client = TestClient(endless_app)
    with ExitStack() as stack:
        if with_lifespan:
            stack.enter_context(client)
        with client.stream("GET", "/events") as response:
            assert response.status_code == 200
            chunks = response.iter_bytes()
            assert [next(chunks), next(chunks), next(chunks)] == [b"1,", b"2,", b"3,"]
        assert len(ENDLESS_STOPPED) == 1
        assert ENDLESS_STOPPED[0] < 100  # back-pressure: the app did not run ahead unboundedly


def test_app_without_response_is_an_error() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        return None

    with pytest.raises(RuntimeError, match=r"without sending 'http\.response\.start'"):
        TestClient(app).get("/")


def test_debug_extension_exposes_template_and_context() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        assert "http.response.debug" in scope["extensions"]
        info = {"template": "index.html", "context": {"a": 1}}
        await send({"type": "http.response.debug", "info": info})
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"<p>"})

    response = TestClient(app).get("/")
    assert response.template == "index.html"  # type: ignore[attr-defined]
    assert response.context == {"a": 1}  # type: ignore[attr-defined]


# -- lifespan ----------------------------------------------------------------------------------


def lifespan_app_factory(log: list[str], *, fail: str | None = None) -> Any:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                phase = message["type"].split(".")[1]
                log.append(phase)
                if fail == phase:
                    await send({"type": f"lifespan.{phase}.failed", "message": f"{phase} broke"})
                    return
                if phase == "startup":
                    scope["state"]["db"] = "connected"
                    scope["state"]["shared"] = []
                    scope["state"]["event"] = anyio.Event()
                await send({"type": f"lifespan.{phase}.complete"})
                if phase == "shutdown":
                    return
        state = scope["state"]
        keys = sorted(state)
        log.append(f"request {state.get('db')}")
        state["db"] = "changed by request"
        if "shared" in state:
            state["shared"].append(scope["path"])
        if "event" in state:  # an anyio primitive made at startup works in requests
            state["event"].set()
            await state["event"].wait()
        await send_json(send, {"keys": keys})

    return app


def test_lifespan_order_and_state_copy() -> None:
    log: list[str] = []
    client = TestClient(lifespan_app_factory(log))
    with client:
        assert log == ["startup"]
        assert client.get("/a").json() == {"keys": ["db", "event", "shared"]}
        assert client.get("/b").status_code == 200
        assert log == ["startup", "request connected", "request connected"]
        assert client.app_state["db"] == "connected"  # each request gets a shallow copy
        assert client.app_state["shared"] == ["/a", "/b"]
    assert log == ["startup", "request connected", "request connected", "shutdown"]


def test_no_lifespan_without_with() -> None:
    log: list[str] = []
    client = TestClient(lifespan_app_factory(log))
    assert client.get("/").json() == {"keys": []}
    assert log == ["request None"]


def test_client_can_be_entered_twice() -> None:
    log: list[str] = []
    client = TestClient(lifespan_app_factory(log))
    with client:
        pass
    with client:
        pass
    assert log == ["startup", "shutdown", "startup", "shutdown"]


def test_lifespan_startup_failure() -> None:
    log: list[str] = []
    with (
        pytest.raises(RuntimeError, match="startup broke"),
        TestClient(lifespan_app_factory(log, fail="startup")),
    ):
        pass  # pragma: no cover
    assert log == ["startup"]


def test_lifespan_shutdown_failure() -> None:
    log: list[str] = []
    client = TestClient(lifespan_app_factory(log, fail="shutdown"))
    with pytest.raises(RuntimeError, match="shutdown broke"), client:
        pass
    assert log == ["startup", "shutdown"]


def test_lifespan_exception_propagates() -> None:
    with pytest.raises(ValueError, match="boom"), TestClient(failing_app):
        pass  # pragma: no cover


def test_app_without_lifespan_support() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            return
        await send_json(send, "ok")

    with TestClient(app) as client:
        assert client.get("/").json() == "ok"


# -- WebSocket ----------------------------------------------------------------------------------


async def ws_echo_app(scope: Any, receive: Any, send: Any) -> None:
    """Accept, then echo every frame; 'scope' answers with the scope; 'close' closes 1001."""
    assert scope["type"] == "websocket"
    assert await receive() == {"type": "websocket.connect"}
    await send({"type": "websocket.accept", "subprotocol": (scope["subprotocols"] or [None])[0]})
    while True:
        message = await receive()
        if message["type"] == "websocket.disconnect":
            return
        if message.get("text") == "scope":
            await send({"type": "websocket.send", "text": json.dumps(jsonable(dict(scope)))})
        elif message.get("text") == "close":
            await send({"type": "websocket.close", "code": 1001, "reason": "bye"})
            return
        elif message.get("text") is not None:
            await send({"type": "websocket.send", "text": message["text"]})
        else:
            await send({"type": "websocket.send", "bytes": message["bytes"]})


def test_websocket_echo_text_bytes_json() -> None:
    client = TestClient(ws_echo_app)
    with client.websocket_connect("/ws") as ws:
        ws.send_text("hello")
        assert ws.receive_text() == "hello"
        ws.send_bytes(b"\x00\x01")
        assert ws.receive_bytes() == b"\x00\x01"
        ws.send_json({"a": [1, 2]})
        assert ws.receive_json() == {"a": [1, 2]}
        ws.send_json({"b": None}, mode="binary")
        assert ws.receive_json(mode="binary") == {"b": None}
        ws.send_text("x")
        assert ws.receive() == {"type": "websocket.send", "text": "x"}


def test_websocket_scope() -> None:
    client = TestClient(ws_echo_app, cookies={"sid": "abc"})
    with client.websocket_connect(
        "/ws/a%20b?x=1", query_string="y=2", headers={"x-h": "v"}, subprotocols=["p1", "p2"]
    ) as ws:
        assert ws.accepted_subprotocol == "p1"
        ws.send_text("scope")
        scope = ws.receive_json()
    headers = dict(scope.pop("headers"))
    assert scope == {
        "type": "websocket",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "scheme": "ws",
        "path": "/ws/a b",
        "raw_path": "/ws/a%20b",
        "root_path": "",
        "query_string": "x=1&y=2",
        "client": ["testclient", 50000],
        "server": ["testserver", 80],
        "state": {},
        "subprotocols": ["p1", "p2"],
        "extensions": {"websocket.http.response": {}},
    }
    assert headers["host"] == "testserver"
    assert headers["cookie"] == "sid=abc"
    assert headers["user-agent"] == "testclient"
    assert headers["sec-websocket-key"] == "testserver=="
    assert headers["sec-websocket-version"] == "13"
    assert headers["sec-websocket-protocol"] == "p1, p2"
    assert headers["connection"] == "upgrade"
    assert headers["upgrade"] == "websocket"
    assert headers["x-h"] == "v"


def test_websocket_connect_positional_headers_or_subprotocols() -> None:
    client = TestClient(ws_echo_app)
    with client.websocket_connect("/", {"x-h": "1"}) as ws:
        ws.send_text("scope")
        scope = ws.receive_json()
    assert dict(scope["headers"])["x-h"] == "1"
    assert scope["subprotocols"] == []
    with client.websocket_connect("/", ["chat"]) as ws:
        assert ws.accepted_subprotocol == "chat"


def test_websocket_state_copy_from_lifespan() -> None:
    log: list[str] = []
    http_app = lifespan_app_factory(log)

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "websocket":
            await receive()
            await send({"type": "websocket.accept"})
            await send({"type": "websocket.send", "text": scope["state"]["db"]})
            scope["state"]["db"] = "changed"
            await receive()
            return
        await http_app(scope, receive, send)

    with TestClient(app) as client:
        with client.websocket_connect("/ws") as ws:
            assert ws.receive_text() == "connected"
        assert client.app_state["db"] == "connected"


def test_websocket_app_close_code_and_reason() -> None:
    with TestClient(ws_echo_app).websocket_connect("/ws") as ws:
        ws.send_text("close")
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_text()
    assert (info.value.code, info.value.reason) == (1001, "bye")


def test_websocket_client_close_code_reaches_app() -> None:
    seen: list[Any] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        seen.append(await receive())

    with TestClient(app).websocket_connect("/ws") as ws:
        ws.close(4000, "done")
    assert seen == [{"type": "websocket.disconnect", "code": 4000, "reason": "done"}]


def test_websocket_exit_sends_1000() -> None:
    seen: list[Any] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        seen.append(await receive())
        seen.append(await receive())  # later receives repeat the disconnect

    with TestClient(app).websocket_connect("/ws"):
        pass
    disconnect = {"type": "websocket.disconnect", "code": 1000, "reason": ""}
    assert seen == [disconnect, disconnect]


def test_websocket_reject_before_accept() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.close", "code": 1008, "reason": "policy"})

    with pytest.raises(WebSocketDisconnect) as info, TestClient(app).websocket_connect("/ws"):
        pass  # pragma: no cover
    assert (info.value.code, info.value.reason) == (1008, "policy")


def test_websocket_exception_before_accept() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        raise WebSocketException(4403, "forbidden")

    with pytest.raises(WebSocketDisconnect) as info, TestClient(app).websocket_connect("/ws"):
        pass  # pragma: no cover
    assert (info.value.code, info.value.reason) == (4403, "forbidden")


def test_websocket_return_without_accept() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()

    with pytest.raises(WebSocketDisconnect) as info, TestClient(app).websocket_connect("/ws"):
        pass  # pragma: no cover
    assert info.value.code == 1006


def test_websocket_denial_response() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send(
            {"type": "websocket.http.response.start", "status": 403, "headers": [(b"x", b"1")]}
        )
        await send({"type": "websocket.http.response.body", "body": b"no"})

    with pytest.raises(WebSocketDenialResponse) as info, TestClient(app).websocket_connect("/"):
        pass  # pragma: no cover
    assert info.value.status_code == 403
    assert info.value.headers["x"] == "1"
    assert info.value.content == b"no"
    assert isinstance(info.value, WebSocketDisconnect)


def test_websocket_app_exception_propagates_on_exit() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await receive()
        raise ValueError("ws boom")

    with pytest.raises(ValueError, match="ws boom"), TestClient(app).websocket_connect("/") as ws:
        ws.send_text("go")


def test_websocket_app_exception_raised_by_receive() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        raise ValueError("ws boom")

    with TestClient(app).websocket_connect("/") as ws, pytest.raises(ValueError, match="ws boom"):
        ws.receive_text()


def test_websocket_app_exception_raised_even_when_disabled() -> None:
    """raise_server_exceptions=False is for HTTP: Starlette's session re-raises a WebSocket
    app's exception anyway (it used to read as a close with 1011 here)."""
    from starlette.testclient import TestClient as StarletteClient

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        raise ValueError("ws boom")

    for client in (
        TestClient(app, raise_server_exceptions=False),
        StarletteClient(app, raise_server_exceptions=False),
    ):
        # raised by receive_text (ours) or on leaving the block (Starlette's)
        with pytest.raises(ValueError, match="ws boom"), client.websocket_connect("/") as ws:
            ws.receive_text()


def test_websocket_app_exception_before_accept_propagates() -> None:
    with pytest.raises(ValueError, match="boom"), TestClient(failing_app).websocket_connect("/"):
        pass  # pragma: no cover


def test_websocket_app_return_reads_as_close_1000() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": "last"})

    with TestClient(app).websocket_connect("/") as ws:
        assert ws.receive_text() == "last"
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_text()
    assert info.value.code == 1000


def test_websocket_send_before_accept_is_an_error() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.send", "text": "too early"})

    with (
        pytest.raises(RuntimeError, match=r"before 'websocket\.accept'"),
        TestClient(app).websocket_connect("/"),
    ):
        pass  # pragma: no cover


def test_websocket_app_send_after_client_close_raises_oserror() -> None:
    errors: list[BaseException] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        assert (await receive())["type"] == "websocket.disconnect"
        try:
            await send({"type": "websocket.send", "text": "late"})
        except OSError as exc:
            errors.append(exc)

    with TestClient(app).websocket_connect("/"):
        pass
    assert len(errors) == 1


def test_websocket_stuck_app_is_cancelled_on_exit() -> None:
    cancelled: list[bool] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        try:
            await anyio.Event().wait()  # never set: ignores the disconnect
        except anyio.get_cancelled_exc_class():
            cancelled.append(True)
            raise

    session = TestClient(app).websocket_connect("/")
    session.close_timeout = 0.01
    with session:
        pass
    assert cancelled == [True]


def test_websocket_inside_lifespan_portal() -> None:
    with TestClient(lifespan_ws_app) as client:
        with client.websocket_connect("/") as ws:
            ws.send_text("ping")
            assert ws.receive_text() == "ping"
        with client.websocket_connect("/") as ws:
            ws.send_text("again")
            assert ws.receive_text() == "again"


async def lifespan_ws_app(scope: Any, receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        await receive()
        await send({"type": "lifespan.startup.complete"})
        await receive()
        await send({"type": "lifespan.shutdown.complete"})
        return
    await ws_echo_app(scope, receive, send)
