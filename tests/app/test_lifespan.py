"""Lifespan: startup/shutdown handlers, lifespan= context managers, state, failures."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from FasterAPI import Faster, FasterRouter, Request, TestClient


def test_startup_and_shutdown_decorators_and_lists_run_in_order() -> None:
    events: list[str] = []
    app = Faster(
        on_startup=[lambda: events.append("list-start")],
        on_shutdown=[lambda: events.append("list-stop")],
    )

    @app.on_startup
    async def start() -> None:
        events.append("start")

    @app.on_shutdown
    def stop() -> None:
        events.append("stop")

    @app.on_event("startup")
    async def legacy() -> None:
        events.append("legacy")

    with TestClient(app):
        assert events == ["list-start", "start", "legacy"]
    assert events == ["list-start", "start", "legacy", "list-stop", "stop"]


def test_lifespan_state_reaches_requests() -> None:
    @asynccontextmanager
    async def lifespan(app: Faster) -> AsyncIterator[dict[str, Any]]:
        yield {"db": "connected", "counter": [0]}

    app = Faster(lifespan=lifespan)

    @app.get("/state")
    async def read_state(request: Request) -> dict[str, Any]:
        request.state["counter"][0] += 1
        return {
            "db": request.state["db"],
            "attr": request.state.db,
            "n": request.state["counter"][0],
        }

    with TestClient(app) as client:
        assert client.get("/state").json() == {"db": "connected", "attr": "connected", "n": 1}
        assert client.get("/state").json() == {"db": "connected", "attr": "connected", "n": 2}


def test_lifespan_teardown_runs_after_the_last_request() -> None:
    events: list[str] = []

    @asynccontextmanager
    async def lifespan(app: Faster) -> AsyncIterator[None]:
        events.append("enter")
        yield
        events.append("exit")

    app = Faster(lifespan=lifespan)
    with TestClient(app):
        assert events == ["enter"]
    assert events == ["enter", "exit"]


def test_failing_startup_is_reported_and_refuses_to_serve() -> None:
    app = Faster()

    @app.on_startup
    async def broken() -> None:
        raise RuntimeError("database unreachable")

    with pytest.raises(RuntimeError, match="database unreachable"), TestClient(app):
        pass


def test_included_router_lifespan_handlers_run() -> None:
    events: list[str] = []
    router = FasterRouter(on_startup=[lambda: events.append("router-start")])
    app = Faster()
    app.include_router(router)
    with TestClient(app):
        pass
    assert events == ["router-start"]


@pytest.mark.anyio
async def test_lifespan_protocol_messages() -> None:
    app = Faster()
    incoming = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return next(incoming)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, receive, send)
    assert sent == [{"type": "lifespan.startup.complete"}, {"type": "lifespan.shutdown.complete"}]


@pytest.mark.anyio
async def test_startup_failure_message() -> None:
    app = Faster()

    @app.on_startup
    def boom() -> None:
        raise ValueError("nope")

    incoming = iter([{"type": "lifespan.startup"}])
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return next(incoming)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, receive, send)
    assert len(sent) == 1
    assert sent[0]["type"] == "lifespan.startup.failed"
    assert "ValueError: nope" in sent[0]["message"]
