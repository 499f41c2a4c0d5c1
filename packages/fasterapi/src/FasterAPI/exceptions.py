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
from fasterapi_routing import WebSocketRequestValidationError

__all__ = [
    "BaseHTTPException",
    "DependencyScopeError",
    "FasterAPIError",
    "HTTPException",
    "RequestValidationError",
    "ResponseValidationError",
    "WebSocketDisconnect",
    "WebSocketException",
    "WebSocketRequestValidationError",
]
