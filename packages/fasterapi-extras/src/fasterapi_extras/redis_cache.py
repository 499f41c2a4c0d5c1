"""RedisCacheMiddleware: cache GET/HEAD responses in Redis (requires ``fasterapi-extras[redis]``).

Keys. A response is stored under a key built from the method, Host, path, raw query string and
the values of the request headers its ``Vary`` names. Because the Vary list is only known once a
response exists, it is stored under a second key (method, Host, path, query): a lookup reads the
Vary list first, then the entry (two round trips).

Not cached: requests with ``Authorization`` or ``Cookie`` (unless ``cache_authenticated``),
requests with ``Cache-Control: no-cache`` / ``no-store`` or ``Pragma: no-cache`` (they bypass the
cache entirely: no lookup, no store), responses whose status is not in ``cacheable_statuses``,
responses with ``Set-Cookie``, ``Cache-Control: no-store`` / ``private``, ``Vary: *``, and bodies
larger than ``max_body_size`` (those stream straight through; buffering stops at the limit).

Responses that went through the cache logic carry ``X-Cache: HIT`` or ``X-Cache: MISS``
(``hit_header``). Redis errors are logged and the request is served uncached — never a 500; after
an error Redis is left alone for ``outage_backoff`` seconds.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import msgspec

from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send
from fasterapi_extras._optional import require

if TYPE_CHECKING:
    from redis.asyncio import Redis

__all__ = ["RedisCacheMiddleware"]

logger = logging.getLogger("fasterapi.redis_cache")

_Entry = tuple[int, list[tuple[bytes, bytes]], bytes]
_encode = msgspec.msgpack.Encoder().encode
_decode_entry = msgspec.msgpack.Decoder(tuple[int, list[tuple[bytes, bytes]], bytes]).decode
_decode_vary = msgspec.msgpack.Decoder(list[str]).decode
_BYPASS_DIRECTIVES = ("no-cache", "no-store")
_UNCACHEABLE_RESPONSE = ("no-store", "private")


def _directives(value: bytes) -> set[str]:
    return {part.split("=", 1)[0].strip() for part in value.decode("latin-1").lower().split(",")}


class RedisCacheMiddleware:
    """Pure-ASGI response cache backed by Redis (see the module docstring for the rules)."""

    outage_backoff = 5.0

    def __init__(
        self,
        app: ASGIApp,
        redis_url: str | None = None,
        client: Redis[bytes] | None = None,
        ttl: int = 60,
        cacheable_statuses: Sequence[int] = (200,),
        max_body_size: int = 1_000_000,
        key_prefix: str = "fasterapi:cache:",
        cache_authenticated: bool = False,
        hit_header: str = "X-Cache",
    ) -> None:
        self.app = app
        if client is None:
            redis_asyncio: Any = require("redis.asyncio", "redis")
            client = redis_asyncio.Redis.from_url(
                redis_url or "redis://localhost:6379/0",
                socket_connect_timeout=1.0,
                socket_timeout=1.0,
            )
        self.client: Redis[bytes] = client
        self.ttl = ttl
        self.cacheable_statuses = frozenset(cacheable_statuses)
        self.max_body_size = max_body_size
        self.key_prefix = key_prefix
        self.cache_authenticated = cache_authenticated
        self.hit_header = hit_header
        name = hit_header.lower().encode("latin-1")
        self._hit = (name, b"HIT")
        self._miss = (name, b"MISS")
        self._down_until = 0.0

    # -- keys ---------------------------------------------------------------------------------

    def _base(self, scope: Scope, host: bytes) -> bytes:
        raw = _encode((scope["method"], host, scope["path"], scope.get("query_string", b"")))
        return hashlib.sha256(raw).digest()

    def _vary_key(self, base: bytes) -> str:
        return f"{self.key_prefix}vary:{base.hex()}"

    def _entry_key(self, base: bytes, vary: list[str], headers: dict[bytes, bytes]) -> str:
        values = [headers.get(name.encode("latin-1"), b"") for name in vary]
        digest = hashlib.sha256(base + _encode((vary, values))).hexdigest()
        return f"{self.key_prefix}entry:{digest}"

    # -- redis, failing soft ------------------------------------------------------------------

    def _available(self) -> bool:
        return self._down_until == 0.0 or time.monotonic() >= self._down_until

    def _failed(self, action: str, exc: BaseException) -> None:
        self._down_until = time.monotonic() + self.outage_backoff
        logger.warning("Redis cache %s failed, serving uncached: %r", action, exc)

    async def _lookup(self, base: bytes, headers: dict[bytes, bytes]) -> _Entry | None:
        try:
            vary_raw = await self.client.get(self._vary_key(base))
            if vary_raw is None:
                return None
            entry_key = self._entry_key(base, _decode_vary(vary_raw), headers)
            entry_raw = await self.client.get(entry_key)
            return None if entry_raw is None else _decode_entry(entry_raw)
        except msgspec.DecodeError:
            return None
        except Exception as exc:
            self._failed("lookup", exc)
            return None

    async def _store(
        self, base: bytes, vary: list[str], headers: dict[bytes, bytes], entry: _Entry
    ) -> None:
        try:
            async with self.client.pipeline(transaction=False) as pipe:
                pipe.set(self._vary_key(base), _encode(vary), ex=self.ttl)
                pipe.set(self._entry_key(base, vary, headers), _encode(entry), ex=self.ttl)
                await pipe.execute()
        except Exception as exc:
            self._failed("store", exc)

    # -- ASGI ---------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        headers: dict[bytes, bytes] = {}
        for name, value in scope["headers"]:
            name = name.lower()
            headers[name] = headers[name] + b", " + value if name in headers else value
        if not self.cache_authenticated and (b"authorization" in headers or b"cookie" in headers):
            await self.app(scope, receive, send)
            return
        cache_control = headers.get(b"cache-control")
        if (
            cache_control is not None
            and not _directives(cache_control).isdisjoint(_BYPASS_DIRECTIVES)
        ) or b"no-cache" in headers.get(b"pragma", b"").lower():
            await self.app(scope, receive, send)
            return
        if not self._available():
            await self.app(scope, receive, send)
            return
        base = self._base(scope, headers.get(b"host", b""))
        entry = await self._lookup(base, headers)
        if entry is not None:
            status, stored_headers, body = entry
            await send(
                {
                    "type": "http.response.start",
                    "status": status,
                    "headers": [*stored_headers, self._hit],
                }
            )
            await send({"type": "http.response.body", "body": body, "more_body": False})
            return
        if not self._available():  # the lookup just failed: do not try to store either
            await self.app(scope, receive, send)
            return
        await self._miss_path(scope, receive, send, base, headers)

    async def _miss_path(
        self, scope: Scope, receive: Receive, send: Send, base: bytes, headers: dict[bytes, bytes]
    ) -> None:
        state: dict[str, Any] = {"cache": False}
        chunks: list[bytes] = []
        size = 0
        limit = self.max_body_size

        async def capture(message: Message) -> None:
            nonlocal size
            if message["type"] == "http.response.start":
                response_headers = list(message.get("headers", ()))
                vary = self._cacheable(message["status"], response_headers)
                if vary is not None:
                    state.update(
                        cache=True, vary=vary, status=message["status"], headers=response_headers
                    )
                message = {**message, "headers": [*response_headers, self._miss]}
                await send(message)
                return
            if message["type"] == "http.response.body" and state["cache"]:
                body = message.get("body", b"")
                size += len(body)
                if size > limit:
                    state["cache"] = False
                    chunks.clear()
                else:
                    chunks.append(body)
                await send(message)
                if not message.get("more_body", False) and state["cache"]:
                    state["cache"] = False
                    entry = (state["status"], state["headers"], b"".join(chunks))
                    await self._store(base, state["vary"], headers, entry)
                return
            await send(message)

        await self.app(scope, receive, capture)

    def _cacheable(self, status: int, headers: list[tuple[bytes, bytes]]) -> list[str] | None:
        """The response's Vary header names if it may be stored, else None."""
        if status not in self.cacheable_statuses:
            return None
        vary: list[str] = []
        for name, value in headers:
            name = name.lower()
            if name == b"set-cookie":
                return None
            if name == b"cache-control":
                if not _directives(value).isdisjoint(_UNCACHEABLE_RESPONSE):
                    return None
            elif name == b"vary":
                for item in value.decode("latin-1").split(","):
                    item = item.strip().lower()
                    if item == "*":
                        return None
                    if item and item not in vary:
                        vary.append(item)
            elif name == b"content-length" and (
                not value.isdigit() or int(value) > self.max_body_size
            ):
                return None
        vary.sort()
        return vary
