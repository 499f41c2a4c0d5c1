"""TrustedHostMiddleware and HTTPSRedirectMiddleware: Host validation and secure redirects."""

from __future__ import annotations

from typing import Any

import pytest

from fasterapi_core.types import Message, Receive, Scope, Send
from fasterapi_middleware import HTTPSRedirectMiddleware, TrustedHostMiddleware

pytestmark = pytest.mark.anyio


async def echo_host(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.accept"})
        return
    host = b",".join(v for k, v in scope["headers"] if k == b"host")
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"host=" + host})


async def call(app: Any, headers: list[tuple[bytes, bytes]], **scope: Any) -> list[Message]:
    full = {
        "type": "http",
        "method": "GET",
        "scheme": "http",
        "path": "/",
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        **scope,
    }
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(full, receive, send)
    return sent


def status(messages: list[Message]) -> int:
    return int(messages[0]["status"])


def header(messages: list[Message], name: bytes) -> bytes | None:
    return dict(messages[0]["headers"]).get(name)


def body(messages: list[Message]) -> bytes:
    return b"".join(m.get("body", b"") for m in messages[1:])


TRUSTED = TrustedHostMiddleware(
    echo_host, allowed_hosts=["example.com", "*.example.org", "::1", "127.0.0.1"]
)


@pytest.mark.parametrize(
    "host",
    [
        b"example.com",
        b"EXAMPLE.com:8000",
        b"example.com.",
        b"a.example.org",
        b"a.b.example.org",
        b"[::1]:8000",
        b"[::1]",
        b"127.0.0.1:80",
    ],
)
async def test_allowed_hosts(host: bytes) -> None:
    messages = await call(TRUSTED, [(b"host", host)])
    assert status(messages) == 200
    assert body(messages) == b"host=" + host  # the app sees exactly the checked header


@pytest.mark.parametrize(
    "headers",
    [
        [],
        [(b"host", b"example.com"), (b"host", b"evil.com")],
        [(b"host", b"evil.com")],
        [(b"host", b"evilexample.com")],
        [(b"host", b"example.org")],
        [(b"host", b"evilexample.org")],
        [(b"host", b"example.com.evil.com")],
        [(b"host", b"evil.com@example.com")],
        [(b"host", b"example.com@evil.com")],
        [(b"host", b"http://example.com")],
        [(b"host", b"example.com/evil")],
        [(b"host", b"example.com\r\nx: y")],
        [(b"host", b"example.com evil.com")],
        [(b"host", b"example.com:99999")],
        [(b"host", b"example.com:")],
        [(b"host", b"")],
        [(b"host", b"[::2]")],
        [(b"host", "exämple.com".encode())],
    ],
)
async def test_rejected_hosts(headers: list[tuple[bytes, bytes]]) -> None:
    messages = await call(TRUSTED, headers)
    assert status(messages) == 400
    assert body(messages) == b"Invalid host header"


async def test_websocket_rejected_before_accept() -> None:
    messages = await call(TRUSTED, [(b"host", b"evil.com")], type="websocket", scheme="ws")
    assert messages == [{"type": "websocket.close", "code": 1008, "reason": "Invalid host header"}]
    ok = await call(TRUSTED, [(b"host", b"example.com")], type="websocket", scheme="ws")
    assert ok == [{"type": "websocket.accept"}]


async def test_www_redirect() -> None:
    mw = TrustedHostMiddleware(echo_host, allowed_hosts=["www.example.com"])
    messages = await call(
        mw, [(b"host", b"example.com:8080")], path="/a b", query_string=b"x=1", root_path=""
    )
    assert status(messages) == 307
    assert header(messages, b"location") == b"http://www.example.com:8080/a%20b?x=1"
    off = TrustedHostMiddleware(echo_host, allowed_hosts=["www.example.com"], www_redirect=False)
    assert status(await call(off, [(b"host", b"example.com")])) == 400


