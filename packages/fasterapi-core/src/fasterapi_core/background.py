"""Background tasks: callables run after the response has been sent."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable
from typing import Any

from fasterapi_core.concurrency import run_in_threadpool

__all__ = ["BackgroundTask", "BackgroundTasks", "is_async_callable", "run_background"]


def is_async_callable(obj: Any) -> bool:
    """True for coroutine functions, partials of them and objects with an async ``__call__``."""
    while isinstance(obj, functools.partial):
        obj = obj.func
    if inspect.iscoroutinefunction(obj):
        return True
    return callable(obj) and inspect.iscoroutinefunction(type(obj).__call__)


class BackgroundTask:
    """One call to make later: ``BackgroundTask(func, *args, **kwargs)``.

    ``await task.run()`` awaits an async ``func`` or runs a sync one in the threadpool; its
    exception, if any, propagates to the caller.
    """

    __slots__ = ("args", "func", "is_async", "kwargs")

    def __init__(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        self.func = func
        self.args = args
        self.kwargs = kwargs
        self.is_async = is_async_callable(func)

    async def run(self) -> None:
        """Run the task now."""
        if self.is_async:
            await self.func(*self.args, **self.kwargs)
        else:
            await run_in_threadpool(self.func, *self.args, **self.kwargs)

    async def __call__(self) -> None:
        await self.run()

    def __repr__(self) -> str:
        name = getattr(self.func, "__qualname__", repr(self.func))
        return f"{type(self).__name__}({name})"


class BackgroundTasks(BackgroundTask):
    """An ordered list of tasks, run one after another by ``await tasks.run()``.

    As Starlette's (FastAPI 0.165): the first task that raises stops the run (the following
    tasks do not run: a later task often depends on an earlier one) and its exception
    propagates, out of the application after the response was sent.
    """

    __slots__ = ("tasks",)

    def __init__(self, tasks: Iterable[BackgroundTask] | None = None) -> None:
        self.tasks: list[BackgroundTask] = list(tasks) if tasks is not None else []

    def add_task(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Queue ``func(*args, **kwargs)`` to run after the response."""
        self.tasks.append(BackgroundTask(func, *args, **kwargs))

    async def run(self) -> None:
        """Run the tasks in order; the first one that raises stops the run (re-raised)."""
        for task in self.tasks:
            await task()  # as Starlette: a subclass's (or a plugin's patched) __call__

    async def __call__(self) -> None:  # its own, as Starlette's (a patched task's is not it)
        await self.run()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.tasks!r})"


async def run_background(task: BackgroundTask) -> None:
    """Run ``task`` after a response was sent. Its exception propagates, as Starlette's: out of
    the application, to the yield dependencies' teardown, the error layers and the server (which
    logs it; a test client re-raises it with ``raise_server_exceptions=True``)."""
    await task()
