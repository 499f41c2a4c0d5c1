"""BackgroundTask and BackgroundTasks."""

from __future__ import annotations

import functools
import threading

import pytest

from fasterapi_core.background import BackgroundTask, BackgroundTasks, is_async_callable
from fasterapi_core.responses import PlainTextResponse

pytestmark = pytest.mark.anyio


async def test_async_and_sync_tasks_run_with_arguments() -> None:
    calls: list[tuple[str, int, str]] = []
    threads: list[int] = []

    async def async_task(a: int, *, b: str) -> None:
        calls.append(("async", a, b))

    def sync_task(a: int, *, b: str) -> None:
        threads.append(threading.get_ident())
        calls.append(("sync", a, b))

    await BackgroundTask(async_task, 1, b="x").run()
    await BackgroundTask(sync_task, 2, b="y")()
    assert calls == [("async", 1, "x"), ("sync", 2, "y")]
    assert threads != [threading.get_ident()]


async def test_single_task_exception_propagates_from_run() -> None:
    def fail() -> None:
        raise ValueError("nope")

    with pytest.raises(ValueError, match="nope"):
        await BackgroundTask(fail).run()


async def test_tasks_run_in_order() -> None:
    order: list[str] = []

    async def record(name: str) -> None:
        order.append(name)

    tasks = BackgroundTasks()
    tasks.add_task(record, "first")
    tasks.add_task(order.append, "second")
    tasks.add_task(record, name="third")
    await tasks.run()
    assert order == ["first", "second", "third"]


async def test_a_failing_task_stops_the_run_and_propagates() -> None:
    """As Starlette's: the first task that raises stops the run; its exception propagates."""
    order: list[str] = []

    async def boom() -> None:
        order.append("boom")
        raise RuntimeError("task exploded")

    def sync_boom() -> None:
        order.append("sync boom")
        raise KeyError("sync exploded")

    tasks = BackgroundTasks([BackgroundTask(order.append, "a")])
    tasks.add_task(boom)
    tasks.add_task(sync_boom)
    tasks.add_task(order.append, "b")
    with pytest.raises(RuntimeError, match="task exploded"):
        await tasks.run()
    assert order == ["a", "boom"]

    sync_first = BackgroundTasks()
    sync_first.add_task(sync_boom)  # from the thread pool
    sync_first.add_task(order.append, "c")
    with pytest.raises(KeyError, match="sync exploded"):
        await sync_first()
    assert order == ["a", "boom", "sync boom"]


async def test_response_background_error_propagates_after_the_response() -> None:
    def fail() -> None:
        raise ValueError("after response")

    sent: list[str] = []

    async def send(message: dict[str, object]) -> None:
        sent.append(str(message["type"]))

    async def receive() -> dict[str, object]:
        raise AssertionError

    response = PlainTextResponse("ok", background=BackgroundTask(fail))
    with pytest.raises(ValueError, match="after response"):
        await response({"type": "http"}, receive, send)
    assert sent == ["http.response.start", "http.response.body"]


async def test_background_tasks_usable_as_response_background() -> None:
    order: list[str] = []
    tasks = BackgroundTasks()
    tasks.add_task(order.append, "x")

    async def send(message: dict[str, object]) -> None:
        order.append(str(message["type"]))

    await PlainTextResponse("ok", background=tasks).to_asgi(send)
    assert order == ["http.response.start", "http.response.body", "x"]


def test_is_async_callable() -> None:
    async def coro() -> None: ...

    def plain() -> None: ...

    class AsyncCallable:
        async def __call__(self) -> None: ...

    class SyncCallable:
        def __call__(self) -> None: ...

    assert is_async_callable(coro)
    assert is_async_callable(functools.partial(functools.partial(coro)))
    assert is_async_callable(AsyncCallable())
    assert not is_async_callable(plain)
    assert not is_async_callable(SyncCallable())
    assert not is_async_callable(AsyncCallable)
    assert not is_async_callable(42)
