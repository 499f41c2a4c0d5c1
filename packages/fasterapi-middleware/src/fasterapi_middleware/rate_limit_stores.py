"""Rate-limit stores: the sliding-window-log algorithm, in memory or in Redis.

Algorithm (both stores): a **sliding-window log**. Each allowed request records its timestamp
under the client key; a request is allowed when fewer than ``limit`` timestamps lie in the last
``window`` seconds. Rejected requests are not recorded, so a client that keeps retrying regains
access as soon as its oldest request leaves the window. ``reset`` is the number of seconds until
the oldest recorded request leaves the window (that is, until one more request is possible).
"""

from __future__ import annotations

import itertools
import os
import time
from collections import OrderedDict, deque
from typing import Any, NamedTuple, Protocol, runtime_checkable

from fasterapi_core._optional import require

__all__ = [
    "MemoryRateLimitStore",
    "RateLimitResult",
    "RateLimitStore",
    "RedisRateLimitStore",
]


class RateLimitResult(NamedTuple):
    """Outcome of one hit: allowed?, requests left in the window, seconds until a slot frees."""

    allowed: bool
    remaining: int
    reset: float


@runtime_checkable
class RateLimitStore(Protocol):
    """What ``RateLimitMiddleware`` needs from a store; ``hit`` must be atomic per key."""

    async def hit(self, key: str, limit: int, window: float) -> RateLimitResult:
        """Record a request for ``key`` if allowed and report the outcome."""
        ...


class MemoryRateLimitStore:
    """Per-process store. Memory is bounded: idle keys (nothing in their window) are evicted as
    time passes, and beyond ``max_keys`` the least recently seen key is dropped.

    Counts are not shared between worker processes: use ``RedisRateLimitStore`` to scale out.
    """

    def __init__(self, max_keys: int = 100_000, clock: Any = time.monotonic) -> None:
        if max_keys < 1:
            raise ValueError("max_keys must be >= 1")
        self.max_keys = max_keys
        self.clock = clock
        self._logs: OrderedDict[str, deque[float]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._logs)

    async def hit(self, key: str, limit: int, window: float) -> RateLimitResult:
        """Record a request in the in-process sliding-window log of ``key``."""
        now = self.clock()
        horizon = now - window
        logs = self._logs
        log = logs.get(key)
        if log is None:
            log = logs[key] = deque()
        else:
            logs.move_to_end(key)
        while log and log[0] <= horizon:
            log.popleft()
        allowed = len(log) < limit
        if allowed:
            log.append(now)
        reset = log[0] + window - now if log else window
        self._evict(horizon)
        return RateLimitResult(allowed, max(limit - len(log), 0), reset)

    def _evict(self, horizon: float) -> None:
        logs = self._logs
        # Least recently seen first: stop at the first key that still has live entries.
        while logs:
            oldest_key = next(iter(logs))
            log = logs[oldest_key]
            if log and log[-1] > horizon:
                break
            del logs[oldest_key]
        while len(logs) > self.max_keys:
            logs.popitem(last=False)


_LUA = """
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local allowed = 0
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  count = count + 1
  allowed = 1
end
local reset = window
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if oldest[2] then reset = tonumber(oldest[2]) + window - now end
redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000))
return {allowed, count, reset}
"""


class RedisRateLimitStore:
    """Store shared by every worker and machine through Redis (``redis>=5``, ``redis.asyncio``).

    Each hit runs one Lua script (atomic on the server, timed with the server's clock so hosts
    with skewed clocks agree) over a sorted set per key that expires after an idle window.
    Pass a URL (``redis://host:6379/0``) or an existing ``redis.asyncio.Redis`` client.
    """

    def __init__(
        self,
        redis: Any,
        key_prefix: str = "fasterapi:rl:",
        socket_timeout: float = 1.0,
    ) -> None:
        if isinstance(redis, str):
            redis_asyncio: Any = require("redis.asyncio", "fasterapi-middleware[redis]")
            redis = redis_asyncio.Redis.from_url(
                redis, socket_timeout=socket_timeout, socket_connect_timeout=socket_timeout
            )
        self.client: Any = redis
        self.key_prefix = key_prefix
        self._script: Any = self.client.register_script(_LUA)
        self._member_prefix = os.urandom(6).hex() + ":"
        self._counter = itertools.count()

    async def hit(self, key: str, limit: int, window: float) -> RateLimitResult:
        """Record a request atomically in Redis (one Lua script call), shared by every worker."""
        window_us = max(int(window * 1_000_000), 1)
        member = f"{self._member_prefix}{next(self._counter)}"
        allowed, count, reset_us = await self._script(
            keys=[self.key_prefix + key], args=[limit, window_us, member]
        )
        return RateLimitResult(bool(allowed), max(limit - int(count), 0), int(reset_us) / 1e6)

    async def aclose(self) -> None:
        """Close the underlying client's connections."""
        await self.client.aclose()
