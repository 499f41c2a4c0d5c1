"""``FasterAPI.redis_cache``: re-exports of ``fasterapi_extras.redis_cache``."""

from fasterapi_extras.redis_cache import (
    RedisCacheMiddleware,
)

__all__ = [
    "RedisCacheMiddleware",
]
