"""Errors once a response has started: never a second ``http.response.start``.

The app is called as an ASGI callable with a recording ``send``, with and without user
middleware between the error layer and the router (the two ways the error layer learns that a
response started: the routes' own flag, or a wrapped ``send``).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import anyio
import pytest
from asgi_support import http_scope

from FasterAPI import (
    BackgroundTasks,
    Faster,
    FasterRouter,
    HTTPException,
    StreamingResponse,
)
from FasterAPI.middleware import BaseHTTPMiddleware

pytestmark = pytest.mark.anyio


class ClientGone(OSError):
    """What a server's send raises when the client has disconnected."""


class Boom(Exception):
    pass


async def broken_stream() -> AsyncIterator[bytes]:
    yield b"first"
    raise Boom("mid-stream")


class PassThrough(BaseHTTPMiddleware):
    """A user middleware in pure-ASGI style: the error layers are no longer fused."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)


def make_app(with_middleware: bool) -> Faster:
    app = Faster(openapi_url=None)
    if with_middleware:
        app.add_middleware(PassThrough)

    @app.get("/json")
    async def json_route() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/sync-json")
    def sync_json_route() -> dict[str, str]:  # the general handler (thread pool)
        return {"status": "ok"}

    @app.get("/stream")
    async def stream() -> StreamingResponse:
        return StreamingResponse(broken_stream(), media_type="text/plain")

    @app.get("/missing")
    async def missing() -> None:
        raise HTTPException(404, detail="nope")

    def failing_task() -> None:
        raise Boom("in background")

    @app.get("/background")
    async def background(tasks: BackgroundTasks) -> dict[str, str]:
        tasks.add_task(failing_task)
        return {"queued": "yes"}

    @app.exception_handler(Boom)
    async def boom_handler(request: Any, exc: Boom) -> StreamingResponse:
        return StreamingResponse(broken_stream(), status_code=409)

    @app.get("/handled-then-broken")
    async def handled() -> None:
        raise Boom("first failure")

    child = FasterRouter()

    @child.get("/stream")
    async def child_stream() -> StreamingResponse:
        return StreamingResponse(broken_stream(), media_type="text/plain")

    app.mount("/child", child)  # type: ignore[arg-type]
    return app


class Sent(list[dict[str, Any]]):
    """The messages an app sent, and the error it raised to the server (``None`` if none)."""

    error: BaseException | None = None


async def call(app: Faster, path: str, method: str = "GET", fail_from: int | None = None) -> Sent:
    """Every message the app tried to send (from the ``fail_from``-th on, send raises
    ClientGone); an error the app re-raises to the server is kept in ``.error``."""
    sent = Sent()
    received = False

    async def receive() -> dict[str, Any]:
        nonlocal received
        if received:  # the client stays connected
            await anyio.sleep_forever()
        received = True
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)
        if fail_from is not None and len(sent) > fail_from:
            raise ClientGone("connection reset")

    try:
        await app(http_scope(path, method), receive, send)
    except Exception as exc:  # the server's part: Starlette's semantics re-raise after the 500
        sent.error = exc
    return sent


def summary(messages: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    return [
        (m["type"], m["status"] if m["type"] == "http.response.start" else m.get("body", b""))
        for m in messages
    ]


STACKS = pytest.mark.parametrize("with_middleware", [False, True], ids=["fused", "middleware"])


@STACKS
async def test_error_mid_stream_sends_no_second_start(
    with_middleware: bool, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="fasterapi.error"):
        messages = await call(make_app(with_middleware), "/stream")
    assert summary(messages)[:2] == [("http.response.start", 200), ("http.response.body", b"first")]
    assert [m for m in messages if m["type"] == "http.response.start"] == messages[:1]
    assert "Exception in ASGI application (GET /stream)" in caplog.text
    assert messages.error is not None


@STACKS
@pytest.mark.parametrize("path", ["/json", "/sync-json"], ids=["fast-path", "general-path"])
@pytest.mark.parametrize("fail_from", [0, 1], ids=["start-fails", "body-fails"])
async def test_send_failing_on_the_json_path_is_not_retried_with_a_500(
    with_middleware: bool, path: str, fail_from: int, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="fasterapi.error"):
        messages = await call(make_app(with_middleware), path, fail_from=fail_from)
    expected = [("http.response.start", 200), ("http.response.body", b'{"status":"ok"}')]
    assert summary(messages) == expected[: fail_from + 1]
    assert "ClientGone" in caplog.text
    assert type(messages.error).__name__ == "ClientGone"


@STACKS
async def test_http_exception_before_start_is_answered(with_middleware: bool) -> None:
    messages = await call(make_app(with_middleware), "/missing")
    assert summary(messages) == [
        ("http.response.start", 404),
        ("http.response.body", b'{"detail":"nope"}'),
    ]


@STACKS
async def test_background_failure_after_the_response_sends_nothing_more(
    with_middleware: bool, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="fasterapi.error"):
        messages = await call(make_app(with_middleware), "/background")
    assert summary(messages) == [
        ("http.response.start", 200),
        ("http.response.body", b'{"queued":"yes"}'),
    ]
    # Boom has a handler, too late to use: Starlette's RuntimeError, re-raised to the server
    assert "Caught handled exception, but response already started" in caplog.text
    assert isinstance(messages.error, RuntimeError)
    assert isinstance(messages.error.__cause__, Boom)
    assert str(messages.error.__cause__) == "in background"


@STACKS
async def test_handler_response_failing_mid_stream_sends_no_500(with_middleware: bool) -> None:
    messages = await call(make_app(with_middleware), "/handled-then-broken")
    assert summary(messages)[:2] == [("http.response.start", 409), ("http.response.body", b"first")]
    assert sum(m["type"] == "http.response.start" for m in messages) == 1
    assert messages.error is not None


@STACKS
async def test_mounted_router_failing_mid_stream_sends_no_500(with_middleware: bool) -> None:
    messages = await call(make_app(with_middleware), "/child/stream")
    assert summary(messages)[:2] == [("http.response.start", 200), ("http.response.body", b"first")]
    assert sum(m["type"] == "http.response.start" for m in messages) == 1
    assert messages.error is not None


@STACKS
async def test_head_on_the_fast_json_path_keeps_the_length_and_drops_the_body(
    with_middleware: bool,
) -> None:
    messages = await call(make_app(with_middleware), "/json", method="HEAD")
    assert summary(messages) == [("http.response.start", 200), ("http.response.body", b"")]
    assert messages[0]["headers"] == [
        (b"content-type", b"application/json"),
        (b"content-length", b"15"),
    ]
