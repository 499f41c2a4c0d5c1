"""FasterAPI routing: the radix-tree router, routes, routers and the Faster application."""

from fasterapi_routing.applications import Faster
from fasterapi_routing.errors import (
    ExceptionMiddleware,
    ServerErrorMiddleware,
    http_exception_handler,
    request_validation_exception_handler,
    websocket_exception_handler,
)
from fasterapi_routing.hosts import Host
from fasterapi_routing.matching import Match
from fasterapi_routing.operation_ids import generate_unique_id
from fasterapi_routing.paths import NoMatchFound
from fasterapi_routing.plain_routes import Route, WebSocketRoute
from fasterapi_routing.radix import RadixMatch, RadixRouter
from fasterapi_routing.route_contexts import RouteContext, iter_route_contexts
from fasterapi_routing.router import FasterRouter
from fasterapi_routing.routes import (
    APIRoute,
    APIWebSocketRoute,
    BaseRoute,
    Mount,
    WebSocketRequestValidationError,
)

__all__ = [
    "APIRoute",
    "APIWebSocketRoute",
    "BaseRoute",
    "ExceptionMiddleware",
    "Faster",
    "FasterRouter",
    "Host",
    "Match",
    "Mount",
    "NoMatchFound",
    "RadixMatch",
    "RadixRouter",
    "Route",
    "RouteContext",
    "ServerErrorMiddleware",
    "WebSocketRequestValidationError",
    "WebSocketRoute",
    "generate_unique_id",
    "http_exception_handler",
    "iter_route_contexts",
    "request_validation_exception_handler",
    "websocket_exception_handler",
]
