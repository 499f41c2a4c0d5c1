"""SQLAlchemy (async) helpers (requires ``fasterapi-extras[sqlalchemy]``).

``sqlalchemy_session_dependency(SessionLocal)`` gives a generator dependency: one ``AsyncSession``
per request, rolled back when the handler (or a later dependency) raises, closed after the
response. Commit explicitly in the handler. When the error means the database is unavailable
(the pool exhausted past ``pool_timeout``, the connection lost, the server unreachable: see
``fasterapi_core.database_unavailable``) the request is answered 503 with a detail saying which.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

from fasterapi_core.database_unavailable import database_unavailable_reason
from fasterapi_core.exceptions import HTTPException
from fasterapi_extras._optional import require

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

__all__ = ["async_engine_from_url_optional", "sqlalchemy_session_dependency"]

logger = logging.getLogger("fasterapi.extras.sqlalchemy")


def async_engine_from_url_optional(url: str, **kwargs: Any) -> AsyncEngine:
    """``create_async_engine(url, **kwargs)``; ImportError naming the extra without SQLAlchemy."""
    asyncio_ext: Any = require("sqlalchemy.ext.asyncio", "sqlalchemy")
    engine: AsyncEngine = asyncio_ext.create_async_engine(url, **kwargs)
    return engine


def sqlalchemy_session_dependency(
    session_factory: Callable[[], AsyncSession],
) -> Callable[[], AsyncIterator[AsyncSession]]:
    """An async generator dependency yielding one session from ``session_factory``
    (an ``async_sessionmaker``) per request: rollback on error, always closed; an error that
    means the database is unavailable becomes ``HTTPException(503)``."""

    async def get_session() -> AsyncIterator[AsyncSession]:
        session = session_factory()
        try:
            yield session
        except BaseException as exc:
            reason = database_unavailable_reason(exc)
            if reason is None:
                await session.rollback()
                raise
            logger.warning("%s: %r", reason, exc)
            try:
                await session.rollback()  # on a lost connection: discards the invalidated one
            except Exception:
                logger.debug("rollback after %r failed", exc, exc_info=True)
            raise HTTPException(503, reason) from exc
        finally:
            await session.close()

    get_session.__qualname__ = get_session.__name__ = "get_session"
    return get_session
