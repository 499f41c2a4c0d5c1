"""Exceptions: ``from FasterAPI.exceptions import RequestValidationError``."""

from fasterapi_core.exceptions import (
    BaseHTTPException,
    DependencyScopeError,
    FasterAPIError,
    HTTPException,
    RequestValidationError,
    ResponseValidationError,
    WebSocketDisconnect,
    WebSocketException,
)

__all__ = [
    "BaseHTTPException",
    "DependencyScopeError",
    "FasterAPIError",
    "HTTPException",
    "RequestValidationError",
    "ResponseValidationError",
    "WebSocketDisconnect",
    "WebSocketException",
]
