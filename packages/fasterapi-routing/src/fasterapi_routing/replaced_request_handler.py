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
keep their compiled handlers. The same path serves routes once a plugin replaced one of the
functions FastAPI's handlers call per request (``fastapi.routing.solve_dependencies``,
``run_endpoint_function``: logfire does), through the stand-in's own ``get_request_handler``
(see ``FasterAPI._stand_in.routing_hooks``, which also serves websocket routes through them:
:func:`replaced_websocket_handle`). Without the stand-in (FastAPI's own ``fastapi.routing``, or
none), nothing changes.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any

from fasterapi_core.types import ASGIApp
from fasterapi_routing.route_handler_hook import RouteHandler

__all__ = [
    "RouteDependant",
    "handler_through",
    "hooks_replaced",
    "replaced_request_handler",
    "replaced_websocket_handle",
]

_STAND_IN_BUILDER_MODULE = "FasterAPI._stand_in.request_handlers"
_STAND_IN_HOOKS_MODULE = "FasterAPI._stand_in.routing_hooks"  # imported once a hook is set


def replaced_request_handler() -> Callable[..., RouteHandler] | None:
    """The stand-in's ``fastapi.routing.get_request_handler`` when something replaced it or
    the per-request hooks, else None (read once per route, at registration)."""
    module = _stand_in_routing()
    if module is None:
        return None
    builder = module.__dict__.get("get_request_handler")
    if builder is not None and getattr(builder, "__module__", None) != _STAND_IN_BUILDER_MODULE:
        return builder  # type: ignore[no-any-return]
    hooks = sys.modules.get(_STAND_IN_HOOKS_MODULE)
    if hooks is None or not hooks.hooks_replaced(module):
        return None
    return importlib.import_module(_STAND_IN_BUILDER_MODULE).get_request_handler  # type: ignore[no-any-return]


def hooks_replaced() -> bool:
    """Whether a plugin replaced the stand-in's per-request hooks (``solve_dependencies``,
    ``run_endpoint_function``): routes are then served through them."""
    module = _stand_in_routing()
    hooks = None if module is None else sys.modules.get(_STAND_IN_HOOKS_MODULE)
    return hooks is not None and bool(hooks.hooks_replaced(module))


def replaced_websocket_handle(route: Any) -> ASGIApp | None:
    """The handler of websocket ``route`` through the stand-in's replaced per-request hooks,
    else None (its own; read once per route, at registration)."""
    if _stand_in_routing() is None:
        return None
    hooks = sys.modules.get(_STAND_IN_HOOKS_MODULE)
    return None if hooks is None else hooks.websocket_handle(route)


def _stand_in_routing() -> Any:
    module = sys.modules.get("fastapi.routing")
    if module is None or not type(module).__module__.startswith("FasterAPI._stand_in"):
        return None  # not the stand-in: FastAPI's own module, or none
    return module


class RouteDependant:
    """What the replacement gets as ``dependant=``: the route's endpoint as ``call``."""

    def __init__(self, route: Any) -> None:
        self.route = route
        self.call: Callable[..., Any] = route.endpoint
        """The endpoint the handler calls (a replacement may wrap it, keeping it sync or async)."""


def handler_through(builder: Callable[..., RouteHandler], route: Any) -> RouteHandler:
    """``route``'s request handler, built by the replaced ``get_request_handler``."""
    return builder(dependant=RouteDependant(route))
