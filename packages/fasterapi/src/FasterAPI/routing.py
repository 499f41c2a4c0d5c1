"""Routers and routes."""

from fasterapi_routing import (
    APIRoute,
    APIWebSocketRoute,
    BaseRoute,
    FasterRouter,
    Host,
    Match,
    Mount,
    NoMatchFound,
    RadixRouter,
    Route,
    RouteContext,
    WebSocketRoute,
    generate_unique_id,
    iter_route_contexts,
)

__all__ = [
    "APIRoute",
    "APIWebSocketRoute",
    "BaseRoute",
    "FasterRouter",
    "Host",
    "Match",
    "Mount",
    "NoMatchFound",
    "RadixRouter",
    "Route",
    "RouteContext",
    "WebSocketRoute",
    "generate_unique_id",
    "iter_route_contexts",
]
