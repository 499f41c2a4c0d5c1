"""Incoming requests."""

from fasterapi_core.requests import (
    ClientDisconnect,
    HTTPConnection,
    Request,
)

__all__ = [
    "ClientDisconnect",
    "HTTPConnection",
    "Request",
]
