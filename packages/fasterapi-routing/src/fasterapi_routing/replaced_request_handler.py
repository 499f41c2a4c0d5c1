"""A replaced ``fastapi.routing.get_request_handler`` applied to FasterAPI's routes.

FastAPI builds each route's ``request -> response`` function with
``fastapi.routing.get_request_handler(dependant=..., ...)``, and instrumentations replace that
function to wrap every route (sentry-sdk's FastAPI integration, enabled by default: it names the
transaction after the route and attaches the request's cookies and body to events). Under the
``fastapi`` stand-in, ``fastapi.routing.get_request_handler`` is FasterAPI's
(``FasterAPI._stand_in.request_handlers``). While it is, nothing here runs and routes are
compiled as usual. Once it has been replaced, a route registered afterwards builds its handler
through the replacement, as FastAPI's ``APIRoute.get_route_handler`` does: the replacement gets
``dependant=`` (an object whose ``call`` is the endpoint, which it may wrap) and whatever it
returns serves the route (the general path, as for a route class overriding
``get_route_handler``). Only ``dependant=`` is passed. Routes registered before the replacement
keep their compiled handlers. Without the stand-in (FastAPI's own ``fastapi.routing``, or none),
nothing changes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from fasterapi_routing.route_handler_hook import RouteHandler

__all__ = ["RouteDependant", "handler_through", "replaced_request_handler"]

_STAND_IN_BUILDER_MODULE = "FasterAPI._stand_in.request_handlers"


def replaced_request_handler() -> Callable[..., RouteHandler] | None:
    """The stand-in's ``fastapi.routing.get_request_handler`` when something replaced it,
    else None (read once per route, at registration)."""
    module = sys.modules.get("fastapi.routing")
    if module is None or not type(module).__module__.startswith("FasterAPI._stand_in"):
        return None  # not the stand-in: FastAPI's own module, or none
    builder = module.__dict__.get("get_request_handler")
    if builder is None or getattr(builder, "__module__", None) == _STAND_IN_BUILDER_MODULE:
        return None
    return builder  # type: ignore[no-any-return]


class RouteDependant:
    """What the replacement gets as ``dependant=``: the route's endpoint as ``call``."""

    def __init__(self, route: Any) -> None:
        self.route = route
        self.call: Callable[..., Any] = route.endpoint
        """The endpoint the handler calls (a replacement may wrap it, keeping it sync or async)."""


def handler_through(builder: Callable[..., RouteHandler], route: Any) -> RouteHandler:
    """``route``'s request handler, built by the replaced ``get_request_handler``."""
    return builder(dependant=RouteDependant(route))
