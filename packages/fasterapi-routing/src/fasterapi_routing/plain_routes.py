"""Starlette's plain routes, on FasterAPI's ``Request``/``WebSocket``: ``Route`` (an endpoint
``request -> Response``, or an ASGI app) and ``WebSocketRoute`` (``websocket -> None``).

What ``app.add_route`` / ``@app.route`` / ``app.add_websocket_route`` register (Starlette's
surface, kept by FastAPI): no parameter parsing, no dependencies, not in OpenAPI. They are
served after FasterAPI's compiled routes, through ``matches(scope)`` (see dispatch.py).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Collection
from typing import Any

from fasterapi_core.concurrency import run_in_threadpool
from fasterapi_core.exceptions import BaseHTTPException
from fasterapi_core.requests import Request
from fasterapi_core.types import ASGIApp, Receive, Scope, Send
from fasterapi_core.websockets import WebSocket
from fasterapi_routing.base_route import BaseRoute, endpoint_name
from fasterapi_routing.matching import compile_path, matched
from fasterapi_routing.started import MarkingSend

__all__ = ["Route", "WebSocketRoute", "is_plain_function"]


def is_plain_function(endpoint: Any) -> bool:
    """Whether Starlette treats ``endpoint`` as a function (a ``functools.partial`` unwrapped)
    rather than as an ASGI application (a class, an instance)."""
    while isinstance(endpoint, functools.partial):
        endpoint = endpoint.func
    return inspect.isfunction(endpoint) or inspect.ismethod(endpoint)


def _is_coroutine(endpoint: Any) -> bool:
    while isinstance(endpoint, functools.partial):
        endpoint = endpoint.func
    return inspect.iscoroutinefunction(endpoint)


def _check_path(path: str) -> None:
    if not path.startswith("/"):
        raise ValueError(f"route paths must start with '/': {path!r}")
    compile_path(path)


def request_endpoint(endpoint: Callable[[Request], Any]) -> ASGIApp:
    """Serve ``endpoint(request) -> Response`` (a sync one in the thread pool)."""
    is_coroutine = _is_coroutine(endpoint)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive, send)
        if is_coroutine:
            response = await endpoint(request)
        else:
            response = await run_in_threadpool(endpoint, request)
        await response(scope, receive, MarkingSend(scope, send))

    return app


def websocket_endpoint(endpoint: Callable[[WebSocket], Any]) -> ASGIApp:
    """Serve ``endpoint(websocket)`` (an ``async`` function)."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await endpoint(WebSocket(scope, receive, send))

    return app


class Route(BaseRoute):
    """Starlette's ``Route``: a function ``request -> Response`` (sync ones run in the thread
    pool; methods default to GET, which adds HEAD) or an ASGI application (any method unless
    ``methods`` is given), served at ``path``. Not documented in OpenAPI."""

    def __init__(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        methods: Collection[str] | None = None,
        name: str | None = None,
        include_in_schema: bool = True,
    ) -> None:
        _check_path(path)
        self.path = path
        self.endpoint = endpoint
        self.name = endpoint_name(endpoint) if name is None else name
        self.include_in_schema = include_in_schema
        self.app: ASGIApp
        if is_plain_function(endpoint):
            self.app = request_endpoint(endpoint)
            if methods is None:
                methods = ["GET"]
        else:
            self.app = endpoint
        self.methods: set[str] | None = None
        if methods is not None:
            self.methods = {method.upper() for method in methods}
            if "GET" in self.methods:
                self.methods.add("HEAD")

    def matches(self, scope: Scope) -> tuple[Any, Scope]:
        """Starlette's: FULL for this path and method, PARTIAL for this path only, else NONE."""
        return matched(self, scope, "http", self.methods)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request; 405 with ``Allow`` for a method the route does not take."""
        if self.methods and scope["method"] not in self.methods:
            raise BaseHTTPException(405, headers={"Allow": ", ".join(sorted(self.methods))})
        await self.app(scope, receive, send)

    def copy_with(self, *, prefix: str = "", **_: Any) -> Route:
        """This route as seen through ``include_router`` (under ``prefix``)."""
        methods = None if self.methods is None else sorted(self.methods)
        return type(self)(
            prefix + self.path,
            self.endpoint,
            methods=methods,
            name=self.name,
            include_in_schema=self.include_in_schema,
        )


class WebSocketRoute(BaseRoute):
    """Starlette's ``WebSocketRoute``: an ``async`` function ``websocket -> None`` or an ASGI
    application (a ``WebSocketEndpoint`` class), served at ``path``."""

    include_in_schema = False
    url_protocol = "websocket"

    def __init__(self, path: str, endpoint: Callable[..., Any], *, name: str | None = None) -> None:
        _check_path(path)
        self.path = path
        self.endpoint = endpoint
        self.name = endpoint_name(endpoint) if name is None else name
        self.app: ASGIApp = (
            websocket_endpoint(endpoint) if is_plain_function(endpoint) else endpoint
        )

    def matches(self, scope: Scope) -> tuple[Any, Scope]:
        """Starlette's: FULL for a WebSocket scope on this path, else NONE."""
        return matched(self, scope, "websocket")

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the connection."""
        await self.app(scope, receive, send)

    def copy_with(self, *, prefix: str = "", **_: Any) -> WebSocketRoute:
        """This route as seen through ``include_router`` (under ``prefix``)."""
        return type(self)(prefix + self.path, self.endpoint, name=self.name)
