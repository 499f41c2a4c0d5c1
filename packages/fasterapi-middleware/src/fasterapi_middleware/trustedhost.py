"""Reject requests whose Host header is not one of the allowed hosts (pure ASGI).

Patterns are exact host names (``example.com``), IP literals (``127.0.0.1``, ``::1``) or a
leading wildcard label (``*.example.com`` matches ``a.example.com`` and ``a.b.example.com`` but
neither ``example.com`` nor ``evilexample.com``); ``*`` alone allows every host and makes the
middleware a no-op. The port is ignored when comparing. A missing, duplicated or malformed Host
header (userinfo, absolute-form, whitespace, control characters) answers 400; websockets are
closed with code 1008 before they are accepted. With ``www_redirect``, a request for
``example.com`` allowed only as ``www.example.com`` is redirected (307) to the ``www`` host.
"""

from __future__ import annotations

from collections.abc import Sequence

from fasterapi_core.types import ASGIApp, Receive, Scope, Send

from ._asgi import build_url_path, format_host, parse_host, send_plain

__all__ = ["TrustedHostMiddleware"]


def _normalise_pattern(pattern: str) -> str:
    value = pattern.strip().lower()
    if value == "*":
        return value
    wildcard = value.startswith("*.")
    host = value[2:] if wildcard else value
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    parsed = parse_host(f"[{host}]".encode() if ":" in host else host.encode("ascii", "replace"))
    if "*" in host or parsed is None or parsed[1] is not None or (wildcard and ":" in host):
        raise ValueError(
            f"allowed host {pattern!r} must be '*', a host name, an IP address or '*.domain' "
            "(no port, no scheme, wildcard only as the first label)"
        )
    return "*." + parsed[0] if wildcard else parsed[0]


class TrustedHostMiddleware:
    """Allow only requests addressed to one of ``allowed_hosts``; others get 400.

    ``allowed_hosts`` holds exact names, IP literals or ``*.example.com`` wildcards (``*``
    alone allows all); see the module docstring for the exact rules and ``www_redirect``.
    """

    def __init__(
        self, app: ASGIApp, allowed_hosts: Sequence[str] = ("*",), www_redirect: bool = True
    ) -> None:
        if isinstance(allowed_hosts, str):
            raise TypeError("allowed_hosts must be a sequence of strings, not a string")
        self.app = app
        patterns = [_normalise_pattern(p) for p in allowed_hosts]
        self.allow_any = "*" in patterns
        self.exact = frozenset(p for p in patterns if not p.startswith("*"))
        self.suffixes = tuple(p[1:] for p in patterns if p.startswith("*."))  # ".example.com"
        self.www_redirect = www_redirect

    def is_allowed(self, host: str) -> bool:
        """Whether the (lower-case, port-less) ``host`` matches a pattern."""
        if host in self.exact:
            return True
        return any(host.endswith(suffix) for suffix in self.suffixes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if self.allow_any or kind not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        value: bytes | None = None
        count = 0
        for key, item in scope["headers"]:
            if key.lower() == b"host":
                value = item
                count += 1
        parsed = parse_host(value) if count == 1 and value is not None else None
        if parsed is not None and self.is_allowed(parsed[0]):
            await self.app(scope, receive, send)
            return
        if kind == "websocket":
            await send({"type": "websocket.close", "code": 1008, "reason": "Invalid host header"})
            return
        if parsed is not None and self.www_redirect and f"www.{parsed[0]}" in self.exact:
            scheme = scope.get("scheme", "http")
            location = f"{scheme}://{format_host('www.' + parsed[0], parsed[1])}"
            location += build_url_path(scope)
            await send_plain(send, 307, b"", [(b"location", location.encode("latin-1"))])
            return
        await send_plain(send, 400, b"Invalid host header")
