"""Routers and routes."""

from fasterapi_routing import (
    APIRoute,
    APIWebSocketRoute,
    BaseRoute,
    FasterRouter,
    Mount,
    NoMatchFound,
    RadixRouter,
    generate_unique_id,
)

__all__ = [
    "APIRoute",
    "APIWebSocketRoute",
    "BaseRoute",
    "FasterRouter",
    "Mount",
    "NoMatchFound",
    "RadixRouter",
    "generate_unique_id",
]
