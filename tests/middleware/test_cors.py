"""CORSMiddleware: preflight, simple requests, origin confusion, option validation."""

from __future__ import annotations

import httpx
import pytest

from fasterapi_core.types import Receive, Scope, Send
from fasterapi_middleware import CORSMiddleware

pytestmark = pytest.mark.anyio

ORIGIN = "https://example.com"


async def hello(scope: Scope, receive: Receive, send: Send) -> None:
    assert scope["type"] == "http"
    headers = [(b"content-type", b"text/plain"), (b"content-length", b"5")]
    if scope["path"] == "/vary":
        headers.append((b"vary", b"Cookie"))
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"Hello"})


def client(**options: object) -> httpx.AsyncClient:
    app = CORSMiddleware(hello, **options)  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


def preflight_headers(
    origin: str, method: str = "GET", headers: str | None = None
) -> dict[str, str]:
    result = {"origin": origin, "access-control-request-method": method}
    if headers is not None:
        result["access-control-request-headers"] = headers
    return result


def cors_headers(response: httpx.Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.startswith("access-control-")}


PREFLIGHT_VARY = (
    "Access-Control-Request-Method, Access-Control-Request-Headers, "
    "Access-Control-Request-Private-Network"
)


async def test_preflight_allowed_explicit_origin() -> None:
    async with client(
        allow_origins=[ORIGIN],
        allow_methods=["GET", "POST"],
        allow_headers=["X-Token"],
        allow_credentials=True,
        max_age=123,
    ) as c:
        r = await c.options("/", headers=preflight_headers(ORIGIN, "POST", "x-token, Content-Type"))
    assert r.status_code == 200
    assert r.text == "OK"
    assert cors_headers(r) == {
        "access-control-allow-origin": ORIGIN,
        "access-control-allow-methods": "GET, POST",
        "access-control-allow-headers": "accept, accept-language, content-language, content-type, "
        "x-token",
        "access-control-max-age": "123",
        "access-control-allow-credentials": "true",
    }
    assert r.headers["vary"] == "Origin, " + PREFLIGHT_VARY


async def test_preflight_wildcards_without_credentials() -> None:
    async with client(allow_origins=["*"], allow_methods=["*"], allow_headers=["*"]) as c:
        r = await c.options("/", headers=preflight_headers("https://any.org", "PATCH", "X-A, x-b"))
    assert r.status_code == 200
    assert cors_headers(r) == {
        "access-control-allow-origin": "*",
        "access-control-allow-methods": "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT, QUERY",
        "access-control-allow-headers": "X-A, x-b",
        "access-control-max-age": "600",
    }
    # "*" for every origin, but the allowed headers echo the request's
    assert r.headers["vary"] == PREFLIGHT_VARY


@pytest.mark.parametrize("allow", [False, True])
async def test_private_network_access_is_answered_only_when_allowed(allow: bool) -> None:
    async with client(allow_origins=[ORIGIN], allow_private_network=allow) as c:
        headers = {**preflight_headers(ORIGIN, "GET", None)}
        headers["access-control-request-private-network"] = "true"
        r = await c.options("/", headers=headers)
    if allow:
        assert r.status_code == 200
        assert r.headers["access-control-allow-private-network"] == "true"
    else:
        assert (r.status_code, r.text) == (400, "Disallowed CORS private-network")
        assert "access-control-allow-private-network" not in r.headers
    assert r.headers["vary"] == "Origin, " + PREFLIGHT_VARY


@pytest.mark.parametrize(
    ("origin", "method", "headers", "refused"),
    [
        (ORIGIN, "DELETE", None, "method"),
        (ORIGIN, "GET", "x-secret", "headers"),
        (ORIGIN, "get", None, "method"),
        ("https://evil.example", "GET", None, "origin"),
        ("https://evil.example", "PUT", "x-token, x-secret", "origin, method, headers"),
    ],
)
async def test_preflight_names_what_it_refuses(
    origin: str, method: str, headers: str | None, refused: str
) -> None:
    async with client(
        allow_origins=[ORIGIN], allow_methods=["GET"], allow_headers=["x-token"]
    ) as c:
        r = await c.options("/", headers=preflight_headers(origin, method, headers))
    assert r.status_code == 400
    assert r.text == f"Disallowed CORS {refused}"
    assert cors_headers(r) == {}
    assert r.headers["vary"] == "Origin, " + PREFLIGHT_VARY


@pytest.mark.parametrize(
    "origin",
    [
        "https://example.com.evil.com",
        "https://evil-example.com",
        "https://evilexample.com",
        "http://example.com",
        "https://example.com:8443",
        "https://example.co",
        "https://example.com/",
        "HTTPS://EXAMPLE.COM.evil",
        "null",
        "",
    ],
)
async def test_origin_confusion_rejected(origin: str) -> None:
    async with client(allow_origins=[ORIGIN, "https://app.example.com:8443"]) as c:
        pre = await c.options("/", headers=preflight_headers(origin))
        simple = await c.get("/", headers={"origin": origin})
    assert pre.status_code == 400
    assert cors_headers(pre) == {}
    assert simple.status_code == 200
    assert simple.text == "Hello"
    assert cors_headers(simple) == {}
    assert simple.headers["vary"] == "Origin"


