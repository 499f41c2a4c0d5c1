"""sqlalchemy_session_dependency on a real PostgreSQL (asyncpg) and on SQLite (aiosqlite):
commit and rollback seen from another connection, pool exhaustion, a backend terminated during a
request, the server stopped and started again."""

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
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from fasterapi_core import Depends, HTTPException
from fasterapi_core.database_unavailable import CONNECTION_LOST, POOL_EXHAUSTED, UNREACHABLE
from fasterapi_extras.sqlalchemy_ext import sqlalchemy_session_dependency
from fasterapi_routing import Faster

pytestmark = pytest.mark.anyio


def session_app(engine: AsyncEngine) -> Faster:
    get_session = sqlalchemy_session_dependency(async_sessionmaker(engine, expire_on_commit=False))
    app = Faster()

    @app.post("/notes/{body}")
    async def add(body: str, session: AsyncSession = Depends(get_session)) -> dict[str, Any]:
        await session.execute(text("INSERT INTO notes (body) VALUES (:b)"), {"b": body})
        await session.commit()
        return {"added": body}

    @app.post("/broken/{body}")
    async def broken(body: str, session: AsyncSession = Depends(get_session)) -> None:
        await session.execute(text("INSERT INTO notes (body) VALUES (:b)"), {"b": body})
        await session.flush()
        raise HTTPException(409, "conflict")

    @app.get("/notes")
    async def notes(session: AsyncSession = Depends(get_session)) -> list[str]:
        result = await session.execute(text("SELECT body FROM notes ORDER BY id"))
        return [row[0] for row in result]

    @app.get("/sleep/{seconds}")
    async def sleep(seconds: float, session: AsyncSession = Depends(get_session)) -> str:
        sql = "SELECT pg_sleep(:s)" if engine.dialect.name == "postgresql" else "SELECT :s"
        await session.execute(text(sql), {"s": seconds})
        await asyncio.sleep(seconds if engine.dialect.name != "postgresql" else 0)
        return "slept"

    @app.get("/bad-sql")
    async def bad_sql(session: AsyncSession = Depends(get_session)) -> None:
        await session.execute(text("SELECT * FROM no_such_table"))

    return app


@pytest.fixture(params=["postgresql", "sqlite"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.url


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = await make_engine(database_url, **POOL)
    yield engine
    await engine.dispose()


async def rows_seen_elsewhere(url: str) -> list[str]:
    """The notes as a separate engine (another connection) sees them."""
    other = create_async_engine(url)
    try:
        async with other.connect() as conn:
            return [
                row[0] for row in await conn.execute(text("SELECT body FROM notes ORDER BY id"))
            ]
    finally:
        await other.dispose()


async def test_commit_on_success_rollback_on_error(engine: AsyncEngine, database_url: str) -> None:
    async with client_of(session_app(engine)) as client:
        response = await client.post("/notes/kept")
        assert (response.status_code, response.json()) == (200, {"added": "kept"})
        response = await client.post("/broken/lost")
        assert (response.status_code, response.json()) == (409, {"detail": "conflict"})
        assert await rows_seen_elsewhere(database_url) == ["kept"]
        # the single pooled connection came back clean: the next request sees no open transaction
        response = await client.get("/notes")
        assert (response.status_code, response.json()) == (200, ["kept"])


async def test_other_database_errors_stay_errors(engine: AsyncEngine) -> None:
    async with client_of(session_app(engine)) as client:
        # a bug, not an outage: raised (a 500), never a 503
        with pytest.raises((ProgrammingError, OperationalError), match="no_such_table"):
            await client.get("/bad-sql")
        response = await client.get("/notes")
        assert (response.status_code, response.json()) == (200, [])


async def test_pool_exhausted_answers_503_after_pool_timeout(engine: AsyncEngine) -> None:
    async with client_of(session_app(engine)) as client:
        holder = asyncio.create_task(client.get("/sleep/2"))
        await asyncio.sleep(0.3)  # the holder has the only connection
        started = time.monotonic()
        response = await client.get("/notes")
        waited = time.monotonic() - started
        assert (response.status_code, response.json()) == (503, {"detail": POOL_EXHAUSTED})
        assert 0.45 < waited < 1.5
        held = await holder
        assert (held.status_code, held.json()) == (200, "slept")
        response = await client.get("/notes")
        assert (response.status_code, response.json()) == (200, [])


async def test_backend_terminated_during_request_answers_503(
    postgres_server: PostgresServer,
) -> None:
    engine = await make_engine(postgres_server.url, **POOL)
    try:
        async with client_of(session_app(engine)) as client:
            request = asyncio.create_task(client.get("/sleep/10"))
            started = time.monotonic()
            await terminate_backend_running(postgres_server, "SELECT pg_sleep")
            response = await asyncio.wait_for(request, 5)
            assert time.monotonic() - started < 5
            assert (response.status_code, response.json()) == (503, {"detail": CONNECTION_LOST})
            # the lost connection was discarded: the next request gets a new one
            response = await client.post("/notes/after")
            assert (response.status_code, response.json()) == (200, {"added": "after"})
    finally:
        await engine.dispose()


@pytest.mark.parametrize(
    ("pre_ping", "first_detail"), [(True, UNREACHABLE), (False, CONNECTION_LOST)]
)
async def test_server_stopped_then_started(
    postgres_server: PostgresServer, pre_ping: bool, first_detail: str
) -> None:
    engine = await make_engine(postgres_server.url, pool_pre_ping=pre_ping, **POOL)
    try:
        async with client_of(session_app(engine)) as client:
            assert (await client.post("/notes/before")).status_code == 200
            postgres_server.stop()
            try:
                response = await asyncio.wait_for(client.get("/notes"), 5)
                assert (response.status_code, response.json()) == (503, {"detail": first_detail})
                response = await asyncio.wait_for(client.get("/notes"), 5)
                assert (response.status_code, response.json()) == (503, {"detail": UNREACHABLE})
            finally:
                postgres_server.start()
            response = await client.get("/notes")
            assert (response.status_code, response.json()) == (200, ["before"])
    finally:
        await engine.dispose()


async def test_pool_size_plus_overflow_is_the_limit(postgres_server: PostgresServer) -> None:
    engine = await make_engine(postgres_server.url, pool_size=1, max_overflow=1, pool_timeout=0.5)
    try:
        async with client_of(session_app(engine)) as client:
            holders = [asyncio.create_task(client.get("/sleep/2")) for _ in range(2)]
            await asyncio.sleep(0.4)
            observer = create_async_engine(postgres_server.url)
            async with observer.connect() as conn:
                sleeping = await conn.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'"
                    )
                )
                assert sleeping.scalar_one() == 2  # the overflow connection is in use too
            await observer.dispose()
            response = await client.get("/notes")
            assert (response.status_code, response.json()) == (503, {"detail": POOL_EXHAUSTED})
            assert [(await holder).json() for holder in holders] == ["slept", "slept"]
            response = await client.get("/notes")
            assert (response.status_code, response.json()) == (200, [])
    finally:
        await engine.dispose()
