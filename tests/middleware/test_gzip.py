"""GZipMiddleware: negotiation, size threshold, incremental streaming, skips, headers."""

from __future__ import annotations

import gzip
import zlib
from typing import Any

import anyio
import httpx
import pytest

from fasterapi_core.types import Message, Receive, Scope, Send
from fasterapi_middleware import GZipMiddleware
from fasterapi_middleware.gzip import accepts_gzip

pytestmark = pytest.mark.anyio

BIG = b"x" * 1000 + b"y" * 1000


def single(body: bytes, *extra: tuple[bytes, bytes]) -> Any:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": [*headers, *extra]})
        await send({"type": "http.response.body", "body": body})

    return app


def client(app: Any, **options: Any) -> httpx.AsyncClient:
    mw = GZipMiddleware(app, **options)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=mw), base_url="http://testserver")


async def test_single_body_compressed_with_exact_content_length() -> None:
    async with client(single(BIG, (b"etag", b'"abc"'))) as c:
        r = await c.get("/", headers={"accept-encoding": "gzip"})
    assert r.status_code == 200
    assert r.headers["content-encoding"] == "gzip"
    assert r.headers["vary"] == "Accept-Encoding"
    assert r.headers["etag"] == 'W/"abc"'
    assert r.content == BIG  # httpx decompressed it
    raw = await _raw_body(single(BIG), b"gzip")
    assert int(r.headers["content-length"]) == len(raw)
    assert gzip.decompress(raw) == BIG


async def _raw_body(app: Any, accept: bytes, **options: Any) -> bytes:
    messages = await call(GZipMiddleware(app, **options), accept)
    return b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")


async def call(app: Any, accept: bytes | None) -> list[Message]:
    headers = [] if accept is None else [(b"accept-encoding", accept)]
    scope = {"type": "http", "method": "GET", "path": "/", "headers": headers}
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("gzip", True),
        ("GZip, deflate", True),
        ("deflate, br", False),
        ("gzip;q=0", False),
        ("gzip; q=0.0, *", False),
        ("*", True),
        ("*;q=0", False),
        ("br;q=1, gzip;q=0.5", True),
        ("gzip;q=abc", False),
        ("identity", False),
        ("x-gzip", True),
    ],
)
def test_accept_encoding_parsing(accept: str, expected: bool) -> None:
    assert accepts_gzip(accept.encode()) is expected


@pytest.mark.parametrize("accept", [None, b"gzip;q=0", b"br"])
async def test_not_compressed_without_gzip_but_vary_is_set(accept: bytes | None) -> None:
    messages = await call(GZipMiddleware(single(BIG)), accept)
    start = messages[0]
    headers = dict(start["headers"])
    assert b"content-encoding" not in headers
    assert headers[b"content-length"] == b"2000"
    assert headers[b"vary"] == b"Accept-Encoding"
    assert messages[1]["body"] == BIG


async def test_small_body_untouched() -> None:
    messages = await call(GZipMiddleware(single(b"tiny"), minimum_size=5), b"gzip")
    assert messages[0]["headers"] == [(b"content-type", b"text/plain"), (b"content-length", b"4")]
    assert messages[1] == {"type": "http.response.body", "body": b"tiny"}
    # At exactly minimum_size it is compressed.
    body = await _raw_body(single(b"tiny!"), b"gzip", minimum_size=5)
    assert gzip.decompress(body) == b"tiny!"


@pytest.mark.parametrize(
    "header",
    [
        (b"content-encoding", b"br"),
        (b"content-type", b"text/event-stream; charset=utf-8"),
        (b"content-range", b"bytes 0-1999/4000"),
    ],
)
async def test_skipped_bodies(header: tuple[bytes, bytes]) -> None:
    messages = await call(GZipMiddleware(single(BIG, header)), b"gzip")
    headers = messages[0]["headers"]
    assert header in headers
    assert (b"content-encoding", b"gzip") not in headers
    assert messages[1]["body"] == BIG


async def test_streaming_is_incremental_and_sync_flushed() -> None:
    produced_second = anyio.Event()
    first_sent = anyio.Event()
    chunks = [b"first chunk " * 10, b"second chunk " * 10, b"last"]

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", b"9999")],
            }
        )
        await send({"type": "http.response.body", "body": chunks[0], "more_body": True})
        await first_sent.wait()
        produced_second.set()
        await send({"type": "http.response.body", "body": chunks[1], "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": True})
        await send({"type": "http.response.body", "body": chunks[2], "more_body": False})

    sent: list[Message] = []
    decompressor = zlib.decompressobj(31)
    decoded: list[bytes] = []

    async def send(message: Message) -> None:
        sent.append(message)
        if message["type"] == "http.response.body":
            # Each flushed piece decompresses on its own, before later chunks exist.
            decoded.append(decompressor.decompress(message["body"]))
            if len(decoded) == 1:
                assert not produced_second.is_set()
                first_sent.set()

    async def receive() -> Message:
        return {"type": "http.request"}

    scope = {
        "type": "http",
        "method": "GET",
        "path": "/",
        "headers": [(b"accept-encoding", b"gzip")],
    }
    with anyio.fail_after(5):
        await GZipMiddleware(app, minimum_size=10_000)(scope, receive, send)
    start = sent[0]
    assert start["type"] == "http.response.start"
    assert start["headers"] == [
        (b"content-type", b"text/plain"),
        (b"vary", b"Accept-Encoding"),
        (b"content-encoding", b"gzip"),
    ]
    assert decoded == chunks  # empty keep-alive chunk was not turned into a message
    assert [m["more_body"] for m in sent[1:]] == [True, True, False]
    assert decompressor.eof


async def test_stream_via_httpx_roundtrip() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        for i in range(50):
            await send({"type": "http.response.body", "body": b"%d," % i, "more_body": True})
        await send({"type": "http.response.body", "body": b"end"})

    async with client(app) as c:
        r = await c.get("/", headers={"accept-encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip"
    assert "content-length" not in r.headers
    assert r.text == ",".join(str(i) for i in range(50)) + ",end"


async def test_sse_stream_not_compressed() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/event-stream")],
            }
        )
        await send({"type": "http.response.body", "body": b"data: 1\n\n", "more_body": True})
        await send({"type": "http.response.body", "body": b"data: 2\n\n"})

    messages = await call(GZipMiddleware(app, minimum_size=0), b"gzip")
    assert messages[0]["headers"] == [(b"content-type", b"text/event-stream")]
    assert [m["body"] for m in messages[1:]] == [b"data: 1\n\n", b"data: 2\n\n"]


async def test_non_http_passes_through_and_options_validated() -> None:
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope["type"])

    async def never() -> Message:
        raise AssertionError

    await GZipMiddleware(app)({"type": "websocket", "headers": []}, never, never)  # type: ignore[arg-type]
    await GZipMiddleware(app)({"type": "lifespan"}, never, never)  # type: ignore[arg-type]
    assert seen == ["websocket", "lifespan"]
    with pytest.raises(ValueError, match="compresslevel"):
        GZipMiddleware(app, compresslevel=10)
    with pytest.raises(ValueError, match="minimum_size"):
        GZipMiddleware(app, minimum_size=-1)


async def test_compresslevel_is_used() -> None:
    fast = await _raw_body(single(BIG), b"gzip", compresslevel=0)
    best = await _raw_body(single(BIG), b"gzip", compresslevel=9)
    assert gzip.decompress(fast) == gzip.decompress(best) == BIG
    assert len(fast) > len(BIG) > len(best)