async def test_port_variant_must_match_exactly() -> None:
    async with client(allow_origins=["https://app.example.com:8443"]) as c:
        ok = await c.get("/", headers={"origin": "https://app.example.com:8443"})
        bad = await c.get("/", headers={"origin": "https://app.example.com"})
    assert ok.headers["access-control-allow-origin"] == "https://app.example.com:8443"
    assert "access-control-allow-origin" not in bad.headers


async def test_null_origin_only_when_listed() -> None:
    async with client(allow_origins=["null"]) as c:
        r = await c.get("/", headers={"origin": "null"})
    assert r.headers["access-control-allow-origin"] == "null"
    async with client(allow_origin_regex=r".*") as c:
        r = await c.get("/", headers={"origin": "null"})
        other = await c.get("/", headers={"origin": "https://x.org"})
    assert "access-control-allow-origin" not in r.headers
    assert other.headers["access-control-allow-origin"] == "https://x.org"


async def test_simple_request_headers_and_vary_merge() -> None:
    async with client(
        allow_origins=[ORIGIN], allow_credentials=True, expose_headers=["X-Total", "X-Page"]
    ) as c:
        r = await c.get("/vary", headers={"origin": ORIGIN})
    assert r.status_code == 200
    assert r.text == "Hello"
    assert cors_headers(r) == {
        "access-control-allow-origin": ORIGIN,
        "access-control-allow-credentials": "true",
        "access-control-expose-headers": "X-Total, X-Page",
    }
    assert r.headers["vary"] == "Cookie, Origin"


async def test_simple_request_wildcard() -> None:
    async with client(allow_origins=["*"]) as c:
        r = await c.get("/", headers={"origin": "https://whatever.net"})
        no_origin = await c.get("/")
    assert cors_headers(r) == {"access-control-allow-origin": "*"}
    assert "vary" not in r.headers
    assert cors_headers(no_origin) == {}


async def test_options_without_request_method_is_not_preflight() -> None:
    async with client(allow_origins=[ORIGIN]) as c:
        r = await c.options("/", headers={"origin": ORIGIN})
    assert r.status_code == 200
    assert r.text == "Hello"
    assert r.headers["access-control-allow-origin"] == ORIGIN


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("https://a.example.com", True),
        ("https://a.b.example.com", False),
        ("https://a.example.com.evil.com", False),
        ("https://evil.com/?https://a.example.com", False),
        ("xhttps://a.example.com", False),
    ],
)
async def test_regex_must_fullmatch(origin: str, allowed: bool) -> None:
    async with client(allow_origin_regex=r"https://[a-z]+\.example\.com") as c:
        r = await c.get("/", headers={"origin": origin})
        pre = await c.options("/", headers=preflight_headers(origin))
    assert ("access-control-allow-origin" in r.headers) is allowed
    assert pre.status_code == (200 if allowed else 400)


def test_wildcard_with_credentials_raises() -> None:
    with pytest.raises(ValueError, match="allow_credentials"):
        CORSMiddleware(hello, allow_origins=["*"], allow_credentials=True)


@pytest.mark.parametrize(
    "origin", ["https://example.com/path", "*.example.com", "https://*.example.com", "example.com"]
)
def test_malformed_origin_config_raises(origin: str) -> None:
    with pytest.raises(ValueError, match="scheme://host"):
        CORSMiddleware(hello, allow_origins=[origin])


def test_other_option_errors() -> None:
    with pytest.raises(TypeError):
        CORSMiddleware(hello, allow_origins="https://example.com")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_age"):
        CORSMiddleware(hello, max_age=-1)
    with pytest.raises(ValueError, match="header name"):
        CORSMiddleware(hello, allow_headers=["bad header"])
    # A trailing slash and upper case in configuration are normalised.
    mw = CORSMiddleware(hello, allow_origins=["HTTPS://Example.com/"])
    assert mw.is_allowed_origin(ORIGIN)


async def test_websocket_and_lifespan_pass_through() -> None:
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope["type"])

    mw = CORSMiddleware(app, allow_origins=[ORIGIN])

    async def receive() -> dict[str, object]:
        raise AssertionError

    async def send(message: object) -> None:
        raise AssertionError

    await mw({"type": "lifespan"}, receive, send)  # type: ignore[arg-type]
    await mw({"type": "websocket", "headers": [(b"origin", b"https://evil.com")]}, receive, send)  # type: ignore[arg-type]
    assert seen == ["lifespan", "websocket"]
