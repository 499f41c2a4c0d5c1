"""Run blocking code without blocking the event loop: anyio worker threads.

Context variables set before the call are visible inside the worker thread (the call runs in a
copy of the caller's context, so changes made in the thread do not leak back).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import weakref
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import Any, ParamSpec, TypeVar

import anyio
import anyio.to_thread

__all__ = [
    "ConcurrencyLimit",
    "contextmanager_in_threadpool",
    "iterate_in_threadpool",
    "run_in_threadpool",
]

P = ParamSpec("P")
T = TypeVar("T")


async def run_in_threadpool(func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Call ``func(*args, **kwargs)`` in a worker thread and return (or raise) its result."""
    # anyio (>= 4) runs the call in a copy of the caller's context, so contextvars propagate.
    if kwargs:
        return await anyio.to_thread.run_sync(functools.partial(func, *args, **kwargs))
    return await anyio.to_thread.run_sync(func, *args)


class _Exhausted:
    """Marker returned by ``_next`` when the iterator is done (StopIteration cannot cross)."""


_EXHAUSTED = _Exhausted()


def _next(iterator: Iterator[T]) -> T | _Exhausted:
    try:
        return next(iterator)
    except StopIteration:
        return _EXHAUSTED


async def iterate_in_threadpool(iterator: Iterable[T]) -> AsyncIterator[T]:
    """Iterate a blocking (sync) iterable, each ``next()`` in a worker thread.

    When the async iterator is closed early the underlying iterator's ``close()`` (if any) is
    called, so a generator's ``finally`` blocks run.
    """
    it = iter(iterator)
    try:
        while True:
            item = await run_in_threadpool(_next, it)
            if item is _EXHAUSTED:
                return
            yield item  # type: ignore[misc]
    finally:
        close = getattr(it, "close", None)
        if close is not None:
            close()


@contextlib.asynccontextmanager
async def contextmanager_in_threadpool(
    cm: contextlib.AbstractContextManager[T],
) -> AsyncIterator[T]:
    """Use a blocking context manager from async code: ``__enter__`` and ``__exit__`` run in
    worker threads; an exception raised in the block is passed to ``__exit__``, which may
    suppress it (how ``yield`` dependencies written as plain generators run)."""
    value = await run_in_threadpool(cm.__enter__)
    try:
        yield value
    except BaseException as exc:
        if not await run_in_threadpool(cm.__exit__, type(exc), exc, exc.__traceback__):
            raise
    else:
        await run_in_threadpool(cm.__exit__, None, None, None)


class ConcurrencyLimit:
    """At most ``limit`` holders at once, per event loop (``Depends(max_concurrency=...)``):
    an anyio semaphore made for each loop that asks, so a limit declared at import time works
    under any loop (tests start several)."""

    __slots__ = ("_semaphores", "limit")

    def __init__(self, limit: int) -> None:
        if type(limit) is not int or limit < 1:
            raise ValueError("max_concurrency must be a positive integer or None")
        self.limit = limit
        self._semaphores: weakref.WeakKeyDictionary[Any, anyio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )

    def semaphore(self) -> anyio.Semaphore:
        """The running loop's semaphore."""
        loop = asyncio.get_running_loop()
        semaphore = self._semaphores.get(loop)
        if semaphore is None:
            semaphore = self._semaphores[loop] = anyio.Semaphore(self.limit)
        return semaphore
