"""``starlette.applications.Starlette`` of the stand-in (Starlette not installed): Starlette
1.x's application class on FasterAPI's routing.

``Starlette(debug=False, routes=None, middleware=None, exception_handlers=None, lifespan=None)``
serves its routes (``Route``, ``WebSocketRoute``, ``Mount``, ``Host``) through the stand-in's
``Router``, inside Starlette's stack: ``ServerErrorMiddleware`` (the handler registered for
``500`` or ``Exception``, ``debug``), the user middleware, then ``ExceptionMiddleware`` with
Starlette's defaults: an ``HTTPException`` answered in plain text (no body for 204 and 304), a
``WebSocketException`` closing the connection. FasterAPI's ``Faster`` (``fastapi.FastAPI``) is
not a subclass of it, unlike FastAPI's; ``max_body_size`` is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from FasterAPI._stand_in.starlette_routing import Router
from fasterapi_core.datastructures import State
from fasterapi_core.exceptions import BaseHTTPException, WebSocketException
from fasterapi_core.middleware import Middleware
from fasterapi_core.requests import Request
from fasterapi_core.responses import PlainTextResponse, Response
from fasterapi_core.types import ASGIApp, Receive, Scope, Send
from fasterapi_core.websockets import WebSocket
from fasterapi_routing.errors import ExceptionHandler, ExceptionMiddleware, ServerErrorMiddleware
from fasterapi_routing.hosts import Host
from fasterapi_routing.plain_routes import Route

__all__ = ["Starlette"]


async def _http_exception(request: Request, exc: Exception) -> Response:
    """Starlette's answer to an ``HTTPException``: its detail in plain text."""
    assert isinstance(exc, BaseHTTPException)
    if exc.status_code in (204, 304):
        return Response(status_code=exc.status_code, headers=exc.headers)
    return PlainTextResponse(exc.detail, status_code=exc.status_code, headers=exc.headers)


async def _websocket_exception(websocket: WebSocket, exc: Exception) -> None:
    """Starlette's answer to a ``WebSocketException``: close with its code and reason."""
    assert isinstance(exc, WebSocketException)
    await websocket.close(code=exc.code, reason=exc.reason)


_STARLETTE_HANDLERS: dict[Any, Any] = {
    BaseHTTPException: _http_exception,
    WebSocketException: _websocket_exception,
}


class Starlette:
    """Starlette's application: routes, middleware, exception handlers, lifespan, ``state``."""

    def __init__(
        self,
        debug: bool = False,
        routes: Sequence[Any] | None = None,
        middleware: Sequence[Middleware] | None = None,
        exception_handlers: Mapping[Any, ExceptionHandler] | None = None,
        lifespan: Callable[[Any], Any] | None = None,
        *,
        max_body_size: int | None = None,
    ) -> None:
        if max_body_size is not None:
            raise TypeError(
                "Starlette(max_body_size=...) is not supported by FasterAPI's starlette "
                "stand-in: use fastapi.FastAPI(max_body_size=...) (FasterAPI's Faster)"
            )
        self.debug = debug
        self.state = State()
        self.router = Router(routes, lifespan=lifespan)
        self.max_body_size = max_body_size
        self.exception_handlers: dict[Any, ExceptionHandler] = dict(exception_handlers or {})
        self.user_middleware: list[Middleware] = list(middleware or [])
        self.middleware_stack: ASGIApp | None = None

    def build_middleware_stack(self) -> ASGIApp:
        """``ServerErrorMiddleware`` -> user middleware -> ``ExceptionMiddleware`` -> router."""
        error_handler = None
        handlers: dict[Any, Any] = dict(_STARLETTE_HANDLERS)
        for key, value in self.exception_handlers.items():
            if key in (500, Exception):
                error_handler = value
            else:
                handlers[key] = value
        app: ASGIApp = ExceptionMiddleware(self.router, handlers)
        for cls, args, kwargs in reversed(self.user_middleware):
            app = cls(app, *args, **kwargs)
        return ServerErrorMiddleware(app, handler=error_handler, debug=self.debug)

    @property
    def routes(self) -> list[Any]:
        """The router's routes."""
        return self.router.routes

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        """The path of the route named ``name`` with ``path_params``."""
        return self.router.url_path_for(name, **path_params)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["app"] = self
        if self.middleware_stack is None:
            self.middleware_stack = self.build_middleware_stack()
        await self.middleware_stack(scope, receive, send)

    def mount(self, path: str, app: ASGIApp, name: str | None = None) -> None:
        """Serve ``app`` under ``path``."""
        self.router.mount(path, app=app, name=name)

    def host(self, host: str, app: ASGIApp, name: str | None = None) -> None:
        """Serve ``app`` for requests to ``host``."""
        self.router.routes.append(Host(host, app=app, name=name))

    def add_middleware(self, middleware_class: Any, *args: Any, **kwargs: Any) -> None:
        """Add a middleware (outermost of the user middleware) before the first request."""
        if self.middleware_stack is not None:
            raise RuntimeError("Cannot add middleware after an application has started")
        self.user_middleware.insert(0, Middleware(middleware_class, *args, **kwargs))

    def add_exception_handler(
        self, exc_class_or_status_code: int | type[Exception], handler: ExceptionHandler
    ) -> None:
        """Handle an exception class or a status code with ``handler``."""
        self.exception_handlers[exc_class_or_status_code] = handler

    def add_route(
        self,
        path: str,
        route: Callable[..., Any],
        methods: list[str] | None = None,
        name: str | None = None,
        include_in_schema: bool = True,
    ) -> None:
        """Serve ``route`` (``request -> response``) at ``path``."""
        self.router.routes.append(
            Route(path, route, methods=methods, name=name, include_in_schema=include_in_schema)
        )
