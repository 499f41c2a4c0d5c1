"""``fastapi.routing.get_request_handler`` of the stand-in: FastAPI's builder of a route's
``request -> response`` function, which instrumentations replace.

sentry-sdk's FastAPI integration (enabled by default by ``sentry_sdk.init``) replaces it at
``init`` to wrap each route's handler. FasterAPI runs routes from compiled plans and calls it only
once it has been replaced, for routes registered afterwards (see
``fasterapi_routing.replaced_request_handler``): the replacement then calls this function with
``dependant=`` (FasterAPI's ``RouteDependant``), and it builds the route's handler around
``dependant.call`` (the endpoint, or what the replacement wrapped it in), which leaves a JSON
body decoded on the request (``request._json``) as FastAPI's does, for sentry's events. Called
with anything else (FastAPI's ``Dependant`` and its other keywords), it raises.
"""

from __future__ import annotations

from typing import Any

from fasterapi_routing.replaced_request_handler import RouteDependant
from fasterapi_routing.route_handler_hook import RouteHandler, default_route_handler

__all__ = ["get_request_handler"]


def get_request_handler(*args: Any, dependant: Any = None, **kwargs: Any) -> RouteHandler:
    """The handler of the route ``dependant`` stands for (FasterAPI's ``RouteDependant``)."""
    if args or kwargs or not isinstance(dependant, RouteDependant):
        raise NotImplementedError(
            "fastapi.routing.get_request_handler is only called by FasterAPI itself (with "
            "dependant=RouteDependant): FasterAPI runs routes from compiled plans; subclass "
            "APIRoute and override get_route_handler() instead (FasterAPI.as_fastapi; "
            "docs/coming-from-fastapi.md)"
        )
    return default_route_handler(dependant.route, endpoint=dependant.call, keep_json=True)
