"""Middleware: the base class for your own, and the bundled pure-ASGI middleware."""

from typing import TYPE_CHECKING, Any

from fasterapi_core.middleware import BaseHTTPMiddleware, Middleware
from fasterapi_middleware import (
    CORSMiddleware,
    DatabasePoolMiddleware,
    GZipMiddleware,
    HTTPSRedirectMiddleware,
    MemoryRateLimitStore,
    MemorySessionStore,
    RateLimitMiddleware,
    RateLimitStore,
    RedisRateLimitStore,
    RedisSessionStore,
    RequestIDMiddleware,
    ServerSideSessionMiddleware,
    SessionStore,
    SessionStoreError,
    TrustedHostMiddleware,
    regenerate_session_id,
)

if TYPE_CHECKING:
    from fasterapi_middleware.sessions import SessionMiddleware

__all__ = [
    "BaseHTTPMiddleware",
    "CORSMiddleware",
    "DatabasePoolMiddleware",
    "GZipMiddleware",
    "HTTPSRedirectMiddleware",
    "MemoryRateLimitStore",
    "MemorySessionStore",
    "Middleware",
    "RateLimitMiddleware",
    "RateLimitStore",
    "RedisRateLimitStore",
    "RedisSessionStore",
    "RequestIDMiddleware",
    "ServerSideSessionMiddleware",
    "SessionMiddleware",
    "SessionStore",
    "SessionStoreError",
    "TrustedHostMiddleware",
    "regenerate_session_id",
]


def __getattr__(name: str) -> Any:
    if name == "SessionMiddleware":  # needs itsdangerous: imported on first use
        from fasterapi_middleware.sessions import SessionMiddleware

        return SessionMiddleware
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
