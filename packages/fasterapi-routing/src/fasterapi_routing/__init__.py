"""FasterAPI routing: the radix-tree router, routes, routers and the Faster application."""

from fasterapi_routing.applications import Faster
from fasterapi_routing.errors import (
    ExceptionMiddleware,
    ServerErrorMiddleware,
    http_exception_handler,
    request_validation_exception_handler,
    websocket_exception_handler,
)
from fasterapi_routing.operation_ids import generate_unique_id
from fasterapi_routing.paths import NoMatchFound
from fasterapi_routing.radix import RadixMatch, RadixRouter
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
    "Mount",
    "NoMatchFound",
    "RadixMatch",
    "RadixRouter",
    "ServerErrorMiddleware",
    "WebSocketRequestValidationError",
    "generate_unique_id",
    "http_exception_handler",
    "request_validation_exception_handler",
    "websocket_exception_handler",
]
