"""Caching and rate limiting with Redis, shared by every worker and every machine.

Run it with::

    REDIS_URL=redis://localhost:6379/0 fasterapi run docs/examples/redis_cache_ratelimit.py
"""

import itertools
import os

from FasterAPI import Faster, RateLimitMiddleware, RedisCacheMiddleware
from FasterAPI.middleware import RedisRateLimitStore


def create_app(redis_url: str) -> Faster:
    app = Faster()
    # Responses to GET requests are cached in Redis for 30 s (X-Cache: HIT / MISS).
    app.add_middleware(RedisCacheMiddleware, redis_url=redis_url, ttl=30)
    # 5 requests per client IP per 10 s, counted in Redis so every worker and machine agrees.
    app.add_middleware(
        RateLimitMiddleware,
        limit=5,
        window=10,
        store=RedisRateLimitStore(redis_url),
        exempt_paths=["/health"],
    )
    counter = itertools.count(1)

    @app.get("/report")
    async def report() -> dict[str, int]:
        # expensive work happens once per 30 s; cached responses do not reach this handler
        return {"computed": next(counter)}

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


app = create_app(os.environ.get("REDIS_URL", "redis://localhost:6379/0"))
