"""Starlette's registration methods, kept by FastAPI on applications and routers:
``add_route``/``route``, ``add_websocket_route``/``websocket_route`` and ``host``.

As in FastAPI, the path is used as given (a router's ``prefix`` applies when the router is
included, not here), and these routes are not documented in OpenAPI.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, TypeVar

from fasterapi_core.types import ASGIApp
from fasterapi_routing.hosts import Host
from fasterapi_routing.plain_routes import Route, WebSocketRoute

__all__ = ["PlainRouteRegistration"]

F = TypeVar("F", bound=Callable[..., Any])


class PlainRouteRegistration:
    """``add_route``, ``route``, ``add_websocket_route``, ``websocket_route`` and ``host``
    (Starlette's), for a class providing ``_register_route(route)``."""

    def _register_route(self, route: Any) -> None:
        raise NotImplementedError  # pragma: no cover

    def add_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        methods: Collection[str] | None = None,
        name: str | None = None,
        include_in_schema: bool = True,
    ) -> None:
        """Serve ``endpoint`` (``request -> Response``, or an ASGI app) at ``path``."""
        self._register_route(
            Route(path, endpoint, methods=methods, name=name, include_in_schema=include_in_schema)
        )

    def route(
        self,
        path: str,
        methods: Collection[str] | None = None,
        name: str | None = None,
        include_in_schema: bool = True,
    ) -> Callable[[F], F]:
        """Decorator form of :meth:`add_route`."""

        def decorator(endpoint: F) -> F:
            self.add_route(
                path, endpoint, methods=methods, name=name, include_in_schema=include_in_schema
            )
            return endpoint

        return decorator

    def add_websocket_route(
        self, path: str, endpoint: Callable[..., Any], name: str | None = None
    ) -> None:
        """Serve ``endpoint`` (``async (websocket) -> None``, or an ASGI app) at ``path``."""
        self._register_route(WebSocketRoute(path, endpoint, name=name))

    def websocket_route(self, path: str, name: str | None = None) -> Callable[[F], F]:
        """Decorator form of :meth:`add_websocket_route`."""

        def decorator(endpoint: F) -> F:
            self.add_websocket_route(path, endpoint, name=name)
            return endpoint

        return decorator

    def host(self, host: str, app: ASGIApp, name: str | None = None) -> None:
        """Serve ``app`` for requests to ``host`` (``{subdomain}.example.org``)."""
        self._register_route(Host(host, app, name=name))
