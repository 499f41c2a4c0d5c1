"""The response-started rule (fasterapi_routing/started.py) for every kind of sender.

An error raised once a response has started is never answered with a second
``http.response.start``; an error raised before is answered by its handler. Checked for the
senders tests/app/test_error_after_start.py leaves out: plain routes (``add_route``), a custom
route class's ``get_route_handler``, a body limit's 413 and a mounted application with its own
error layers, each with and without user middleware (the two ways the error layer learns that a
response started: the router's own flag, or a wrapped ``send``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio
import pytest
from asgi_support import http_scope

from FasterAPI import Faster, Limits, Request, StreamingResponse
from FasterAPI.responses import JSONResponse, PlainTextResponse
from FasterAPI.routing import APIRoute


class Boom(Exception):
    pass


async def broken_stream() -> AsyncIterator[bytes]:
    yield b"first"
    raise Boom("mid-stream")


class PassThrough:
    """A pure ASGI user middleware: the error layers are no longer fused with the router."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)


class StreamingRoute(APIRoute):
    """A custom route class: its handler returns a stream that fails after the first chunk."""

    def get_route_handler(self) -> Callable[..., Any]:
        async def handler(request: Request) -> StreamingResponse:
            if request.url.path.endswith("/before"):
                raise Boom("before")
            return StreamingResponse(broken_stream(), media_type="text/plain")

        return handler


def make_sub_app() -> Faster:
    sub = Faster(openapi_url=None)

    @sub.get("/stream")
    async def stream() -> StreamingResponse:
        return StreamingResponse(broken_stream(), media_type="text/plain")

    @sub.get("/before")
    async def before() -> None:
        raise Boom("before")

    @sub.exception_handler(Boom)
    async def sub_boom(request: Request, exc: Boom) -> PlainTextResponse:
        return PlainTextResponse("sub handled", status_code=418)

    return sub


def make_app(with_middleware: bool) -> Faster:
    app = Faster(openapi_url=None, limits=Limits(max_body_size=4))
    if with_middleware:
        app.add_middleware(PassThrough)

    async def plain_stream(request: Request) -> StreamingResponse:
        return StreamingResponse(broken_stream(), media_type="text/plain")

    async def plain_before(request: Request) -> None:
        raise Boom("before")

    app.add_route("/plain/stream", plain_stream)
    app.add_route("/plain/before", plain_before)
    app.router.route_class = StreamingRoute

    @app.get("/custom/stream")
    async def custom_stream() -> None:  # replaced by StreamingRoute's handler
        return None

    @app.get("/custom/before")
    async def custom_before() -> None:
        return None

    app.router.route_class = APIRoute

    @app.post("/upload")
    async def upload(body: dict[str, int]) -> dict[str, int]:
        return body

    @app.exception_handler(Boom)
    async def boom(request: Request, exc: Boom) -> JSONResponse:
        return JSONResponse({"handled": str(exc)}, status_code=409)

    app.mount("/sub", make_sub_app())
    return app


class Sent(list[dict[str, Any]]):
    """The messages an app sent, and the error it raised to the server (``None`` if none)."""

    error: BaseException | None = None


async def call(app: Faster, path: str, method: str = "GET", body: bytes = b"") -> Sent:
    sent = Sent()
    received = False

    async def receive() -> dict[str, Any]:
        nonlocal received
        if received:  # the client stays connected
            await anyio.sleep_forever()
        received = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    try:
        await app(http_scope(path, method), receive, send)
    except Exception as exc:  # re-raised to the server after the response (or the 500)
        sent.error = exc
    return sent


def summary(messages: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    return [
        (m["type"], m["status"] if m["type"] == "http.response.start" else m.get("body", b""))
        for m in messages
    ]


STACKS = pytest.mark.parametrize("with_middleware", [False, True], ids=["fused", "middleware"])
pytestmark = pytest.mark.anyio


@STACKS
@pytest.mark.parametrize("prefix", ["/plain", "/custom", "/sub"])
async def test_an_error_after_the_start_sends_no_second_start(
    with_middleware: bool, prefix: str
) -> None:
    messages = await call(make_app(with_middleware), prefix + "/stream")
    assert summary(messages)[:2] == [("http.response.start", 200), ("http.response.body", b"first")]
    assert sum(m["type"] == "http.response.start" for m in messages) == 1
    # Boom has a handler, too late to use: Starlette's error, raised to the server
    assert isinstance(messages.error, RuntimeError)
    assert str(messages.error) == "Caught handled exception, but response already started."


@STACKS
@pytest.mark.parametrize(
    ("prefix", "status", "body"),
    [
        ("/plain", 409, b'{"handled":"before"}'),
        ("/custom", 409, b'{"handled":"before"}'),
        ("/sub", 418, b"sub handled"),  # the mounted app's own layers: their own flag
    ],
)
async def test_an_error_before_the_start_is_answered_by_its_handler(
    with_middleware: bool, prefix: str, status: int, body: bytes
) -> None:
    messages = await call(make_app(with_middleware), prefix + "/before")
    assert summary(messages) == [("http.response.start", status), ("http.response.body", body)]
    assert messages.error is None


@STACKS
async def test_a_body_limit_answers_413_once(with_middleware: bool) -> None:
    messages = await call(make_app(with_middleware), "/upload", "POST", b'{"a": 12345}')
    starts = [m for m in messages if m["type"] == "http.response.start"]
    assert [m["status"] for m in starts] == [413]
    assert messages.error is None
