"""SQLAlchemy helpers through a real Faster app on SQLite (aiosqlite)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from fasterapi_core import Depends, HTTPException
from fasterapi_core.testclient import TestClient
from fasterapi_extras.sqlalchemy_ext import (
    async_engine_from_url_optional,
    sqlalchemy_session_dependency,
)
from fasterapi_routing import Faster

EVENTS: list[str] = []


class RecordingSession(AsyncSession):
    async def rollback(self) -> None:
        EVENTS.append("rollback")
        await super().rollback()

    async def close(self) -> None:
        EVENTS.append("close")
        await super().close()


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    EVENTS.clear()
    engine = async_engine_from_url_optional(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}")
    assert isinstance(engine, AsyncEngine)
    session_local = async_sessionmaker(engine, expire_on_commit=False, class_=RecordingSession)
    get_session = sqlalchemy_session_dependency(session_local)
    app = Faster()
    sessions: list[int] = []

    @app.on_startup
    async def create_table() -> None:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))

    @app.on_shutdown
    async def dispose() -> None:
        await engine.dispose()

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
        sessions.append(id(session))
        result = await session.execute(text("SELECT body FROM notes ORDER BY id"))
        return [row[0] for row in result]

    with TestClient(app) as test_client:
        yield test_client


def test_insert_then_read_in_another_request(client: TestClient) -> None:
    assert client.post("/notes/first").json() == {"added": "first"}
    assert client.post("/notes/second").json() == {"added": "second"}
    assert client.get("/notes").json() == ["first", "second"]
    assert EVENTS == ["close", "close", "close"]


def test_error_in_handler_rolls_back(client: TestClient) -> None:
    client.post("/notes/kept")
    EVENTS.clear()
    response = client.post("/broken/lost")
    assert (response.status_code, response.json()) == (409, {"detail": "conflict"})
    assert EVENTS == ["rollback", "close"]
    assert client.get("/notes").json() == ["kept"]


def test_missing_sqlalchemy_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sqlalchemy.ext.asyncio", None)
    with pytest.raises(ImportError, match=r'pip install "fasterapi-extras\[sqlalchemy\]"'):
        async_engine_from_url_optional("sqlite+aiosqlite://")
