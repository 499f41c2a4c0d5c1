"""Middleware: the base class for your own, and the bundled pure-ASGI middleware."""

from fasterapi_core.middleware import BaseHTTPMiddleware, Middleware
from fasterapi_middleware import (
    CORSMiddleware,
    DatabasePoolMiddleware,
    GZipMiddleware,
    HTTPSRedirectMiddleware,
    MemoryRateLimitStore,
    RateLimitMiddleware,
    RateLimitStore,
    RedisRateLimitStore,
    RequestIDMiddleware,
    TrustedHostMiddleware,
)

__all__ = [
    "BaseHTTPMiddleware",
    "CORSMiddleware",
    "DatabasePoolMiddleware",
    "GZipMiddleware",
    "HTTPSRedirectMiddleware",
    "MemoryRateLimitStore",
    "Middleware",
    "RateLimitMiddleware",
    "RateLimitStore",
    "RedisRateLimitStore",
    "RequestIDMiddleware",
    "TrustedHostMiddleware",
]
