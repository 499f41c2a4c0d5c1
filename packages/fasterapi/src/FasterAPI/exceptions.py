"""Exceptions: ``from FasterAPI.exceptions import RequestValidationError``."""

from fasterapi_core.exceptions import (
    BaseHTTPException,
    HTTPException,
    RequestValidationError,
    ResponseValidationError,
    WebSocketDisconnect,
    WebSocketException,
)

__all__ = [
    "BaseHTTPException",
    "HTTPException",
    "RequestValidationError",
    "ResponseValidationError",
    "WebSocketDisconnect",
    "WebSocketException",
]
