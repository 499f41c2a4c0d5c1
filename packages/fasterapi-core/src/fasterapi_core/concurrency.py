"""Run blocking code without blocking the event loop: anyio worker threads.

Context variables set before the call are visible inside the worker thread (the call runs in a
copy of the caller's context, so changes made in the thread do not leak back).
"""

from __future__ import annotations

import contextlib
import functools
import weakref
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from types import TracebackType
from typing import ParamSpec, TypeVar

import anyio
import anyio.to_thread
from anyio.lowlevel import RunVar, checkpoint_if_cancelled

__all__ = [
    "ConcurrencyLimit",
    "ShieldedCleanup",
    "contextmanager_in_threadpool",
    "holding",
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
    suppress it (how ``yield`` dependencies written as plain generators run).

    As in FastAPI, ``__exit__`` always runs once ``__enter__`` succeeded, even when the task is
    cancelled (the wait for it is shielded), and on a thread limiter of its own: a cleanup never
    waits for the default worker capacity (a context manager with a pool of its own could
    otherwise deadlock). A cancellation while ``__enter__`` runs waits for it to finish.
    """
    value = await run_in_threadpool(cm.__enter__)
    exit_limiter = anyio.CapacityLimiter(1)  # any limit: one caller
    try:
        yield value
    except BaseException as exc:
        with anyio.CancelScope(shield=True):
            suppress = await anyio.to_thread.run_sync(
                cm.__exit__, type(exc), exc, exc.__traceback__, limiter=exit_limiter
            )
        if not suppress:
            raise
    else:
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(cm.__exit__, None, None, None, limiter=exit_limiter)


class ShieldedCleanup(contextlib.AbstractAsyncContextManager[T]):
    """Enter ``cm`` (an async ``yield`` dependency) so that its code after ``yield`` runs to the
    end even when the request is cancelled, as in FastAPI: ``cleanup_scope``, a cancel scope
    entered before the request's first such dependency (so enclosing the scopes they open), is
    shielded while it runs. A cancellation that arrived meanwhile is delivered after it."""

    # PERF: a class, not an @asynccontextmanager generator (one frame less on each request;
    # 2026-12-07, 100k enter/exit, best of 5: 3.66 µs, 3.86 µs for the generator equivalent)
    __slots__ = ("_cm", "_scope", "_was_shielded")

    def __init__(
        self, cm: contextlib.AbstractAsyncContextManager[T], cleanup_scope: anyio.CancelScope
    ) -> None:
        self._cm = cm
        self._scope = cleanup_scope
        self._was_shielded = cleanup_scope.shield

    async def __aenter__(self) -> T:
        return await self._cm.__aenter__()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool | None:
        self._scope.shield = True
        try:
            suppressed = await self._cm.__aexit__(exc_type, exc, traceback)
        finally:
            self._scope.shield = self._was_shielded
        if exc_type is None or suppressed:
            # A task group the dependency owned may have absorbed the cancellation meanwhile.
            await checkpoint_if_cancelled()
        return suppressed


@contextlib.asynccontextmanager
async def holding(
    cm: contextlib.AbstractAsyncContextManager[T], semaphore: anyio.Semaphore
) -> AsyncIterator[T]:
    """Enter ``cm`` once ``semaphore`` has a place, kept until ``cm`` is exited (a ``yield``
    dependency with ``max_concurrency``); a failed entry gives the place back at once."""
    async with semaphore, cm as value:
        yield value


#: Per event loop run (asyncio or trio): each declaration's semaphore, dropped with it.
_semaphores: RunVar[weakref.WeakKeyDictionary[ConcurrencyLimit, anyio.Semaphore]] = RunVar(
    "fasterapi_dependency_semaphores"
)


class ConcurrencyLimit:
    """At most ``limit`` holders at once, per event loop run (``Depends(max_concurrency=...)``):
    an anyio semaphore made for each run that asks, so a limit declared at import time works
    under any loop, asyncio or trio (tests start several)."""

    __slots__ = ("__weakref__", "limit")

    def __init__(self, limit: int) -> None:
        if type(limit) is not int or limit < 1:
            raise ValueError("max_concurrency must be a positive integer or None")
        self.limit = limit

    @property
    def max_concurrency(self) -> int:
        """FastAPI's name for :attr:`limit`."""
        return self.limit

    def semaphore(self) -> anyio.Semaphore:
        """The running event loop's semaphore."""
        semaphores = _semaphores.get(None)
        if semaphores is None:
            semaphores = weakref.WeakKeyDictionary()
            _semaphores.set(semaphores)
        semaphore = semaphores.get(self)
        if semaphore is None:
            semaphore = semaphores[self] = anyio.Semaphore(self.limit)
        return semaphore

    get_semaphore = semaphore  # FastAPI's name
