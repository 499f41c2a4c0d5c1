"""A replaced ``Starlette.__call__`` applied to FasterAPI applications too.

Instrumentations wrap every Starlette application by replacing ``Starlette.__call__`` (sentry-sdk's
Starlette integration, enabled by default, runs each request inside its ``SentryAsgiMiddleware``
that way, which captures the errors that leave the application and names transactions after
``scope["route"]``). A FasterAPI application is not a Starlette one, so it would escape them. When
Starlette is imported and its ``__call__`` is not Starlette's own any more, the middleware stack
(built at the first request) is served through the replacement: the replacement is called as
Starlette would call it, with a stand-in ``self`` whose ``middleware_stack`` is FasterAPI's stack
(the request's ``scope["app"]`` restored to the FasterAPI application). Such an application skips
the inlined fast path of ``Faster.__call__``; one built before the replacement is not affected.
Without Starlette, or with the ``starlette`` stand-in, nothing changes.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from typing import Any

from fasterapi_core.types import ASGIApp, Receive, Scope, Send

__all__ = ["StarletteEntryLayer", "replaced_starlette_entry", "through_starlette_entry"]

StarletteEntry = Callable[[Any, Scope, Receive, Send], Awaitable[None]]


def replaced_starlette_entry() -> StarletteEntry | None:
    """``Starlette.__call__`` when something replaced it, else None (Starlette not imported, or
    its own method)."""
    module = sys.modules.get("starlette.applications")
    starlette = getattr(module, "Starlette", None)
    if not isinstance(starlette, type) or starlette.__module__ != "starlette.applications":
        return None  # not imported, or the stand-in's (a FasterAPI class)
    entry = starlette.__dict__.get("__call__")
    if entry is None or getattr(entry, "__module__", None) == "starlette.applications":
        return None
    return entry  # type: ignore[no-any-return]


def through_starlette_entry(stack: ASGIApp) -> ASGIApp:
    """``stack``, served through a replaced ``Starlette.__call__`` when there is one."""
    entry = replaced_starlette_entry()
    return stack if entry is None else StarletteEntryLayer(stack, entry)


class StarletteEntryLayer:
    """The outermost layer of a stack served through a replaced ``Starlette.__call__``."""

    def __init__(self, app: ASGIApp, entry: StarletteEntry) -> None:
        self.app = app
        """The stack (its outer layer: ``ServerErrorMiddleware``)."""
        self.entry = entry

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.entry(_StarletteSelf(scope.get("app"), self.app), scope, receive, send)


class _StarletteSelf:
    """What Starlette's own ``__call__`` reads from ``self``: ``middleware_stack``."""

    __slots__ = ("middleware_stack",)

    def __init__(self, application: Any, stack: ASGIApp) -> None:
        async def serve(scope: Scope, receive: Receive, send: Send) -> None:
            scope["app"] = application  # Starlette's __call__ set it to this stand-in self
            await stack(scope, receive, send)

        self.middleware_stack = serve
