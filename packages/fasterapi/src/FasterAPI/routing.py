"""Routers and routes."""

from fasterapi_routing import (
    APIRoute,
    APIWebSocketRoute,
    BaseRoute,
    FasterRouter,
    Mount,
    NoMatchFound,
    RadixRouter,
)

__all__ = [
    "APIRoute",
    "APIWebSocketRoute",
    "BaseRoute",
    "FasterRouter",
    "Mount",
    "NoMatchFound",
    "RadixRouter",
]
