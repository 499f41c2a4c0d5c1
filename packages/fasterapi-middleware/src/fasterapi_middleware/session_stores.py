"""Stores for server-side sessions: where ``ServerSideSessionMiddleware`` keeps session data.

A store maps an opaque session id to the session's serialized bytes, each entry expiring
``ttl`` seconds after it was saved. ``MemorySessionStore`` lives in one process;
``RedisSessionStore`` is shared by every worker and host pointing at the same Redis. A store
that cannot reach its backend raises ``SessionStoreError``, which the middleware answers with
503: it never waits longer than the store's ``timeout``.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

import anyio

from fasterapi_core._optional import require

__all__ = ["MemorySessionStore", "RedisSessionStore", "SessionStore", "SessionStoreError"]


class SessionStoreError(Exception):
    """The store's backend failed or did not answer in time (e.g. Redis is down)."""


@runtime_checkable
class SessionStore(Protocol):
    """What ``ServerSideSessionMiddleware`` needs from a store (raise ``SessionStoreError`` when
    the backend is unavailable)."""

    async def load(self, session_id: str) -> bytes | None:
        """The data saved under ``session_id``; ``None`` when unknown or expired."""
        ...

    async def save(
        self, session_id: str, data: bytes, ttl: int, *, only_if_exists: bool = False
    ) -> bool:
        """Save ``data`` under ``session_id``, expiring ``ttl`` seconds from now; with
        ``only_if_exists``, only when ``session_id`` is still stored (atomically). Whether it
        was saved."""
        ...

    async def delete(self, session_id: str) -> None:
        """Forget ``session_id`` (no error when it is unknown)."""
        ...


class MemorySessionStore:
    """Sessions in this process's memory: for tests and single-process applications.

    Not shared between worker processes (use ``RedisSessionStore`` to run several). Memory is
    bounded: expired entries are dropped as they are met, and beyond ``max_sessions`` the least
    recently used session is evicted.
    """

    def __init__(
        self, max_sessions: int = 100_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if max_sessions < 1:
            raise ValueError("max_sessions must be >= 1")
        self.max_sessions = max_sessions
        self.clock = clock
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()

    def __len__(self) -> int:
        """Number of sessions held (expired ones included until they are met)."""
        return len(self._entries)

    async def load(self, session_id: str) -> bytes | None:
        """The data of ``session_id`` unless it has expired."""
        entry = self._entries.get(session_id)
        if entry is None:
            return None
        expires_at, data = entry
        if self.clock() >= expires_at:
            del self._entries[session_id]
            return None
        self._entries.move_to_end(session_id)
        return data

    async def save(
        self, session_id: str, data: bytes, ttl: int, *, only_if_exists: bool = False
    ) -> bool:
        """Keep ``data`` for ``ttl`` seconds (with ``only_if_exists``: if still stored)."""
        entries = self._entries
        now = self.clock()
        if only_if_exists:
            entry = entries.get(session_id)
            if entry is None or entry[0] <= now:
                return False
        entries[session_id] = (now + ttl, data)
        entries.move_to_end(session_id)
        while entries:  # drop expired entries among the least recently used
            oldest = next(iter(entries))
            if entries[oldest][0] > now:
                break
            del entries[oldest]
        while len(entries) > self.max_sessions:
            entries.popitem(last=False)
        return True

    async def delete(self, session_id: str) -> None:
        """Forget ``session_id``."""
        self._entries.pop(session_id, None)


class RedisSessionStore:
    """Sessions in Redis (``redis>=5``, ``redis.asyncio``), shared by every worker and host.

    Each session is one key, ``key_prefix + session_id``, set with ``EX ttl``. Pass a URL
    (``redis://host:6379/0``) or an existing ``redis.asyncio.Redis`` client. Every call is bounded
    by ``timeout`` seconds (also the socket timeouts of a client made from a URL, which retries
    a failed command once, at once): an unreachable or stalled Redis raises
    ``SessionStoreError`` instead of hanging the request.
    """

    def __init__(
        self, redis: Any, key_prefix: str = "fasterapi:session:", timeout: float = 1.0
    ) -> None:
        if timeout <= 0:
            raise ValueError("timeout must be > 0")
        if isinstance(redis, str):
            redis_asyncio: Any = require("redis.asyncio", "fasterapi-middleware[redis]")
            from redis.asyncio.retry import Retry
            from redis.backoff import NoBackoff

            redis = redis_asyncio.Redis.from_url(
                redis,
                socket_timeout=timeout,
                socket_connect_timeout=timeout,
                retry=Retry(NoBackoff(), 1),
            )
        self.client: Any = redis
        self.key_prefix = key_prefix
        self.timeout = timeout

    async def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        try:
            with anyio.fail_after(self.timeout):
                return await getattr(self.client, method)(*args, **kwargs)
        except TimeoutError as exc:
            raise SessionStoreError(f"Redis did not answer within {self.timeout}s") from exc
        except Exception as exc:  # redis.exceptions.RedisError, OSError: the backend failed
            raise SessionStoreError(f"Redis failed: {exc!r}") from exc

    async def load(self, session_id: str) -> bytes | None:
        """``GET`` the session's key."""
        data: bytes | None = await self._call("get", self.key_prefix + session_id)
        return data

    async def save(
        self, session_id: str, data: bytes, ttl: int, *, only_if_exists: bool = False
    ) -> bool:
        """``SET`` the session's key with ``EX ttl`` (and ``XX`` with ``only_if_exists``)."""
        key = self.key_prefix + session_id
        saved = await self._call("set", key, data, ex=ttl, xx=only_if_exists)
        return bool(saved)

    async def delete(self, session_id: str) -> None:
        """``DEL`` the session's key."""
        await self._call("delete", self.key_prefix + session_id)

    async def aclose(self) -> None:
        """Close the underlying client's connections."""
        await self.client.aclose()
