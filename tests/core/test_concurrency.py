"""run_in_threadpool and iterate_in_threadpool."""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Iterator

import pytest

from fasterapi_core.concurrency import iterate_in_threadpool, run_in_threadpool

pytestmark = pytest.mark.anyio

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="unset")


async def test_runs_in_worker_thread_with_args_and_kwargs() -> None:
    def work(a: int, b: int, *, scale: int = 1) -> tuple[int, int]:
        return (a + b) * scale, threading.get_ident()

    result, thread = await run_in_threadpool(work, 1, 2, scale=10)
    assert result == 30
    assert thread != threading.get_ident()
    assert (await run_in_threadpool(work, 3, 4))[0] == 7


async def test_contextvars_propagate_to_the_thread() -> None:
    token = request_id.set("req-42")
    try:
        assert await run_in_threadpool(request_id.get) == "req-42"
    finally:
        request_id.reset(token)
    assert await run_in_threadpool(request_id.get) == "unset"


async def test_exceptions_propagate() -> None:
    def fail() -> None:
        raise LookupError("from thread")

    with pytest.raises(LookupError, match="from thread"):
        await run_in_threadpool(fail)


async def test_iterate_in_threadpool_yields_all_items_off_the_loop() -> None:
    threads: list[int] = []

    def gen() -> Iterator[int]:
        for i in range(3):
            threads.append(threading.get_ident())
            yield i

    assert [item async for item in iterate_in_threadpool(gen())] == [0, 1, 2]
    assert threading.get_ident() not in threads
    assert [item async for item in iterate_in_threadpool([])] == []


async def test_iterate_in_threadpool_closes_iterator_when_stopped_early() -> None:
    closed: list[bool] = []

    def gen() -> Iterator[int]:
        try:
            yield from range(100)
        finally:
            closed.append(True)

    iterator = iterate_in_threadpool(gen())
    assert await iterator.__anext__() == 0
    await iterator.aclose()  # type: ignore[attr-defined]
    assert closed == [True]


async def test_iterate_in_threadpool_propagates_errors() -> None:
    def gen() -> Iterator[int]:
        yield 1
        raise ValueError("bad item")

    items: list[int] = []
    with pytest.raises(ValueError, match="bad item"):
        async for item in iterate_in_threadpool(gen()):
            items.append(item)
    assert items == [1]
