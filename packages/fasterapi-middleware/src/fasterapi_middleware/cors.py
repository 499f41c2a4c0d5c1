"""Cross-Origin Resource Sharing (CORS) as a pure ASGI middleware.

Origins are compared exactly (``scheme://host[:port]`` as the browser sends it), an
``allow_origin_regex`` must match the whole origin, and the opaque origin ``null`` is accepted only
when listed verbatim. Combining ``allow_origins=["*"]`` with ``allow_credentials=True`` raises
``ValueError`` at construction: reflecting every origin with credentials would let any site read
authenticated responses, so list the trusted origins (or use ``allow_origin_regex``) instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send

from ._asgi import RawHeaders, append_vary, send_plain

__all__ = ["CORSMiddleware"]

_ALL_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "QUERY")
_SAFELISTED_HEADERS = frozenset({"accept", "accept-language", "content-language", "content-type"})
_ORIGIN_RE = re.compile(r"[a-z][a-z0-9+.-]*://(?:[a-z0-9._~-]+|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?")
_TOKEN_RE = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def _normalise_origin(origin: str) -> str:
    if origin == "null":
        return origin
    value = origin.strip().lower().removesuffix("/")
    if not _ORIGIN_RE.fullmatch(value):
        raise ValueError(
            f"CORS origin {origin!r} must look like 'scheme://host[:port]' (no path, no wildcard); "
            "use allow_origin_regex for patterns"
        )
    return value


class CORSMiddleware:
    """Answer CORS preflight requests and add CORS headers to responses for allowed origins."""

    def __init__(
        self,
        app: ASGIApp,
        allow_origins: Sequence[str] = (),
        allow_origin_regex: str | None = None,
        allow_methods: Sequence[str] = ("GET",),
        allow_headers: Sequence[str] = (),
        allow_credentials: bool = False,
        expose_headers: Sequence[str] = (),
        max_age: int = 600,
        allow_private_network: bool = False,
    ) -> None:
        if isinstance(allow_origins, str) or isinstance(allow_methods, str):
            raise TypeError("allow_origins and allow_methods must be sequences of strings")
        if isinstance(allow_headers, str) or isinstance(expose_headers, str):
            raise TypeError("allow_headers and expose_headers must be sequences of strings")
        if max_age < 0:
            raise ValueError("max_age must be >= 0")
        self.app = app
        self.allow_all_origins = "*" in allow_origins
        if self.allow_all_origins and allow_credentials:
            raise ValueError(
                "allow_origins=['*'] cannot be combined with allow_credentials=True: "
                "list the trusted origins explicitly or use allow_origin_regex"
            )
        self.origins = frozenset(_normalise_origin(o) for o in allow_origins if o != "*")
        self.origin_regex = re.compile(allow_origin_regex) if allow_origin_regex else None
        self.allow_credentials = allow_credentials
        self.allow_private_network = allow_private_network
        """Answer a preflight asking for private network access (``Access-Control-Request-
        Private-Network``, Chrome's Private Network Access) with its allow header."""

        self.allow_all_methods = "*" in allow_methods
        for method in allow_methods:
            if method != "*" and not _TOKEN_RE.fullmatch(method):
                raise ValueError(f"invalid CORS method {method!r}")
        methods = (
            _ALL_METHODS if self.allow_all_methods else tuple(m.upper() for m in allow_methods)
        )
        self.methods = frozenset(methods)

        self.allow_all_headers = "*" in allow_headers
        for header in (*allow_headers, *expose_headers):
            if header != "*" and not _TOKEN_RE.fullmatch(header):
                raise ValueError(f"invalid CORS header name {header!r}")
        allowed = sorted(_SAFELISTED_HEADERS | {h.lower() for h in allow_headers if h != "*"})
        self.headers = frozenset(allowed)

        # Precomputed header blocks.
        self.simple_headers: RawHeaders = []
        if allow_credentials:
            self.simple_headers.append((b"access-control-allow-credentials", b"true"))
        if expose_headers:
            self.simple_headers.append(
                (b"access-control-expose-headers", ", ".join(expose_headers).encode("latin-1"))
            )
        self.preflight_headers: RawHeaders = [
            (b"access-control-allow-methods", ", ".join(methods).encode("latin-1")),
            (b"access-control-max-age", str(max_age).encode("ascii")),
        ]
        if not self.allow_all_headers:
            self.preflight_headers.append(
                (b"access-control-allow-headers", ", ".join(allowed).encode("latin-1"))
            )
        if allow_credentials:
            self.preflight_headers.append((b"access-control-allow-credentials", b"true"))
        self._preflight_vary = (
            b"Access-Control-Request-Method, Access-Control-Request-Headers, "
            b"Access-Control-Request-Private-Network"
        )
        if not self.allow_all_origins:
            self._preflight_vary = b"Origin, " + self._preflight_vary

    def is_allowed_origin(self, origin: str) -> bool:
        """Whether ``origin`` (as sent by the browser) may access responses."""
        if self.allow_all_origins:
            return True
        if origin in self.origins:
            return True
        return (
            origin != "null"
            and self.origin_regex is not None
            and self.origin_regex.fullmatch(origin) is not None
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        origin_raw: bytes | None = None
        request_method: bytes | None = None
        request_headers: bytes | None = None
        private_network = False
        for key, value in scope["headers"]:
            key = key.lower()
            if key == b"origin":
                origin_raw = value
            elif key == b"access-control-request-method":
                request_method = value
            elif key == b"access-control-request-headers":
                if request_headers is not None:
                    value = request_headers + b"," + value
                request_headers = value
            elif key == b"access-control-request-private-network":
                private_network = True
        if origin_raw is None:  # not CORS, but the answer to another origin would differ
            await self.app(scope, receive, self._vary_only(send))
            return
        origin = origin_raw.decode("latin-1")
        if scope["method"] == "OPTIONS" and request_method is not None:
            await self.preflight(origin, request_method, request_headers, send, private_network)
            return
        await self.simple(scope, receive, send, origin_raw)

    async def preflight(
        self,
        origin: str,
        method: bytes,
        requested: bytes | None,
        send: Send,
        private_network: bool = False,
    ) -> None:
        """Answer a preflight: 200 with the allow headers, or 400 naming what was refused
        (``Disallowed CORS origin, headers``) with none. Either way the answer depends on the
        request's origin, method, headers and private-network request, which ``Vary`` says
        (for caches). Allowing every header (``"*"``) echoes the requested ones, as
        Starlette does."""
        failures: list[str] = []
        if not self.is_allowed_origin(origin):
            failures.append("origin")
        if not self.allow_all_methods and method.decode("latin-1") not in self.methods:
            failures.append("method")
        names: list[str] = []
        if requested:
            names = [n.strip().lower() for n in requested.decode("latin-1").split(",")]
            names = [n for n in names if n]
            if self.allow_all_headers:
                headers_ok = all(_TOKEN_RE.fullmatch(name) for name in names)
            else:
                headers_ok = all(name in self.headers for name in names)
            if not headers_ok:
                failures.append("headers")
        if private_network and not self.allow_private_network:
            failures.append("private-network")
        vary = (b"vary", self._preflight_vary)
        if failures:
            reason = "Disallowed CORS " + ", ".join(failures)
            await send_plain(send, 400, reason.encode("latin-1"), [vary])
            return
        headers = self._origin_headers(origin)[:1]
        headers.extend(self.preflight_headers)
        if self.allow_all_headers and requested is not None:
            headers.append((b"access-control-allow-headers", requested))
        if private_network:
            headers.append((b"access-control-allow-private-network", b"true"))
        headers.append(vary)
        await send_plain(send, 200, b"OK", headers)

    def _origin_headers(self, origin: str) -> RawHeaders:
        if self.allow_all_origins:
            return [(b"access-control-allow-origin", b"*")]
        return [(b"access-control-allow-origin", origin.encode("latin-1")), (b"vary", b"Origin")]

    async def simple(self, scope: Scope, receive: Receive, send: Send, origin: bytes) -> None:
        """Run the app and add CORS headers to its response when the origin is allowed."""
        if not self.is_allowed_origin(origin.decode("latin-1")):
            await self.app(scope, receive, self._vary_only(send))
            return
        allow_all = self.allow_all_origins
        extra = self.simple_headers

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers: RawHeaders = [
                    (k, v)
                    for k, v in message.get("headers", ())
                    if not k.lower().startswith(b"access-control-allow-")
                ]
                if allow_all:
                    headers.append((b"access-control-allow-origin", b"*"))
                else:
                    headers.append((b"access-control-allow-origin", origin))
                    append_vary(headers, b"Origin")
                headers.extend(extra)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_cors)

    def _vary_only(self, send: Send) -> Send:
        if self.allow_all_origins:
            return send

        async def send_with_vary(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                append_vary(headers, b"Origin")
                message["headers"] = headers
            await send(message)

        return send_with_vary
