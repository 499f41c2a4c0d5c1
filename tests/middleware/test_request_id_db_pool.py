"""RequestIDMiddleware and DatabasePoolMiddleware."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
import structlog
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from fasterapi_core.encoding import json_encode
from fasterapi_core.types import Message, Receive, Scope, Send
from fasterapi_middleware import DatabasePoolMiddleware, RequestIDMiddleware

pytestmark = pytest.mark.anyio

HEX32 = re.compile(r"[0-9a-f]{32}")


async def report(scope: Scope, receive: Receive, send: Send) -> None:
    """Echo what the app sees: the id in state, its header and structlog's context."""
    seen = {
        "state": scope["state"]["request_id"],
        "header": [v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"],
        "ctx": structlog.contextvars.get_contextvars().get("request_id"),
    }
    body = json_encode(seen)
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"x-request-id", b"app-set"), (b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})


def client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def test_generates_id() -> None:
    async with client(RequestIDMiddleware(report)) as c:
        r = await c.get("/")
    rid = r.headers["x-request-id"]
    assert HEX32.fullmatch(rid)
    assert r.headers.get_list("x-request-id") == [rid]
    assert r.json() == {"state": rid, "header": [rid], "ctx": rid}
    assert structlog.contextvars.get_contextvars().get("request_id") is None


async def test_propagates_safe_id() -> None:
    rid = "abc.DEF_123-" + "x" * 116  # 128 characters
    async with client(RequestIDMiddleware(report)) as c:
        r = await c.get("/", headers={"x-request-id": rid})
    assert r.headers["x-request-id"] == rid
    assert r.json() == {"state": rid, "header": [rid], "ctx": rid}


@pytest.mark.parametrize(
    "headers",
    [
        [(b"x-request-id", b"abc\r\nSet-Cookie: a=b")],
        [(b"x-request-id", b"a" * 10_240)],
        [(b"x-request-id", b"a" * 129)],
        [(b"x-request-id", "caf\u00e9".encode())],
        [(b"x-request-id", b"has space")],
        [(b"x-request-id", b"")],
        [(b"x-request-id", b"one"), (b"x-request-id", b"two")],
    ],
)
async def test_hostile_ids_replaced(headers: list[tuple[bytes, bytes]]) -> None:
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    async def receive() -> Message:
        return {"type": "http.request"}

    scope = {"type": "http", "method": "GET", "path": "/", "headers": headers}
    await RequestIDMiddleware(report)(scope, receive, send)
    out = dict(sent[0]["headers"])[b"x-request-id"].decode()
    assert HEX32.fullmatch(out)
    assert json_encode({"state": out, "header": [out], "ctx": out}) == sent[1]["body"]
    assert scope["state"] == {"request_id": out}


async def test_custom_header_and_existing_state_and_websocket() -> None:
    captured: list[Any] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        captured.append(dict(scope["state"]))
        await send({"type": "websocket.accept", "headers": [(b"x-other", b"1")]})

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "websocket",
        "path": "/",
        "headers": [(b"x-correlation-id", b"corr-1")],
        "state": {"engine": "e"},
    }
    await RequestIDMiddleware(app, header_name="X-Correlation-ID")(scope, None, send)  # type: ignore[arg-type]
    assert captured == [{"engine": "e", "request_id": "corr-1"}]
    assert sent == [
        {
            "type": "websocket.accept",
            "headers": [(b"x-other", b"1"), (b"x-correlation-id", b"corr-1")],
        }
    ]
    with pytest.raises(ValueError, match="header name"):
        RequestIDMiddleware(app, header_name="bad name")


async def test_works_without_structlog(monkeypatch: pytest.MonkeyPatch) -> None:
    import fasterapi_middleware.request_id as module

    monkeypatch.setattr(module, "_load_structlog", lambda: None)
    async with client(RequestIDMiddleware(report)) as c:
        r = await c.get("/", headers={"x-request-id": "given"})
    assert r.json() == {"state": "given", "header": ["given"], "ctx": None}


