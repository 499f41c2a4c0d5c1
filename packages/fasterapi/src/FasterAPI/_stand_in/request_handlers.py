"""``fastapi.routing.get_request_handler`` and ``get_websocket_app`` of the stand-in: FastAPI's
builders of a route's handler, which instrumentations replace.

sentry-sdk's FastAPI integration (enabled by default by ``sentry_sdk.init``) replaces
``get_request_handler`` at ``init`` to wrap each route's handler. FasterAPI runs routes from
compiled plans and calls it only once it has been replaced, for routes registered afterwards (see
``fasterapi_routing.replaced_request_handler``), or once ``fastapi.routing``'s per-request hooks
have been (``routing_hooks``): it is then called with ``dependant=`` (FasterAPI's
``RouteDependant``), and it builds the route's handler around ``dependant.call`` (the endpoint,
or what the replacement wrapped it in), which leaves a JSON body decoded on the request
(``request._json``) as FastAPI's does, for sentry's events; through the hooks when they are
replaced. Called with anything else (FastAPI's ``Dependant`` and its other keywords), they raise.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from typing import Any

from FasterAPI._stand_in.routing_hooks import (
    hooked_route_handler,
    hooked_websocket_session,
    hooks_replaced,
    mark_hooked,
)
from fasterapi_core.websockets import WebSocket
from fasterapi_routing.replaced_request_handler import RouteDependant
from fasterapi_routing.route_handler_hook import RouteHandler, default_route_handler
from fasterapi_routing.websocket_route import APIWebSocketRoute

__all__ = ["get_request_handler", "get_websocket_app"]

_ONLY_FASTERAPI = (
    "fastapi.routing.{} is only called by FasterAPI itself (with dependant=RouteDependant): "
    "FasterAPI runs routes from compiled plans; subclass APIRoute and override "
    "get_route_handler() instead (FasterAPI.as_fastapi; docs/coming-from-fastapi.md)"
)


def get_request_handler(*args: Any, dependant: Any = None, **kwargs: Any) -> RouteHandler:
    """The handler of the route ``dependant`` stands for (FasterAPI's ``RouteDependant``)."""
    if args or kwargs or not isinstance(dependant, RouteDependant):
        raise NotImplementedError(_ONLY_FASTERAPI.format("get_request_handler"))
    if hooks_replaced(sys.modules["fastapi.routing"]):
        mark_hooked(dependant.route)
        return hooked_route_handler(dependant.route, dependant.call)
    return default_route_handler(dependant.route, endpoint=dependant.call, keep_json=True)


def get_websocket_app(
    *args: Any, dependant: Any = None, **kwargs: Any
) -> Callable[[WebSocket], Awaitable[None]]:
    """The session of the websocket route ``dependant`` stands for (a ``RouteDependant`` of an
    ``APIWebSocketRoute``), through ``fastapi.routing``'s hooks."""
    route = getattr(dependant, "route", None)
    if args or kwargs or not isinstance(route, APIWebSocketRoute):
        raise NotImplementedError(_ONLY_FASTERAPI.format("get_websocket_app"))
    return hooked_websocket_session(route)
