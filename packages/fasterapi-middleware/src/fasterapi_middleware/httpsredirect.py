"""Redirect plain ``http``/``ws`` requests to ``https``/``wss`` (pure ASGI).

Every method gets ``307 Temporary Redirect`` (as Starlette does): the method and body are kept
and browsers do not cache the redirect permanently. The Location keeps the mount prefix
(``root_path``), path and query; ports 80 and 443 are dropped, any other port is kept. The host
comes from a single, well-formed Host header (falling back to ``scope["server"]``); a duplicated
or malformed Host (userinfo such as ``evil.com@good.com``, CR/LF, spaces, absolute-form) answers
400 instead of building a Location from it. A websocket is answered with a 307 denial response when
the server supports the ``websocket.http.response`` extension, otherwise closed with code 1008.
"""

from __future__ import annotations

from fasterapi_core.types import ASGIApp, Receive, Scope, Send

from ._asgi import build_url_path, format_host, parse_host, send_plain

__all__ = ["HTTPSRedirectMiddleware"]

_SECURE = {"http": "https", "ws": "wss"}


class HTTPSRedirectMiddleware:
    """Send clients that came over plain HTTP or WS to the secure scheme."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        scheme = scope.get("scheme", "http" if kind == "http" else "ws")
        secure = _SECURE.get(scheme)
        if secure is None:
            await self.app(scope, receive, send)
            return
        location = self.location(scope, secure)
        if kind == "websocket":
            if location is not None and "websocket.http.response" in scope.get("extensions", {}):
                await send(
                    {
                        "type": "websocket.http.response.start",
                        "status": 307,
                        "headers": [(b"location", location), (b"content-length", b"0")],
                    }
                )
                await send({"type": "websocket.http.response.body", "body": b""})
            else:
                await send({"type": "websocket.close", "code": 1008})
            return
        if location is None:
            await send_plain(send, 400, b"Invalid host header")
            return
        await send_plain(send, 307, b"", [(b"location", location)])

    @staticmethod
    def location(scope: Scope, secure: str) -> bytes | None:
        """The secure URL for ``scope``, or ``None`` when the Host cannot be trusted to build it."""
        values = [value for key, value in scope["headers"] if key.lower() == b"host"]
        parsed: tuple[str, int | None] | None
        if len(values) == 1:
            parsed = parse_host(values[0])
        elif not values and scope.get("server"):
            host, port = scope["server"][0], scope["server"][1]
            parsed = parse_host(format_host(str(host), port).encode("latin-1"))
        else:
            parsed = None
        if parsed is None:
            return None
        host, port = parsed
        if port in (80, 443):
            port = None
        url = f"{secure}://{format_host(host, port)}{build_url_path(scope)}"
        return url.encode("latin-1")