async def run_lifespan(app: Any) -> list[Message]:
    incoming = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[Message] = []

    async def receive() -> Message:
        return incoming.pop(0)

    async def send(message: Message) -> None:
        sent.append(message)

    await app({"type": "lifespan", "state": {}}, receive, send)
    return sent


async def lifespan_app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            else:
                await send({"type": "lifespan.shutdown.complete"})
                return
    engine = scope["state"]["engine"]
    text = type(engine).__name__.encode()
    if isinstance(engine, AsyncEngine):
        async with engine.connect() as conn:
            from sqlalchemy import text as sql

            value = (await conn.execute(sql("select 40 + 2"))).scalar_one()
        text += b":%d" % value
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": text})


async def test_sqlalchemy_engine_in_state_and_disposed() -> None:
    engine = create_async_engine("sqlite+aiosqlite://")
    pool_before = engine.sync_engine.pool
    mw = DatabasePoolMiddleware(lifespan_app, pool=engine, dispose_on_shutdown=True)
    async with client(mw) as c:
        r = await c.get("/")
    assert r.text == "AsyncEngine:42"
    assert engine.sync_engine.pool is pool_before
    assert await run_lifespan(mw) == [
        {"type": "lifespan.startup.complete"},
        {"type": "lifespan.shutdown.complete"},
    ]
    assert engine.sync_engine.pool is not pool_before  # dispose() swaps in a fresh pool


class FakeAsyncpgPool:
    """Same shape as asyncpg.Pool for what the middleware touches: an async close()."""

    def __init__(self, fail: bool = False) -> None:
        self.closed = False
        self.fail = fail

    async def close(self) -> None:
        if self.fail:
            raise RuntimeError("boom")
        self.closed = True


async def test_asyncpg_style_pool_closed_and_custom_key(caplog: pytest.LogCaptureFixture) -> None:
    pool = FakeAsyncpgPool()
    seen: list[Any] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan_app(scope, receive, send)
            return
        seen.append(scope["state"]["db"])

    mw = DatabasePoolMiddleware(app, pool=pool, state_key="db", dispose_on_shutdown=True)
    await mw({"type": "websocket", "headers": []}, None, None)  # type: ignore[arg-type]
    assert seen == [pool]
    assert (await run_lifespan(mw))[-1] == {"type": "lifespan.shutdown.complete"}
    assert pool.closed

    failing = DatabasePoolMiddleware(app, pool=FakeAsyncpgPool(fail=True), dispose_on_shutdown=True)
    result = await run_lifespan(failing)
    assert result[-1] == {"type": "lifespan.shutdown.failed", "message": "RuntimeError('boom')"}
    assert "closing the database pool failed" in caplog.text


async def test_pool_not_closed_by_default_and_option_errors() -> None:
    pool = FakeAsyncpgPool()
    await run_lifespan(DatabasePoolMiddleware(lifespan_app, pool=pool))
    assert not pool.closed
    with pytest.raises(ValueError, match="dispose"):
        DatabasePoolMiddleware(lifespan_app, pool=object(), dispose_on_shutdown=True)
    with pytest.raises(ValueError, match="state_key"):
        DatabasePoolMiddleware(lifespan_app, pool=pool, state_key="")
    with pytest.raises(ValueError, match="None"):
        DatabasePoolMiddleware(lifespan_app, pool=None)


async def test_old_structlog_without_reset_uses_unbind(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(structlog.contextvars, "reset_contextvars")
    structlog.contextvars.bind_contextvars(user="u1")
    try:
        async with client(RequestIDMiddleware(report)) as c:
            r = await c.get("/", headers={"x-request-id": "abc"})
        assert r.json() == {"state": "abc", "header": ["abc"], "ctx": "abc"}
        assert structlog.contextvars.get_contextvars() == {"user": "u1"}
    finally:
        structlog.contextvars.clear_contextvars()
