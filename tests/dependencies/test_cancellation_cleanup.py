"""``yield`` dependencies when the request is cancelled (FastAPI 0.165): the code after
``yield`` runs to the end, async or sync (a sync one's in a worker thread), in reverse order,
for ``scope="function"`` and ``"request"``; the cancellation is delivered once it is done.
Each case runs the same app on FasterAPI and on FastAPI and compares what happened."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
import anyio.from_thread
import anyio.lowlevel
import fastapi
import httpx
import pytest
from anyio.abc import TaskStatus

import FasterAPI

FRAMEWORKS = {"fasterapi": (FasterAPI, FasterAPI.Faster), "fastapi": (fastapi, fastapi.FastAPI)}


def client_for(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def cancel_while(app: Any, ready: anyio.Event, path: str = "/") -> bool:
    """Send a request, cancel it once ``ready`` is set; True when it ended cancelled."""
    finished = anyio.Event()
    async with client_for(app) as client:

        async def request(*, task_status: TaskStatus[anyio.CancelScope]) -> None:
            with anyio.CancelScope() as scope:
                task_status.started(scope)
                await client.get(path)
            finished.set()

        async with anyio.create_task_group() as group:
            scope = await group.start(request)
            with anyio.fail_after(5):
                await ready.wait()
                scope.cancel()
                await finished.wait()
    return scope.cancelled_caught


def async_cleanup_events(fw: Any, app_cls: Any, scope: str) -> list[str]:
    events: list[str] = []
    ready = anyio.Event()
    app = app_cls()

    async def resource() -> AsyncIterator[str]:
        events.append("enter")
        try:
            yield "r"
        finally:
            events.append("cleanup start")
            await anyio.sleep(0.01)  # a checkpoint: cancelled unless shielded
            events.append("cleanup end")

    @app.get("/")
    async def endpoint(_: str = fw.Depends(resource, scope=scope)) -> str:
        ready.set()
        await anyio.sleep_forever()
        return "never"  # pragma: no cover

    assert anyio.run(cancel_while, app, ready)
    return events


@pytest.mark.parametrize("scope", ["function", "request"])
def test_async_cleanup_finishes_when_cancelled(scope: str) -> None:
    ours = async_cleanup_events(FasterAPI, FasterAPI.Faster, scope)
    theirs = async_cleanup_events(fastapi, fastapi.FastAPI, scope)
    assert ours == theirs == ["enter", "cleanup start", "cleanup end"]


def nested_sync_cleanup(fw: Any, app_cls: Any, scope: str) -> tuple[list[str], set[bool]]:
    order: list[str] = []
    in_worker: set[bool] = set()
    ready = anyio.Event()
    loop_thread = threading.get_ident()
    app = app_cls()

    def outer() -> Iterator[None]:
        try:
            yield
        finally:
            in_worker.add(threading.get_ident() != loop_thread)
            order.append("outer")

    def inner(_: None = fw.Depends(outer, scope=scope)) -> Iterator[None]:
        try:
            yield
        finally:
            in_worker.add(threading.get_ident() != loop_thread)
            order.append("inner")

    @app.get("/")
    async def endpoint(_: None = fw.Depends(inner, scope=scope)) -> None:
        ready.set()
        await anyio.sleep_forever()

    assert anyio.run(cancel_while, app, ready)
    return order, in_worker


@pytest.mark.parametrize("scope", ["function", "request"])
def test_nested_sync_cleanups_run_in_workers_when_cancelled(scope: str) -> None:
    ours = nested_sync_cleanup(FasterAPI, FasterAPI.Faster, scope)
    theirs = nested_sync_cleanup(fastapi, fastapi.FastAPI, scope)
    assert ours == theirs == (["inner", "outer"], {True})


def mixed_order(fw: Any, app_cls: Any, owner_scope: str, plain_sync: bool) -> list[str]:
    """A dependency holding a cancel scope across its ``yield`` next to a plain one, the
    request cancelled from outside while the endpoint runs."""
    events: list[str] = []
    external: dict[str, anyio.CancelScope] = {}
    other_scope = "request" if owner_scope == "function" else "function"
    app = app_cls()

    async def owner() -> AsyncIterator[None]:
        with anyio.CancelScope():
            events.append("owner enter")
            try:
                yield
            finally:
                await anyio.lowlevel.checkpoint()
                events.append("owner cleanup")

    async def plain() -> AsyncIterator[None]:
        events.append("plain enter")
        try:
            yield
        finally:
            await anyio.lowlevel.checkpoint()
            events.append("plain cleanup")

    def sync_plain() -> Iterator[None]:
        events.append("plain enter")
        try:
            yield
        finally:
            anyio.from_thread.run(anyio.sleep, 0)
            events.append("plain cleanup")

    dependencies = [
        fw.Depends(owner, scope=owner_scope),
        fw.Depends(sync_plain if plain_sync else plain, scope=other_scope),
    ]

    @app.get("/", dependencies=dependencies)
    async def endpoint() -> str:
        external["scope"].cancel()
        await anyio.lowlevel.checkpoint()
        return "ok"  # pragma: no cover

    async def main() -> None:
        async with client_for(app) as client:
            with anyio.CancelScope() as external["scope"]:
                await client.get("/")

    anyio.run(main)
    return events


@pytest.mark.parametrize("plain_sync", [False, True])
@pytest.mark.parametrize("owner_scope", ["function", "request"])
def test_cleanup_order_with_a_cancel_scope_dependency(owner_scope: str, plain_sync: bool) -> None:
    ours = mixed_order(FasterAPI, FasterAPI.Faster, owner_scope, plain_sync)
    theirs = mixed_order(fastapi, fastapi.FastAPI, owner_scope, plain_sync)
    assert ours == theirs
    first, second = ("owner", "plain") if owner_scope == "function" else ("plain", "owner")
    assert ours[-2:] == [f"{first} cleanup", f"{second} cleanup"]


def override_with_yield(fw: Any, app_cls: Any) -> tuple[list[str], bool]:
    """An override with ``yield`` for a plain dependency on a route without any: its cleanup
    runs (the route gets exit stacks), also when the request is cancelled."""
    events: list[str] = []
    external: dict[str, anyio.CancelScope] = {}
    app = app_cls()

    async def ordinary() -> int:
        return 42  # pragma: no cover

    async def resource() -> AsyncIterator[int]:
        events.append("enter")
        try:
            yield 42
        finally:
            await anyio.lowlevel.checkpoint()
            events.append("cleanup")

    @app.get("/")
    async def endpoint(value: int = fw.Depends(ordinary)) -> dict[str, int]:
        external["scope"].cancel()
        await anyio.lowlevel.checkpoint()
        return {"value": value}  # pragma: no cover

    app.dependency_overrides[ordinary] = resource

    async def main() -> None:
        async with client_for(app) as client:
            with anyio.CancelScope() as external["scope"]:
                await client.get("/")

    anyio.run(main)
    return events, external["scope"].cancelled_caught


def test_override_with_yield_is_torn_down() -> None:
    ours = override_with_yield(FasterAPI, FasterAPI.Faster)
    theirs = override_with_yield(fastapi, fastapi.FastAPI)
    assert ours == theirs == (["enter", "cleanup"], True)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_override_installed_during_the_request_applies(framework: str) -> None:
    fw, app_cls = FRAMEWORKS[framework]
    app = app_cls()

    async def original() -> str:
        return "original"  # pragma: no cover

    async def replacement() -> str:
        return "replacement"

    async def configure() -> None:
        app.dependency_overrides[original] = replacement

    @app.get("/")
    async def endpoint(_: None = fw.Depends(configure), value: str = fw.Depends(original)) -> str:
        return value

    async def main() -> httpx.Response:
        async with client_for(app) as client:
            return await client.get("/")

    response = anyio.run(main)
    assert (response.status_code, response.json()) == (200, "replacement")
