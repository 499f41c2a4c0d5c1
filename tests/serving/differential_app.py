"""One raw ASGI app served by uvicorn and by fasterapi-server in the differential tests.

Every response the application makes carries ``x-app: 1`` so that a test can tell it apart
from a response the server made up (a 400, a 500). Routes:

``/echo`` the request as JSON (after reading the whole body), ``/chunks`` the body read piece
by piece, ``/noread`` an answer without reading the body, ``/stream`` a chunked response,
``/big?mb=N`` N MiB streamed, ``/inflight?of=T`` how many requests with ``?tag=T`` are
running, ``/boom`` an exception, ``/badheader`` a header value with CRLF, ``/slow`` a short
sleep; WebSockets echo.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from typing import Any
from urllib.parse import parse_qs

INFLIGHT: Counter[str] = Counter()
CHUNK = b"x" * 65536


async def respond(send: Any, status: int, body: bytes, *headers: tuple[bytes, bytes]) -> None:
    """A complete response with a ``content-length``."""
    start = [(b"content-type", b"text/plain"), (b"content-length", b"%d" % len(body))]
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [*start, (b"x-app", b"1"), *headers],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def read_body(receive: Any) -> tuple[bytes, int, bool]:
    """``(body, pieces, disconnected)``: every ``http.request`` message until the last."""
    body, pieces = b"", 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return body, pieces, True
        body += message.get("body", b"")
        pieces += 1
        if not message.get("more_body", False):
            return body, pieces, False


def query(scope: dict[str, Any], name: str, default: str) -> str:
    """One query string parameter."""
    values = parse_qs(scope["query_string"].decode("latin-1")).get(name)
    return values[0] if values else default


async def echo(scope: dict[str, Any], receive: Any, send: Any) -> None:
    body, _, disconnected = await read_body(receive)
    if disconnected:
        return
    document = {
        "method": scope["method"],
        "scheme": scope["scheme"],
        "client_host": scope["client"][0] if scope.get("client") else None,
        "http_version": scope["http_version"],
        "path": scope["path"],
        "raw_path": scope["raw_path"].decode("latin-1"),
        "query_string": scope["query_string"].decode("latin-1"),
        "headers": sorted([k.decode("latin-1"), v.decode("latin-1")] for k, v in scope["headers"]),
        "body": body.decode("latin-1"),
    }
    await respond(send, 200, json.dumps(document, sort_keys=True).encode())


async def big(scope: dict[str, Any], send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"x-app", b"1")]})
    for _ in range(int(query(scope, "mb", "10")) * 16):
        await send({"type": "http.response.body", "body": CHUNK, "more_body": True})
    await send({"type": "http.response.body", "body": b""})


async def websocket(receive: Any, send: Any) -> None:
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    while True:
        message = await receive()
        if message["type"] == "websocket.disconnect":
            return
        await send({"type": "websocket.send", "text": message.get("text") or "binary"})


async def lifespan(receive: Any, send: Any) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        else:
            await send({"type": "lifespan.shutdown.complete"})
            return


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Dispatch on the path (see the module docstring); ``?tag=T`` counts T as in flight."""
    if scope["type"] == "lifespan":
        await lifespan(receive, send)
        return
    if scope["type"] == "websocket":
        await websocket(receive, send)
        return
    tag = query(scope, "tag", "")
    INFLIGHT[tag] += 1
    try:
        await route(scope, receive, send)
    finally:
        INFLIGHT[tag] -= 1


async def route(scope: dict[str, Any], receive: Any, send: Any) -> None:
    path = scope["path"]
    if path == "/chunks":
        body, pieces, disconnected = await read_body(receive)
        if not disconnected:
            await respond(
                send, 200, b"%d bytes, %s" % (len(body), b"many" if pieces > 1 else b"one")
            )
    elif path == "/noread":
        await respond(send, 200, b"not read")
    elif path == "/stream":
        await send({"type": "http.response.start", "status": 200, "headers": [(b"x-app", b"1")]})
        for part in (b"one,", b"two,", b"three"):
            await send({"type": "http.response.body", "body": part, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
    elif path == "/big":
        await big(scope, send)
    elif path == "/inflight":
        await respond(send, 200, b"%d" % INFLIGHT[query(scope, "of", "")])
    elif path == "/boom":
        raise RuntimeError("boom")
    elif path == "/badheader":
        await respond(send, 200, b"x", (b"x-injected", b"a\r\nset-cookie: evil=1"))
    elif path == "/slow":
        await asyncio.sleep(0.3)
        await respond(send, 200, b"slow done")
    else:
        await echo(scope, receive, send)
