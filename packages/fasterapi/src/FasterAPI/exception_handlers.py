"""The default exception handlers, for handlers of your own that fall back on them:
``from FasterAPI.exception_handlers import http_exception_handler`` (FastAPI's
``fastapi.exception_handlers``)."""

from fasterapi_routing.errors import (
    http_exception_handler,
    request_validation_exception_handler,
    websocket_request_validation_exception_handler,
)

__all__ = [
    "http_exception_handler",
    "request_validation_exception_handler",
    "websocket_request_validation_exception_handler",
]
