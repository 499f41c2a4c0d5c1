"""FasterAPI middleware: small pure-ASGI classes, one module each."""

from .cors import CORSMiddleware
from .db_pool import DatabasePoolMiddleware
from .gzip import GZipMiddleware
from .httpsredirect import HTTPSRedirectMiddleware
from .rate_limit import RateLimitMiddleware
from .rate_limit_stores import (
    MemoryRateLimitStore,
    RateLimitResult,
    RateLimitStore,
    RedisRateLimitStore,
)
from .request_id import RequestIDMiddleware
from .trustedhost import TrustedHostMiddleware

__all__ = [
    "CORSMiddleware",
    "DatabasePoolMiddleware",
    "GZipMiddleware",
    "HTTPSRedirectMiddleware",
    "MemoryRateLimitStore",
    "RateLimitMiddleware",
    "RateLimitResult",
    "RateLimitStore",
    "RedisRateLimitStore",
    "RequestIDMiddleware",
    "TrustedHostMiddleware",
]
