"""FasterAPI middleware: small pure-ASGI classes, one module each."""

from typing import TYPE_CHECKING, Any

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
from .server_sessions import ServerSession, ServerSideSessionMiddleware, regenerate_session_id
from .session_stores import (
    MemorySessionStore,
    RedisSessionStore,
    SessionStore,
    SessionStoreError,
)
from .trustedhost import TrustedHostMiddleware

if TYPE_CHECKING:
    from .sessions import Session, SessionMiddleware

__all__ = [
    "CORSMiddleware",
    "DatabasePoolMiddleware",
    "GZipMiddleware",
    "HTTPSRedirectMiddleware",
    "MemoryRateLimitStore",
    "MemorySessionStore",
    "RateLimitMiddleware",
    "RateLimitResult",
    "RateLimitStore",
    "RedisRateLimitStore",
    "RedisSessionStore",
    "RequestIDMiddleware",
    "ServerSession",
    "ServerSideSessionMiddleware",
    "Session",
    "SessionMiddleware",
    "SessionStore",
    "SessionStoreError",
    "TrustedHostMiddleware",
    "regenerate_session_id",
]


def __getattr__(name: str) -> Any:
    # Sessions need the optional itsdangerous: imported on first use (ImportError naming
    # the extra when it is missing).
    if name in ("Session", "SessionMiddleware"):
        from . import sessions

        return getattr(sessions, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
