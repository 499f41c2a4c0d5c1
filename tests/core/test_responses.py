"""Response, JSONResponse, HTMLResponse, PlainTextResponse, RedirectResponse."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import re
import uuid
from typing import Any

import httpx
import msgspec
import pytest

from fasterapi_core.background import BackgroundTask
from fasterapi_core.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)

pytestmark = pytest.mark.anyio

HTTP_SCOPE: dict[str, Any] = {"type": "http", "method": "GET", "path": "/", "headers": []}


async def no_receive() -> dict[str, Any]:
    raise AssertionError("a plain response must not read the request")


async def run(response: Response, scope: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []

    async def send(message: Any) -> None:
        messages.append(dict(message))

    await response(scope or HTTP_SCOPE, no_receive, send)
    return messages


# --- basic rendering and headers -------------------------------------------------------------


async def test_bytes_response_messages_exact() -> None:
    messages = await run(Response(b"hello", media_type="application/octet-stream"))
    assert messages == [
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-length", b"5"),
                (b"content-type", b"application/octet-stream"),
            ],
        },
        {"type": "http.response.body", "body": b"hello"},
    ]


async def test_to_asgi_sends_start_then_body() -> None:
    messages: list[Any] = []

    async def send(message: Any) -> None:
        messages.append(message)

    await PlainTextResponse("hi", status_code=201).to_asgi(send)
    assert [m["type"] for m in messages] == ["http.response.start", "http.response.body"]
    assert messages[0]["status"] == 201
    assert messages[1]["body"] == b"hi"


def test_render_variants() -> None:
    assert Response().body == b""
    assert Response(None).raw_headers == [(b"content-length", b"0")]
    assert Response(bytearray(b"ab")).body == b"ab"
    assert Response(memoryview(b"cd")).body == b"cd"
    assert Response("é").body == "é".encode()
    with pytest.raises(TypeError):
        Response(123)


def test_text_types_get_charset_others_not() -> None:
    assert PlainTextResponse("x").raw_headers == [
        (b"content-length", b"1"),
        (b"content-type", b"text/plain; charset=utf-8"),
    ]
    assert HTMLResponse("<b>x</b>").raw_headers[-1] == (
        b"content-type",
        b"text/html; charset=utf-8",
    )
    explicit = Response("x", media_type="text/plain; charset=latin-1")
    assert explicit.raw_headers[-1] == (b"content-type", b"text/plain; charset=latin-1")
    assert JSONResponse({}).raw_headers[-1] == (b"content-type", b"application/json")


def test_custom_charset_subclass() -> None:
    class Latin1(PlainTextResponse):
        charset = "latin-1"

    response = Latin1("é")
    assert response.body == b"\xe9"
    assert response.raw_headers[-1] == (b"content-type", b"text/plain; charset=latin-1")


def test_user_headers_first_lowercased_and_not_duplicated() -> None:
    response = Response(
        b"abc",
        headers={"X-Custom": "1", "Content-Type": "text/csv"},
        media_type="text/plain",
    )
    assert response.raw_headers == [
        (b"x-custom", b"1"),
        (b"content-type", b"text/csv"),
        (b"content-length", b"3"),
    ]


def test_user_content_length_is_kept() -> None:
    response = Response(b"abc", headers={"content-length": "3"})
    assert response.raw_headers == [(b"content-length", b"3")]


@pytest.mark.parametrize("status", [204, 304, 100, 101])
async def test_no_body_statuses_have_no_length_and_no_body(status: int) -> None:
    response = PlainTextResponse("ignored", status_code=status)
    assert response.raw_headers == [(b"content-type", b"text/plain; charset=utf-8")]
    messages = await run(response)
    assert messages[1] == {"type": "http.response.body", "body": b""}


async def test_status_204_without_content() -> None:
    messages = await run(Response(status_code=204))
    assert messages == [
        {"type": "http.response.start", "status": 204, "headers": []},
        {"type": "http.response.body", "body": b""},
    ]


@pytest.mark.parametrize(
    "headers",
    [
        {"x-a": "ok\r\nset-cookie: evil=1"},
        {"x-a": "line\nbreak"},
        {"x-a": "nul\x00"},
        {"bad name": "v"},
        {"x-a\r\nx-b": "v"},
        {"x-a": "snowman ☃"},
    ],
)
def test_header_injection_rejected(headers: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        Response(b"", headers=headers)


def test_headers_property_is_a_live_view() -> None:
    response = Response(b"x", media_type="text/plain")
    response.headers["X-Extra"] = "yes"
    response.headers["content-type"] = "text/csv"
    assert response.raw_headers == [
        (b"content-length", b"1"),
        (b"content-type", b"text/csv"),
        (b"x-extra", b"yes"),
    ]
    assert response.headers["content-length"] == "1"
    # Replacing raw_headers gives a fresh view, not a stale one.
    response.raw_headers = [(b"a", b"b")]
    assert dict(response.headers) == {"a": "b"}


def test_headers_not_built_until_used() -> None:
    response = Response(b"x")
    assert "_headers" not in response.__dict__


# --- JSON ------------------------------------------------------------------------------------


class Item(msgspec.Struct):
    name: str
    price: float


@dataclasses.dataclass
class Point:
    x: int
    y: int


def test_json_rich_types() -> None:
    content = {
        "when": datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.UTC),
        "day": datetime.date(2024, 5, 6),
        "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "amount": decimal.Decimal("10.50"),
        "item": Item("a", 1.5),
        "point": Point(1, 2),
        "none": None,
    }
    response = JSONResponse(content)
    assert response.body == (
        b'{"when":"2024-05-06T07:08:09Z","day":"2024-05-06",'
        b'"id":"12345678-1234-5678-1234-567812345678","amount":10.50,'
        b'"item":{"name":"a","price":1.5},"point":{"x":1,"y":2},"none":null}'
    )
    assert response.raw_headers == [
        (b"content-length", str(len(response.body)).encode()),
        (b"content-type", b"application/json"),
    ]


def test_json_none_is_null_and_unicode_is_utf8() -> None:
    assert JSONResponse(None).body == b"null"
    assert JSONResponse({"k": "é"}).body == '{"k":"é"}'.encode()


@pytest.mark.parametrize("raw", [b'{"a":1}', bytearray(b'{"a":1}'), memoryview(b'{"a":1}')])
def test_json_bytes_passthrough(raw: Any) -> None:
    response = JSONResponse(raw, status_code=201)
    assert response.body == b'{"a":1}'
    assert response.raw_headers == [
        (b"content-length", b"7"),
        (b"content-type", b"application/json"),
    ]


def test_json_unserialisable_raises_type_error() -> None:
    with pytest.raises(TypeError):
        JSONResponse({"x": object()})


async def test_json_through_httpx() -> None:
    app = JSONResponse({"hello": "world"}, headers={"X-Test": "1"})
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        reply = await client.get("/")
    assert reply.status_code == 200
    assert reply.json() == {"hello": "world"}
    assert reply.headers["x-test"] == "1"
    assert reply.headers["content-length"] == "17"


# --- cookies ---------------------------------------------------------------------------------

EXPIRES = re.compile(r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT")


def cookies(response: Response) -> list[str]:
    return [v.decode("latin-1") for k, v in response.raw_headers if k == b"set-cookie"]


def test_set_cookie_default_and_all_attributes() -> None:
    response = Response()
    response.set_cookie("session", "abc")
    response.set_cookie(
        "full",
        "v",
        max_age=10,
        expires=datetime.datetime(2037, 1, 22, 12, 0, 10, tzinfo=datetime.UTC),
        path="/app",
        domain="example.com",
        secure=True,
        httponly=True,
        samesite="strict",
        partitioned=True,
    )
    assert cookies(response) == [
        "session=abc; Path=/; SameSite=lax",
        "full=v; Domain=example.com; expires=Thu, 22 Jan 2037 12:00:10 GMT; HttpOnly; "
        "Max-Age=10; Partitioned; Path=/app; SameSite=strict; Secure",
    ]


def test_set_cookie_int_expires_and_no_path_no_samesite() -> None:
    response = Response()
    response.set_cookie("a", "b", expires=60, path=None, samesite=None)
    (header,) = cookies(response)
    name, expires = header.split("; ")
    assert name == "a=b"
    assert expires.startswith("expires=")
    assert EXPIRES.fullmatch(expires.removeprefix("expires="))


def test_cookie_values_are_quoted_like_http_cookies() -> None:
    response = Response()
    response.set_cookie("k", "v w;x")
    response.set_cookie("q", 'a"b\\c,d')
    response.set_cookie("empty", "")
    assert cookies(response) == [
        'k="v w\\073x"; Path=/; SameSite=lax',
        'q="a\\"b\\\\c\\054d"; Path=/; SameSite=lax',
        'empty=""; Path=/; SameSite=lax',
    ]


def test_delete_cookie() -> None:
    response = Response()
    response.delete_cookie("gone", domain="example.com", secure=True, httponly=True)
    (header,) = cookies(response)
    match = re.fullmatch(
        r'gone=""; Domain=example.com; expires=(.+); HttpOnly; Max-Age=0; Path=/; '
        r"SameSite=lax; Secure",
        header,
    )
    assert match is not None
    assert EXPIRES.fullmatch(match.group(1))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"key": "bad name", "value": "v"},
        {"key": "a;b", "value": "v"},
        {"key": "a=b", "value": "v"},
        {"key": "k", "value": "v\r\nSet-Cookie: evil=1"},
        {"key": "k", "value": "v\x00"},
        {"key": "k", "value": "v", "path": "/; Secure"},
        {"key": "k", "value": "v", "path": "/\r\nx: y"},
        {"key": "k", "value": "v", "domain": "a.com; HttpOnly"},
        {"key": "k", "value": "v", "expires": "Thu, 01 Jan 2037\r\nx: y"},
        {"key": "k", "value": "v", "samesite": "sideways"},
        {"key": "k", "value": "☃"},
    ],
)
def test_cookie_injection_rejected(kwargs: dict[str, Any]) -> None:
    response = Response()
    with pytest.raises(ValueError):
        response.set_cookie(**kwargs)
    assert cookies(response) == []


async def test_cookies_reach_the_client() -> None:
    response = PlainTextResponse("ok")
    response.set_cookie("a", "1")
    response.set_cookie("b", "2")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=response), base_url="http://t"
    ) as client:
        reply = await client.get("/")
    assert reply.headers.get_list("set-cookie") == [
        "a=1; Path=/; SameSite=lax",
        "b=2; Path=/; SameSite=lax",
    ]
    assert dict(reply.cookies) == {"a": "1", "b": "2"}


# --- redirects -------------------------------------------------------------------------------


def test_redirect_default_307_and_headers() -> None:
    response = RedirectResponse("/target?x=1&y=2#frag")
    assert response.status_code == 307
    assert response.body == b""
    assert response.raw_headers == [
        (b"content-length", b"0"),
        (b"location", b"/target?x=1&y=2#frag"),
    ]


@pytest.mark.parametrize(
    ("url", "location"),
    [
        ("/a b", b"/a%20b"),
        ("/caf\u00e9/\u2603", b"/caf%C3%A9/%E2%98%83"),
        ("/x\r\nSet-Cookie: evil=1", b"/x%0D%0ASet-Cookie:%20evil=1"),
        ("https://example.com:8443/p?q=a+b&r=[1]", b"https://example.com:8443/p?q=a+b&r=[1]"),
        ("/already%20encoded", b"/already%20encoded"),
    ],
)
def test_redirect_location_encoding(url: str, location: bytes) -> None:
    response = RedirectResponse(url, status_code=302)
    assert response.raw_headers[-1] == (b"location", location)


def test_redirect_accepts_url_objects_and_replaces_user_location() -> None:
    class URLLike:
        def __str__(self) -> str:
            return "http://example.com/next"

    response = RedirectResponse(URLLike(), headers={"Location": "/old", "X-A": "1"})
    assert response.raw_headers == [
        (b"x-a", b"1"),
        (b"content-length", b"0"),
        (b"location", b"http://example.com/next"),
    ]


async def test_redirect_through_httpx() -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=RedirectResponse("/x y", status_code=301)),
        base_url="http://t",
    ) as client:
        reply = await client.get("/")
    assert reply.status_code == 301
    assert reply.headers["location"] == "/x%20y"


# --- misc ------------------------------------------------------------------------------------


async def test_background_runs_after_body_is_sent() -> None:
    events: list[str] = []

    async def task(name: str) -> None:
        events.append(f"task {name}")

    messages: list[Any] = []

    async def send(message: Any) -> None:
        events.append(message["type"])
        messages.append(message)

    await Response(b"x", background=BackgroundTask(task, "one"))(HTTP_SCOPE, no_receive, send)
    assert events == ["http.response.start", "http.response.body", "task one"]


async def test_websocket_denial_response_uses_prefixed_messages() -> None:
    messages = await run(PlainTextResponse("no", status_code=403), {"type": "websocket"})
    assert [m["type"] for m in messages] == [
        "websocket.http.response.start",
        "websocket.http.response.body",
    ]
    assert messages[0]["status"] == 403
    assert messages[1]["body"] == b"no"


def test_status_constants_match_fastapi_names() -> None:
    from fasterapi_core import status

    assert status.HTTP_200_OK == 200
    assert status.HTTP_422_UNPROCESSABLE_ENTITY == status.HTTP_422_UNPROCESSABLE_CONTENT == 422
    assert status.HTTP_413_REQUEST_ENTITY_TOO_LARGE == status.HTTP_413_CONTENT_TOO_LARGE == 413
    assert status.WS_1008_POLICY_VIOLATION == 1008
    assert status.HTTP_418_IM_A_TEAPOT == 418
    assert all(isinstance(getattr(status, name), int) for name in status.__all__)
    assert len(status.__all__) == len(set(status.__all__))
