"""DatabasePoolMiddleware sharing a real engine (PostgreSQL through asyncpg, SQLite through
aiosqlite): handlers use ``request.state`` directly; an exhausted pool, a terminated backend and a
stopped server answer 503, other errors propagate, ``answer_unavailable=False`` keeps them raw."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from database_support import POOL, client_of, make_engine, terminate_backend_running
from postgres import PostgresServer
from sqlalchemy import text
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from fasterapi_core import Request, StreamingResponse
from fasterapi_core.database_unavailable import CONNECTION_LOST, POOL_EXHAUSTED, UNREACHABLE
from fasterapi_middleware import DatabasePoolMiddleware
from fasterapi_routing import Faster

pytestmark = pytest.mark.anyio


def pool_app(engine: AsyncEngine, **options: Any) -> Faster:
    app = Faster()
    app.add_middleware(DatabasePoolMiddleware, pool=engine, **options)

    @app.get("/count")
    async def count(request: Request) -> int:
        async with request.state.engine.connect() as conn:
            return int((await conn.execute(text("SELECT count(*) FROM notes"))).scalar_one())

    @app.get("/hold/{seconds}")
    async def hold(request: Request, seconds: float) -> str:
        async with request.state.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                await conn.execute(text("SELECT pg_sleep(:s)"), {"s": seconds})
            else:
                await conn.execute(text("SELECT 1"))
                await asyncio.sleep(seconds)
        return "held"

    @app.get("/stream")
    async def stream(request: Request) -> StreamingResponse:
        async def chunks() -> AsyncIterator[bytes]:
            yield b"started "
            async with request.state.engine.connect() as conn:  # after the response started
                yield str((await conn.execute(text("SELECT 1"))).scalar_one()).encode()

        return StreamingResponse(chunks(), media_type="text/plain")

    @app.get("/division")
    async def division(request: Request) -> int:
        async with request.state.engine.connect() as conn:
            return int((await conn.execute(text("SELECT 1 / 0"))).scalar_one())

    return app


@pytest.fixture(params=["postgresql", "sqlite"])
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}"
    else:
        url = request.getfixturevalue("postgres_server").url
    engine = await make_engine(url, **POOL)
    yield engine
    await engine.dispose()


async def test_pool_exhausted_answers_503(engine: AsyncEngine) -> None:
    async with client_of(pool_app(engine)) as client:
        holder = asyncio.create_task(client.get("/hold/2"))
        await asyncio.sleep(0.3)
        started = time.monotonic()
        response = await client.get("/count")
        waited = time.monotonic() - started
        assert (response.status_code, response.json()) == (503, {"detail": POOL_EXHAUSTED})
        assert response.headers["content-type"] == "application/json"
        assert 0.45 < waited < 1.5
        assert (await holder).json() == "held"
        assert (await client.get("/count")).json() == 0


async def test_pool_exhausted_raised_when_not_answered(engine: AsyncEngine) -> None:
    async with client_of(pool_app(engine, answer_unavailable=False)) as client:
        holder = asyncio.create_task(client.get("/hold/1.5"))
        await asyncio.sleep(0.3)
        with pytest.raises(PoolTimeoutError):
            await client.get("/count")
        assert (await holder).json() == "held"


async def test_pool_exhausted_after_the_response_started_propagates(engine: AsyncEngine) -> None:
    async with client_of(pool_app(engine)) as client:
        assert (await client.get("/stream")).text == "started 1"
        holder = asyncio.create_task(client.get("/hold/1.5"))
        await asyncio.sleep(0.3)
        with pytest.raises(PoolTimeoutError):  # too late for a 503: the 200 is on its way
            await client.get("/stream")
        assert (await holder).json() == "held"


async def test_other_errors_propagate(engine: AsyncEngine) -> None:
    async with client_of(pool_app(engine)) as client:
        if engine.dialect.name == "postgresql":  # SQLite answers NULL for 1 / 0
            with pytest.raises(Exception, match="division by zero"):
                await client.get("/division")
        assert (await client.get("/count")).json() == 0


async def test_backend_terminated_and_server_restarted(postgres_server: PostgresServer) -> None:
    engine = await make_engine(postgres_server.url, pool_pre_ping=True, **POOL)
    try:
        async with client_of(pool_app(engine)) as client:
            request = asyncio.create_task(client.get("/hold/10"))
            await terminate_backend_running(postgres_server, "SELECT pg_sleep")
            response = await asyncio.wait_for(request, 5)
            assert (response.status_code, response.json()) == (503, {"detail": CONNECTION_LOST})
            assert (await client.get("/count")).json() == 0
            postgres_server.stop()
            try:
                response = await asyncio.wait_for(client.get("/count"), 5)
                assert (response.status_code, response.json()) == (503, {"detail": UNREACHABLE})
            finally:
                postgres_server.start()
            assert (await client.get("/count")).json() == 0
    finally:
        await engine.dispose()


def _ignore_asyncpg_connection_lost(loop: asyncio.AbstractEventLoop) -> Any:
    """Let asyncpg's own report of a connection the server terminated pass (its protocol raises
    "unexpected connection_lost() call" in a loop callback, depending on timing, after the
    request already failed); anything else still reaches the previous handler (anyio's, which
    fails the test). Returns the previous handler."""
    previous = loop.get_exception_handler()

    def handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if isinstance(exc, ConnectionError) and str(exc) == "unexpected connection_lost() call":
            return
        if previous is not None:
            previous(loop, context)
        else:
            loop.default_exception_handler(context)

    loop.set_exception_handler(handler)
    return previous


async def test_raw_asyncpg_pool_connection_lost(postgres_server: PostgresServer) -> None:
    asyncpg = pytest.importorskip("asyncpg")
    loop = asyncio.get_running_loop()
    previous_handler = _ignore_asyncpg_connection_lost(loop)
    pool = await asyncpg.create_pool(postgres_server.dsn, min_size=1, max_size=1)
    try:
        app = Faster()
        app.add_middleware(DatabasePoolMiddleware, pool=pool, state_key="pool")

        @app.get("/sleep")
        async def sleep(request: Request) -> str:
            async with request.state.pool.acquire() as conn:
                await conn.execute("SELECT pg_sleep(10)")
            return "slept"

        async with client_of(app) as client:
            request = asyncio.create_task(client.get("/sleep"))
            await terminate_backend_running(postgres_server, "SELECT pg_sleep")
            response = await asyncio.wait_for(request, 5)
            assert (response.status_code, response.json()) == (503, {"detail": CONNECTION_LOST})
    finally:
        await pool.close()
        loop.set_exception_handler(previous_handler)


async def test_engine_disposed_at_shutdown_closes_postgres_connections(
    postgres_server: PostgresServer,
) -> None:
    engine = await make_engine(postgres_server.url, **POOL)
    app = pool_app(engine, dispose_on_shutdown=True)
    sent: list[str] = []
    messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])

    async def receive() -> Any:
        return next(messages)

    async def send(message: Any) -> None:
        sent.append(message["type"])

    async with client_of(app) as client:
        assert (await client.get("/count")).json() == 0
    await app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, receive, send)
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert engine.pool.checkedin() == 0  # type: ignore[attr-defined]
    other = create_async_engine(postgres_server.url)
    try:
        async with other.connect() as conn:
            open_here = await conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT count(*) FROM notes'"
                )
            )
            assert open_here.scalar_one() == 0
    finally:
        await other.dispose()
