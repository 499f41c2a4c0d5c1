"""The application's middleware stack: how ``Faster`` builds it (server errors outermost, user
middleware, exception handlers around the router), and the configuration of its layers
(``add_middleware``, ``@app.middleware("http")``, exception handlers)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fasterapi_core.middleware import Middleware
from fasterapi_core.types import ASGIApp
from fasterapi_routing.errors import ExceptionHandler, ExceptionMiddleware, ServerErrorMiddleware
from fasterapi_routing.outer_error_layer import server_error_middleware_class
from fasterapi_routing.router import FasterRouter
from fasterapi_routing.starlette_entry import through_starlette_entry

__all__ = ["AppMiddleware"]

F = TypeVar("F", bound=Callable[..., Any])


class AppMiddleware:
    """The middleware half of ``Faster``: its stack, built at the first request, and the
    layers it is built from. ``Faster.__call__`` inlines the stack's work when it is
    FasterAPI's own without user middleware (:meth:`_direct_layer`)."""

    router: FasterRouter
    debug: bool
    exception_handlers: dict[Any, ExceptionHandler]
    user_middleware: list[Middleware]
    middleware_stack: ASGIApp | None

    def _direct_layer(self, built: Any) -> ServerErrorMiddleware | None:
        """``built`` when ``__call__`` may inline its work (the fast path): FasterAPI's own
        stack with no user middleware, built by this class's ``build_middleware_stack``. A stack
        from a replaced builder (``opentelemetry-instrumentation-fastapi`` sets one on the
        instance) is always served as built."""
        builder = getattr(self.build_middleware_stack, "__func__", None)
        if builder is not getattr(type(self), "build_middleware_stack", None):
            return None
        if isinstance(built, ServerErrorMiddleware) and built.router is self.router:
            return built
        return None

    def build_middleware_stack(self) -> ServerErrorMiddleware:
        """Server errors outermost, then user middleware (last added outermost), then handlers.

        The outer layer has Starlette's shape (``.app``, ``.handler``, ``.debug``) and, when
        Starlette is imported, is an instance of its ``ServerErrorMiddleware`` too, for plugins
        that wrap this method (see :mod:`fasterapi_routing.outer_error_layer`).
        """
        server_error_handler = self.exception_handlers.get(500) or self.exception_handlers.get(
            Exception
        )
        others = {
            key: handler
            for key, handler in self.exception_handlers.items()
            if key not in (500, Exception)
        }
        app: ASGIApp = ExceptionMiddleware(
            self.router, others, share_tracker=not self.user_middleware
        )
        for cls, args, kwargs in reversed(self.user_middleware):
            app = cls(app, *args, **kwargs)
        stack = server_error_middleware_class()(app, server_error_handler, self.debug)
        return through_starlette_entry(stack)  # type: ignore[return-value]  # see the module

    def add_middleware(
        self, middleware_class: Callable[..., ASGIApp], *args: Any, **options: Any
    ) -> None:
        """Wrap the app in ``middleware_class(app, **options)``; the last added runs first."""
        if self.middleware_stack is not None:
            raise RuntimeError("Cannot add middleware after an application has started")
        self.user_middleware.insert(0, Middleware(middleware_class, *args, **options))

    def middleware(self, middleware_type: str) -> Callable[[F], F]:
        """FastAPI's ``@app.middleware("http")``: ``async def mw(request, call_next)``."""
        if middleware_type != "http":
            raise ValueError('only @app.middleware("http") is supported')

        def decorator(func: F) -> F:
            from fasterapi_core.call_next import CallNextMiddleware

            self.add_middleware(CallNextMiddleware, dispatch=func)
            return func

        return decorator

    def add_exception_handler(
        self, exc_class_or_status_code: Any, handler: ExceptionHandler
    ) -> None:
        """Answer ``exc_class_or_status_code`` errors with ``handler(request, exc)``."""
        if self.middleware_stack is not None:
            raise RuntimeError("cannot add exception handlers after the application has started")
        self.exception_handlers[exc_class_or_status_code] = handler

    def exception_handler(self, exc_class_or_status_code: Any) -> Callable[[F], F]:
        """Decorator form of :meth:`add_exception_handler`."""

        def decorator(func: F) -> F:
            self.add_exception_handler(exc_class_or_status_code, func)
            return func

        return decorator
