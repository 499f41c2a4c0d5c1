"""Exceptions: ``from FasterAPI.exceptions import RequestValidationError``. FastAPI's names
(``FastAPIError``, ``FastAPIDeprecationWarning``) are the same classes as FasterAPI's."""

from fasterapi_core.exceptions import (
    BaseHTTPException,
    DependencyScopeError,
    FastAPIDeprecationWarning,
    FastAPIError,
    FasterAPIDeprecationWarning,
    FasterAPIError,
    HTTPException,
    PydanticV1NotSupportedError,
    RequestValidationError,
    ResponseValidationError,
    WebSocketDisconnect,
    WebSocketException,
)
from fasterapi_routing import WebSocketRequestValidationError

__all__ = [
    "BaseHTTPException",
    "DependencyScopeError",
    "FastAPIDeprecationWarning",
    "FastAPIError",
    "FasterAPIDeprecationWarning",
    "FasterAPIError",
    "HTTPException",
    "PydanticV1NotSupportedError",
    "RequestValidationError",
    "ResponseValidationError",
    "WebSocketDisconnect",
    "WebSocketException",
    "WebSocketRequestValidationError",
]