async def test_wildcard_default_is_noop_and_lifespan_passes() -> None:
    mw = TrustedHostMiddleware(echo_host)
    assert status(await call(mw, [(b"host", b"anything")])) == 200
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope["type"])

    await TrustedHostMiddleware(app, ["example.com"])({"type": "lifespan"}, None, None)  # type: ignore[arg-type]
    assert seen == ["lifespan"]


@pytest.mark.parametrize(
    "pattern",
    ["example.com:80", "a.*.example.com", "*example.com", "http://example.com", "ex ample"],
)
def test_bad_patterns_raise(pattern: str) -> None:
    with pytest.raises(ValueError, match="allowed host"):
        TrustedHostMiddleware(echo_host, allowed_hosts=[pattern])


def test_string_allowed_hosts_raises() -> None:
    with pytest.raises(TypeError):
        TrustedHostMiddleware(echo_host, allowed_hosts="example.com")  # type: ignore[arg-type]


REDIRECT = HTTPSRedirectMiddleware(echo_host)


@pytest.mark.parametrize(
    ("host", "scope", "location"),
    [
        (b"example.com", {}, b"https://example.com/"),
        (
            b"example.com:80",
            {"path": "/p/q", "query_string": b"a=1&b=%20"},
            b"https://example.com/p/q?a=1&b=%20",
        ),
        (b"example.com:8080", {"path": "/x"}, b"https://example.com:8080/x"),
        (b"example.com:443", {}, b"https://example.com/"),
        (b"[::1]:80", {}, b"https://[::1]/"),
        (b"example.com", {"root_path": "/api", "path": "/items"}, b"https://example.com/api/items"),
        (
            b"example.com",
            {"root_path": "/api", "path": "/api/items"},
            b"https://example.com/api/items",
        ),
        (b"example.com", {"path": "/caf\u00e9 %"}, b"https://example.com/caf%C3%A9%20%25"),
    ],
)
async def test_https_redirect_location(host: bytes, scope: dict[str, Any], location: bytes) -> None:
    for method in ("GET", "POST"):
        messages = await call(REDIRECT, [(b"host", host)], method=method, **scope)
        assert status(messages) == 307
        assert header(messages, b"location") == location
        assert body(messages) == b""


@pytest.mark.parametrize(
    "headers",
    [
        [(b"host", b"evil.com@good.com")],
        [(b"host", b"good.com\r\nSet-Cookie: a=b")],
        [(b"host", b"good.com evil.com")],
        [(b"host", b"good.com/evil")],
        [(b"host", b"a.com"), (b"host", b"b.com")],
    ],
)
async def test_https_redirect_refuses_untrusted_host(headers: list[tuple[bytes, bytes]]) -> None:
    messages = await call(REDIRECT, headers)
    assert status(messages) == 400
    assert header(messages, b"location") is None


async def test_https_redirect_missing_host_uses_server() -> None:
    messages = await call(REDIRECT, [], server=("10.0.0.1", 80))
    assert header(messages, b"location") == b"https://10.0.0.1/"
    assert status(await call(REDIRECT, [], server=None)) == 400


async def test_https_passes_secure_requests() -> None:
    messages = await call(REDIRECT, [(b"host", b"example.com")], scheme="https")
    assert status(messages) == 200
    ws = await call(REDIRECT, [(b"host", b"example.com")], type="websocket", scheme="wss")
    assert ws == [{"type": "websocket.accept"}]


async def test_https_redirect_websocket() -> None:
    closed = await call(REDIRECT, [(b"host", b"example.com")], type="websocket", scheme="ws")
    assert closed == [{"type": "websocket.close", "code": 1008}]
    denied = await call(
        REDIRECT,
        [(b"host", b"example.com")],
        type="websocket",
        scheme="ws",
        path="/ws",
        extensions={"websocket.http.response": {}},
    )
    assert denied[0]["type"] == "websocket.http.response.start"
    assert denied[0]["status"] == 307
    assert dict(denied[0]["headers"])[b"location"] == b"wss://example.com/ws"
