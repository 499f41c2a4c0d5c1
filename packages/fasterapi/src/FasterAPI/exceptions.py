"""Exceptions: ``from FasterAPI.exceptions import RequestValidationError``."""

from fasterapi_core.exceptions import (
    HTTPException,
    RequestValidationError,
    ResponseValidationError,
    WebSocketDisconnect,
    WebSocketException,
)

__all__ = [
    "HTTPException",
    "RequestValidationError",
    "ResponseValidationError",
    "WebSocketDisconnect",
    "WebSocketException",
]
