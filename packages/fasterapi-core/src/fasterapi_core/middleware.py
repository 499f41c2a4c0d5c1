"""Middleware building blocks: a pure-ASGI base class and the ``Middleware`` spec object."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

from fasterapi_core.types import ASGIApp, Receive, Scope, Send

__all__ = ["BaseHTTPMiddleware", "Middleware"]


def _takes_call_next(dispatch: Callable[..., Any]) -> bool:
    try:
        names = list(inspect.signature(dispatch).parameters)
    except (TypeError, ValueError):
        return False
    return names[-1:] == ["call_next"]


class BaseHTTPMiddleware:
    """Base for custom middleware: override ``async dispatch(scope, receive, send)``.

    ``dispatch`` runs for ``http`` and ``websocket`` scopes and usually does its work around
    ``await self.app(scope, receive, send)``; other scopes (``lifespan``) go straight to the
    wrapped app. Nothing is buffered: wrap ``send`` to look at or change the response.
    Keyword options given to the constructor become attributes (``self.options`` has them all).

    Middleware written for Starlette/FastAPI also works unchanged: a ``dispatch(self, request,
    call_next)`` override (or ``BaseHTTPMiddleware(app, dispatch=func)``) gets a ``Request`` and
    a ``call_next`` that returns the downstream response, streamed, for HTTP requests.
    """

    def __init__(
        self, app: ASGIApp, dispatch: Callable[..., Any] | None = None, **options: Any
    ) -> None:
        self.app = app
        self.options = options
        for name, value in options.items():
            if hasattr(type(self), name):
                raise TypeError(f"{type(self).__name__} option {name!r} would hide an attribute")
            setattr(self, name, value)
        handler: Callable[..., Any] = dispatch if dispatch is not None else self.dispatch
        self._request_style: ASGIApp | None = None
        if _takes_call_next(handler):
            from fasterapi_core.call_next import CallNextMiddleware

            self._request_style = CallNextMiddleware(app, handler)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._request_style is not None:
            await self._request_style(scope, receive, send)
        elif scope["type"] in ("http", "websocket"):
            await self.dispatch(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one connection; the default just calls the wrapped app."""
        await self.app(scope, receive, send)


class Middleware:
    """A middleware class and its arguments, instantiated once when the app builds its stack.

    Unpacks like Starlette's: ``cls, args, kwargs = middleware``.
    """

    __slots__ = ("args", "cls", "kwargs")

    def __init__(self, cls: Callable[..., ASGIApp], *args: Any, **kwargs: Any) -> None:
        self.cls = cls
        self.args = args
        self.kwargs = kwargs

    def __iter__(self) -> Iterator[Any]:
        return iter((self.cls, self.args, self.kwargs))

    def build(self, app: ASGIApp) -> ASGIApp:
        """Wrap ``app``: ``cls(app, *args, **kwargs)``."""
        return self.cls(app, *self.args, **self.kwargs)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Middleware):
            return NotImplemented
        return (self.cls, self.args, self.kwargs) == (other.cls, other.args, other.kwargs)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        name = getattr(self.cls, "__name__", repr(self.cls))
        parts = [name, *(repr(a) for a in self.args)]
        parts += [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return f"Middleware({', '.join(parts)})"
