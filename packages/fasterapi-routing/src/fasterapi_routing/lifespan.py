"""The ASGI lifespan protocol: startup/shutdown handlers and ``lifespan=`` context managers."""

from __future__ import annotations

import contextlib
import inspect
import logging
import traceback
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from typing import Any

from fasterapi_core.concurrency import run_in_threadpool
from fasterapi_core.types import Receive, Scope, Send

__all__ = ["LifespanHandlers"]

logger = logging.getLogger("fasterapi.error")

LifespanFactory = Callable[[Any], Any]


async def _call(handler: Callable[[], Any]) -> None:
    if inspect.iscoroutinefunction(handler):
        await handler()
        return
    result = await run_in_threadpool(handler)
    if inspect.isawaitable(result):
        await result


async def _enter(stack: contextlib.AsyncExitStack, factory: LifespanFactory, app: Any) -> Any:
    """Enter the lifespan ``factory`` makes for ``app`` on ``stack``; what it yields. An async
    generator function is an async context manager factory, and a (sync) generator function a
    context manager one, entered and exited in the event loop as FastAPI does."""
    if inspect.isasyncgenfunction(factory):
        factory = contextlib.asynccontextmanager(factory)
    elif inspect.isgeneratorfunction(factory):
        return stack.enter_context(contextlib.contextmanager(factory)(app))
    manager = factory(app)
    if not hasattr(manager, "__aenter__"):
        raise TypeError(
            "lifespan= must be an async context manager factory (or a generator function)"
        )
    return await stack.enter_async_context(manager)


class LifespanHandlers:
    """Startup and shutdown callables plus optional ``lifespan`` context manager factories.

    Included routers contribute theirs: startup runs in registration order, shutdown in
    reverse, and every lifespan context is entered after the startup handlers. The state they
    yield is merged as FastAPI merges it: for a key yielded twice, the value of the lifespan
    entered first (the application's over its routers', a router's over those it includes).
    """

    def __init__(
        self,
        on_startup: Sequence[Callable[[], Any]] | None = None,
        on_shutdown: Sequence[Callable[[], Any]] | None = None,
        lifespan: LifespanFactory | None = None,
    ) -> None:
        self.on_startup: list[Callable[[], Any]] = list(on_startup or [])
        self.on_shutdown: list[Callable[[], Any]] = list(on_shutdown or [])
        self.lifespans: list[LifespanFactory] = [lifespan] if lifespan is not None else []
        self.replaced: LifespanFactory | None = None
        """FastAPI's ``router.lifespan_context`` as a plugin set it (fastapi-pagination wraps
        :meth:`context`): entered instead of :meth:`context`."""

    @property
    def lifespan_context(self) -> LifespanFactory:
        """What the lifespan enters, ``app -> async context manager`` (FastAPI's
        ``router.lifespan_context``): :meth:`context`, unless :attr:`replaced`."""
        return self.context if self.replaced is None else self.replaced

    def include(self, other: LifespanHandlers) -> None:
        """Adopt an included router's handlers (its replaced lifespan, which holds them)."""
        if other.replaced is not None:
            self.lifespans.append(other.replaced)
            return
        self.on_startup.extend(other.on_startup)
        self.on_shutdown.extend(other.on_shutdown)
        self.lifespans.extend(other.lifespans)

    @contextlib.asynccontextmanager
    async def context(self, app: Any) -> AsyncIterator[dict[str, Any]]:
        """Run startup handlers and enter lifespans; yield the merged state they produced."""
        state: dict[str, Any] = {}
        async with contextlib.AsyncExitStack() as stack:
            for handler in self.on_startup:
                await _call(handler)
            for handler in reversed(self.on_shutdown):
                stack.push_async_callback(_call, handler)
            for factory in self.lifespans:
                produced = await _enter(stack, factory, app)
                if produced is not None:
                    if not isinstance(produced, Mapping):
                        raise TypeError("a lifespan must yield a mapping of state (or None)")
                    for key, value in produced.items():  # as FastAPI: the including one's wins
                        state.setdefault(key, value)
            yield state

    async def serve(self, app: Any, scope: Scope, receive: Receive, send: Send) -> None:
        """Speak the lifespan protocol with the server until shutdown."""
        started = False
        message = await receive()
        if message["type"] != "lifespan.startup":
            return
        try:
            async with self.lifespan_context(app) as state:
                if state:
                    if "state" not in scope:
                        raise RuntimeError(
                            "the server does not support lifespan state; "
                            "use an ASGI server that implements it"
                        )
                    scope["state"].update(state)
                await send({"type": "lifespan.startup.complete"})
                started = True
                while (await receive())["type"] != "lifespan.shutdown":
                    continue
        except BaseException:
            text = traceback.format_exc()
            phase = "shutdown" if started else "startup"
            logger.error("Application %s failed:\n%s", phase, text)
            await send({"type": f"lifespan.{phase}.failed", "message": text})
            return
        await send({"type": "lifespan.shutdown.complete"})
