"""Per-client rate limiting with a sliding-window log (pure ASGI).

The client key is the ASGI peer address (``scope["client"][0]``). Only when ``forwarded_for_header``
is set **and** the peer is one of ``trusted_proxies`` (addresses or CIDR networks) is the header
read: walking from the right, the first address that is not itself a trusted proxy is the client
(``Forwarded`` is parsed for its ``for=`` parameters). Headers sent by an untrusted peer are
ignored, so rotating ``X-Forwarded-For``/``Forwarded``/``X-Real-IP`` never resets a limit.
(This deliberately differs from a "first hop" reading, which any client can spoof.) A
``key_func(scope) -> str`` replaces all of that.

Over the limit, HTTP gets ``429 {"detail": "Too Many Requests"}`` with ``Retry-After``; every
limited response carries ``RateLimit-Limit``/``RateLimit-Remaining``/``RateLimit-Reset``.
Websocket handshakes count as requests too and are closed with code 1008 when over the limit.
If the store fails (e.g. Redis is down) the error is logged and ``on_store_error`` decides:
``"open"`` lets the request through without rate-limit headers, ``"closed"`` answers 503.
"""

from __future__ import annotations

import ipaddress
import logging
import math
from collections.abc import Callable, Iterable, Sequence
from typing import Literal

from fasterapi_core.encoding import json_encode
from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send

from ._asgi import RawHeaders, send_plain
from .rate_limit_stores import MemoryRateLimitStore, RateLimitResult, RateLimitStore

__all__ = ["RateLimitMiddleware", "client_address"]

logger = logging.getLogger("fasterapi.middleware.rate_limit")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_TOO_MANY = json_encode({"detail": "Too Many Requests"})
_UNAVAILABLE = json_encode({"detail": "Service Unavailable"})
_JSON = b"application/json"


def _parse_ip(text: str) -> IPAddress | None:
    text = text.strip().strip('"')
    if text.startswith("["):  # "[v6]" or "[v6]:port"
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:  # "v4:port"
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _forwarded_for(values: Iterable[str]) -> list[str]:
    """``for=`` values of RFC 7239 ``Forwarded`` headers, in order."""
    found: list[str] = []
    for value in values:
        for element in value.split(","):
            for pair in element.split(";"):
                name, _, item = pair.partition("=")
                if name.strip().lower() == "for":
                    found.append(item.strip().strip('"'))
    return found


def client_address(
    scope: Scope,
    header: bytes | None,
    trusted: Sequence[IPNetwork],
) -> str:
    """The rate-limit key for ``scope``: see the module docstring for the rules."""
    client = scope.get("client")
    peer_text = str(client[0]) if client else "unknown"
    peer = _parse_ip(peer_text)
    if peer is not None:
        peer_text = str(peer)
    if header is None or peer is None or not _is_trusted(peer, trusted):
        return peer_text
    raw = [v.decode("latin-1") for k, v in scope["headers"] if k.lower() == header]
    if not raw:
        return peer_text
    hops = _forwarded_for(raw) if header == b"forwarded" else ",".join(raw).split(",")
    hops = [hop.strip() for hop in hops if hop.strip()]
    for hop in reversed(hops):
        address = _parse_ip(hop)
        if address is None:
            return hop  # what the nearest trusted proxy reported, e.g. an obfuscated id
        if not _is_trusted(address, trusted):
            return str(address)
    if hops:  # every hop is a trusted proxy: the left-most one originated the request
        first = _parse_ip(hops[0])
        return str(first) if first is not None else hops[0]
    return peer_text


def _is_trusted(address: IPAddress, trusted: Sequence[IPNetwork]) -> bool:
    return any(address.version == net.version and address in net for net in trusted)


class RateLimitMiddleware:
    """Allow at most ``limit`` requests per client in any ``window`` seconds."""

    def __init__(
        self,
        app: ASGIApp,
        limit: int = 100,
        window: float = 60.0,
        store: RateLimitStore | None = None,
        key_func: Callable[[Scope], str] | None = None,
        forwarded_for_header: str | None = None,
        trusted_proxies: Sequence[str] = (),
        on_store_error: Literal["open", "closed"] = "open",
        exempt_paths: Sequence[str] = (),
    ) -> None:
        if not isinstance(limit, int) or limit < 1:
            raise ValueError("limit must be an integer >= 1")
        if not window > 0:
            raise ValueError("window must be > 0 seconds")
        if on_store_error not in ("open", "closed"):
            raise ValueError("on_store_error must be 'open' or 'closed'")
        if isinstance(trusted_proxies, str) or isinstance(exempt_paths, str):
            raise TypeError("trusted_proxies and exempt_paths must be sequences of strings")
        if key_func is not None and forwarded_for_header is not None:
            raise ValueError("key_func and forwarded_for_header are mutually exclusive")
        if forwarded_for_header is not None and not trusted_proxies:
            raise ValueError(
                "forwarded_for_header is only honoured for peers in trusted_proxies; "
                "set trusted_proxies (addresses or CIDR networks of your proxies)"
            )
        if store is not None and not isinstance(store, RateLimitStore):
            raise TypeError("store must provide 'async hit(key, limit, window)'")
        self.app = app
        self.limit = limit
        self.window = float(window)
        self.store: RateLimitStore = store if store is not None else MemoryRateLimitStore()
        self.key_func = key_func
        self.header = (
            forwarded_for_header.lower().encode("latin-1") if forwarded_for_header else None
        )
        try:
            self.trusted: tuple[IPNetwork, ...] = tuple(
                ipaddress.ip_network(p.strip(), strict=False) for p in trusted_proxies
            )
        except ValueError as exc:
            raise ValueError(f"invalid trusted_proxies entry: {exc}") from exc
        self.fail_open = on_store_error == "open"
        self.exempt = frozenset(exempt_paths)
        self.limit_header = (b"ratelimit-limit", str(limit).encode("ascii"))

    def key(self, scope: Scope) -> str:
        """The client key used for ``scope``."""
        if self.key_func is not None:
            return self.key_func(scope)
        return client_address(scope, self.header, self.trusted)

    def headers(self, result: RateLimitResult) -> RawHeaders:
        """The ``RateLimit-*`` headers describing ``result``."""
        return [
            self.limit_header,
            (b"ratelimit-remaining", str(result.remaining).encode("ascii")),
            (b"ratelimit-reset", str(max(math.ceil(result.reset), 0)).encode("ascii")),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind not in ("http", "websocket") or scope.get("path") in self.exempt:
            await self.app(scope, receive, send)
            return
        key = self.key(scope)
        try:
            result = await self.store.hit(key, self.limit, self.window)
        except Exception:
            logger.warning(
                "rate-limit store failed; failing %s",
                "open" if self.fail_open else "closed",
                exc_info=True,
            )
            if self.fail_open:
                await self.app(scope, receive, send)
            elif kind == "websocket":
                await send({"type": "websocket.close", "code": 1011})
            else:
                await send_plain(send, 503, _UNAVAILABLE, None, _JSON)
            return
        if kind == "websocket":
            if result.allowed:
                await self.app(scope, receive, send)
            else:
                await send({"type": "websocket.close", "code": 1008, "reason": "Too Many Requests"})
            return
        headers = self.headers(result)
        if not result.allowed:
            retry = str(max(math.ceil(result.reset), 1)).encode("ascii")
            headers.append((b"retry-after", retry))
            await send_plain(send, 429, _TOO_MANY, headers, _JSON)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)
