"""Helpers of the database tests: engines with a fresh ``notes`` table, an httpx client on an
app, terminating the PostgreSQL backend that runs a query."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from postgres import PostgresServer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from fasterapi_routing import Faster

#: one connection, no overflow, half a second of waiting for it
POOL: dict[str, Any] = {"pool_size": 1, "max_overflow": 0, "pool_timeout": 0.5}


async def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    engine = create_async_engine(url, **kwargs)
    async with engine.begin() as conn:
        await conn.execute(text("DROP TABLE IF EXISTS notes"))
        key = "SERIAL" if engine.dialect.name == "postgresql" else "INTEGER"
        await conn.execute(text(f"CREATE TABLE notes (id {key} PRIMARY KEY, body TEXT)"))
    return engine


def client_of(app: Faster) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def terminate_backend_running(server: PostgresServer, query_start: str) -> None:
    """pg_terminate_backend() the backend running a query that starts with ``query_start``."""
    admin = create_async_engine(server.url)
    try:
        for _ in range(50):
            async with admin.connect() as conn:
                terminated = await conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE query LIKE :q AND pid <> pg_backend_pid()"
                    ),
                    {"q": query_start + "%"},
                )
                if terminated.all():
                    return
            await asyncio.sleep(0.05)
        raise AssertionError(f"no backend ran {query_start!r}")
    finally:
        await admin.dispose()
