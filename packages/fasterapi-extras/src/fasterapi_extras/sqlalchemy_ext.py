"""SQLAlchemy (async) helpers (requires ``fasterapi-extras[sqlalchemy]``).

``sqlalchemy_session_dependency(SessionLocal)`` gives a generator dependency: one ``AsyncSession``
per request, rolled back when the handler (or a later dependency) raises, closed after the
response. Commit explicitly in the handler.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

from fasterapi_extras._optional import require

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

__all__ = ["async_engine_from_url_optional", "sqlalchemy_session_dependency"]


def async_engine_from_url_optional(url: str, **kwargs: Any) -> AsyncEngine:
    """``create_async_engine(url, **kwargs)``; ImportError naming the extra without SQLAlchemy."""
    asyncio_ext: Any = require("sqlalchemy.ext.asyncio", "sqlalchemy")
    engine: AsyncEngine = asyncio_ext.create_async_engine(url, **kwargs)
    return engine


def sqlalchemy_session_dependency(
    session_factory: Callable[[], AsyncSession],
) -> Callable[[], AsyncIterator[AsyncSession]]:
    """An async generator dependency yielding one session from ``session_factory``
    (an ``async_sessionmaker``) per request: rollback on error, always closed."""

    async def get_session() -> AsyncIterator[AsyncSession]:
        session = session_factory()
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise
        finally:
            await session.close()

    get_session.__qualname__ = get_session.__name__ = "get_session"
    return get_session
