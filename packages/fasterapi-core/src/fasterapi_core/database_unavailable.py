"""Which exceptions mean "the database is unavailable" (an HTTP 503), not a bug (a 500).

Used by ``fasterapi_extras.sqlalchemy_session_dependency`` and
``fasterapi_middleware.DatabasePoolMiddleware``. Nothing is imported: classes are recognised by
their module and name, so neither SQLAlchemy nor asyncpg is needed to ask.
"""

from __future__ import annotations

__all__ = [
    "CONNECTION_LOST",
    "POOL_EXHAUSTED",
    "UNREACHABLE",
    "database_unavailable_reason",
]

POOL_EXHAUSTED = "Database unavailable: every connection of the pool is busy; try again later"
CONNECTION_LOST = "Database unavailable: the connection to the database was lost"
UNREACHABLE = "Database unavailable: the database server cannot be reached"

#: asyncpg errors that say the server is gone, shutting down, starting up or out of connections.
_ASYNCPG_UNAVAILABLE = frozenset(
    {
        "ConnectionDoesNotExistError",
        "PostgresConnectionError",  # SQLSTATE class 08
        "AdminShutdownError",
        "CrashShutdownError",
        "CannotConnectNowError",
        "TooManyConnectionsError",
    }
)


def _names(exc: BaseException) -> list[tuple[str, str]]:
    return [(cls.__module__, cls.__name__) for cls in type(exc).__mro__]


def _reason_of(exc: BaseException) -> str | None:
    names = _names(exc)
    if ("sqlalchemy.exc", "TimeoutError") in names:  # QueuePool: pool_size + max_overflow busy
        return POOL_EXHAUSTED
    if getattr(exc, "connection_invalidated", False) is True:  # SQLAlchemy saw a disconnect
        return CONNECTION_LOST
    for module, name in names:
        if module.startswith("asyncpg") and name in _ASYNCPG_UNAVAILABLE:
            return CONNECTION_LOST
    if isinstance(exc, ConnectionError):  # refused or reset while connecting
        return UNREACHABLE
    return None


def database_unavailable_reason(exc: BaseException) -> str | None:
    """The 503 detail for ``exc`` when it means the database is unavailable, else None.

    Recognised: SQLAlchemy's pool ``TimeoutError`` (pool exhausted), SQLAlchemy errors with
    ``connection_invalidated`` (connection lost), asyncpg's connection/shutdown/too-many-clients
    errors, and ``ConnectionError`` (connection refused or reset); SQLAlchemy's ``orig`` and the
    ``__cause__`` chain are followed.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(seen) < 8:
        seen.add(id(current))
        reason = _reason_of(current)
        if reason is not None:
            return reason
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else current.__cause__
    return None
