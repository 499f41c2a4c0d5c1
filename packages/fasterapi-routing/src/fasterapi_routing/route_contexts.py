"""FastAPI's ``RouteContext`` and ``iter_route_contexts(routes)``: how plugins (OpenTelemetry's
instrumentation, route listings) read each route's effective path, name and methods.

FastAPI keeps an included router as one entry of ``app.routes`` and computes its routes'
effective paths on demand; FasterAPI's ``include_router`` copies each route with its effective
path already, so every route is its own context.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["RouteContext", "iter_route_contexts"]


@dataclass(frozen=True)
class RouteContext:
    """A route as served: its ``path``, ``path_format``, ``name``, ``methods``, ``endpoint``
    (None when the route has none), any other attribute read from the route."""

    route: Any

    @property
    def original_route(self) -> Any:
        """The route (FasterAPI's included routes are already the effective ones)."""
        return self.route

    @property
    def path(self) -> str | None:
        """The route's path template (``None`` for a host)."""
        return getattr(self.route, "path", None)

    @property
    def path_format(self) -> str | None:
        """The path with convertors dropped (``/items/{id}``)."""
        return getattr(self.route, "path_format", None)

    @property
    def name(self) -> str | None:
        """The route's name."""
        return getattr(self.route, "name", None)

    @property
    def methods(self) -> set[str] | None:
        """The HTTP methods (None for WebSocket routes and mounts)."""
        return getattr(self.route, "methods", None)

    @property
    def endpoint(self) -> Callable[..., Any] | None:
        """The endpoint function (None for mounts and hosts)."""
        return getattr(self.route, "endpoint", None)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.route, name)


def iter_route_contexts(routes: Iterable[Any]) -> Iterator[RouteContext]:
    """A :class:`RouteContext` for each route of ``routes`` (contexts passed through)."""
    for route in routes:
        yield route if isinstance(route, RouteContext) else RouteContext(route)
