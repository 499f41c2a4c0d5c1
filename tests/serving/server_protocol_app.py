"""A raw ASGI app for fasterapi-server's protocol tests (tests/serving/test_fasterapi_server.py).

``PROTO_MARKER`` names a file the app appends events to (slow request started, shutdown);
``PROTO_FAIL_STARTUP=1`` makes the lifespan startup fail.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any


def mark(event: str) -> None:
    path = os.environ.get("PROTO_MARKER")
    if path:
        with open(path, "a") as handle:
            handle.write(event + "\n")


async def respond(send: Any, status: int, body: bytes, *headers: tuple[bytes, bytes]) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def read_body(receive: Any) -> bytes:
    body = b""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return body
        body += message.get("body", b"")
        if not message.get("more_body", False):
            return body


async def lifespan(scope: Any, receive: Any, send: Any) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            if os.environ.get("PROTO_FAIL_STARTUP") == "1":
                await send({"type": "lifespan.startup.failed", "message": "boom at startup"})
                return
            scope["state"]["greeting"] = "hello from lifespan"
            await send({"type": "lifespan.startup.complete"})
        else:
            mark("shutdown")
            await send({"type": "lifespan.shutdown.complete"})
            return


async def websocket(scope: Any, receive: Any, send: Any) -> None:
    await receive()  # websocket.connect
    if scope["path"] == "/ws/deny":
        await send({"type": "websocket.close", "code": 1000})
        return
    await send({"type": "websocket.accept", "subprotocol": None})
    if scope["path"] == "/ws/peer":
        await send({"type": "websocket.send", "text": repr((scope["scheme"], scope["client"][0]))})
        await send({"type": "websocket.close", "code": 1000})
        return
    if scope["path"] == "/ws/close":
        await send({"type": "websocket.close", "code": 4001, "reason": "bye"})
        return
    while True:
        message = await receive()
        if message["type"] == "websocket.disconnect":
            return
        if message.get("text") is not None:
            await send({"type": "websocket.send", "text": "echo:" + message["text"]})
        else:
            await send({"type": "websocket.send", "bytes": b"echo:" + message["bytes"]})


async def app(scope: Any, receive: Any, send: Any) -> None:
    kind = scope["type"]
    if kind == "lifespan":
        await lifespan(scope, receive, send)
        return
    if kind == "websocket":
        await websocket(scope, receive, send)
        return
    path = scope["path"]
    if path == "/health":
        await respond(send, 200, b"ok")
    elif path == "/echo":
        await respond(send, 200, await read_body(receive))
    elif path == "/noread":
        await respond(send, 200, b"not read")
    elif path == "/boom":
        raise RuntimeError("boom")
    elif path == "/silent":
        return  # no response at all
    elif path == "/badheader":
        await respond(send, 200, b"x", (b"x-injected", b"a\r\nset-cookie: evil=1"))
    elif path == "/state":
        await respond(send, 200, scope["state"]["greeting"].encode())
    elif path == "/pid":
        await respond(send, 200, str(os.getpid()).encode())
    elif path.startswith("/scope"):
        body = repr(
            (scope["method"], scope["path"], scope["raw_path"], scope["query_string"])
        ).encode()
        await respond(send, 200, body)
    elif path == "/request":  # what the application sees of a request, body included
        body = await read_body(receive)
        await respond(send, 200, repr((scope["method"], scope["headers"], body)).encode())
    elif path == "/peer":
        await respond(send, 200, repr((scope["scheme"], scope["client"][0])).encode())
    elif path == "/slow":
        mark("slow-start")
        await asyncio.sleep(1.0)
        await respond(send, 200, b"slow done")
    elif path == "/big":  # 64 MiB, for clients that stop reading
        await send({"type": "http.response.start", "status": 200, "headers": []})
        chunk = b"x" * 65536
        try:
            for _ in range(1024):
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
        except OSError:
            mark("big-disconnected")
            raise
        mark("big-done")
    elif path == "/stream":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"one,", "more_body": True})
        await send({"type": "http.response.body", "body": b"two"})
    else:
        await respond(send, 404, b"not found")
