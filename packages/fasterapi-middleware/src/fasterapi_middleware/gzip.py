"""Incremental gzip compression of HTTP responses as a pure ASGI middleware.

A response whose body arrives in one message is compressed whole and gets an exact
``content-length``. A streamed response (``more_body=True``) is compressed chunk by chunk, each
chunk flushed with ``Z_SYNC_FLUSH`` so its bytes reach the client as soon as the app produces
them; streamed responses carry no ``content-length``. Skipped: clients that do not accept gzip
(``gzip;q=0`` counts as refusal), ``text/event-stream``, bodies that already have a
``content-encoding``, partial content (``content-range``), and single-message bodies smaller than
``minimum_size``. Responses that could be compressed get ``Vary: Accept-Encoding`` either way.
"""

from __future__ import annotations

import zlib

from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send

from ._asgi import RawHeaders, append_vary

__all__ = ["GZipMiddleware", "accepts_gzip"]


def accepts_gzip(value: bytes) -> bool:
    """Whether an ``Accept-Encoding`` value accepts gzip (q-values honoured, ``*`` supported)."""
    gzip_q: float | None = None
    star_q: float | None = None
    for item in value.decode("latin-1").split(","):
        coding, _, params = item.partition(";")
        coding = coding.strip().lower()
        if coding not in ("gzip", "x-gzip", "*"):
            continue
        q = 1.0
        for param in params.split(";"):
            name, _, raw = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(raw.strip())
                except ValueError:
                    q = 0.0
                if not 0.0 <= q <= 1.0:
                    q = 0.0
        if coding == "*":
            star_q = q
        else:
            gzip_q = q if gzip_q is None else max(gzip_q, q)
    if gzip_q is not None:
        return gzip_q > 0.0
    return star_q is not None and star_q > 0.0


class GZipMiddleware:
    """Compress response bodies with gzip when the client accepts it."""

    def __init__(self, app: ASGIApp, minimum_size: int = 500, compresslevel: int = 9) -> None:
        if minimum_size < 0:
            raise ValueError("minimum_size must be >= 0")
        if not 0 <= compresslevel <= 9:
            raise ValueError("compresslevel must be between 0 and 9")
        self.app = app
        self.minimum_size = minimum_size
        self.compresslevel = compresslevel

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        gzip_ok = False
        for key, value in scope["headers"]:
            if key.lower() == b"accept-encoding" and accepts_gzip(value):
                gzip_ok = True
                break
        responder = _GZipResponder(send, gzip_ok, self.minimum_size, self.compresslevel)
        await self.app(scope, receive, responder.send)


class _GZipResponder:
    __slots__ = (
        "compresslevel",
        "compressor",
        "gzip_ok",
        "minimum_size",
        "send_downstream",
        "start",
        "state",
    )

    def __init__(self, send: Send, gzip_ok: bool, minimum_size: int, compresslevel: int) -> None:
        self.send_downstream = send
        self.gzip_ok = gzip_ok
        self.minimum_size = minimum_size
        self.compresslevel = compresslevel
        self.start: Message | None = None
        self.compressor: zlib._Compress | None = None
        # "start": waiting for the first body; "passthrough" or "gzip" afterwards.
        self.state = "start"

    async def send(self, message: Message) -> None:
        state = self.state
        if state == "passthrough":
            await self.send_downstream(message)
            return
        kind = message["type"]
        if state == "gzip":
            if kind != "http.response.body":
                await self.send_downstream(message)
                return
            await self._send_compressed(message)
            return
        if kind == "http.response.start":
            self.start = message
            return
        if kind != "http.response.body" or self.start is None:
            await self._release_start()
            self.state = "passthrough"
            await self.send_downstream(message)
            return
        await self._first_body(self.start, message)

    async def _release_start(self) -> None:
        if self.start is not None:
            start, self.start = self.start, None
            await self.send_downstream(start)

    async def _first_body(self, start: Message, message: Message) -> None:
        headers: RawHeaders = list(start.get("headers", ()))
        eligible = True
        for key, value in headers:
            key = key.lower()
            if key in (b"content-encoding", b"content-range") or (
                key == b"content-type" and value.lower().startswith(b"text/event-stream")
            ):
                eligible = False
                break
        body: bytes = message.get("body", b"")
        more_body: bool = message.get("more_body", False)
        if eligible and not more_body and len(body) < self.minimum_size:
            eligible = False
        if not eligible:
            self.state = "passthrough"
            await self._release_start()
            await self.send_downstream(message)
            return
        append_vary(headers, b"Accept-Encoding")
        if not self.gzip_ok:
            self.state = "passthrough"
            start["headers"] = headers
            await self._release_start()
            await self.send_downstream(message)
            return
        self.state = "gzip"
        self.compressor = zlib.compressobj(self.compresslevel, zlib.DEFLATED, 31)
        headers = [
            (k, _weak_etag(v) if k.lower() == b"etag" else v)
            for k, v in headers
            if k.lower() != b"content-length"
        ]
        headers.append((b"content-encoding", b"gzip"))
        if more_body:
            start["headers"] = headers
            await self._release_start()
            await self._send_compressed(message)
            return
        data = self.compressor.compress(body) + self.compressor.flush(zlib.Z_FINISH)
        headers.append((b"content-length", str(len(data)).encode("ascii")))
        start["headers"] = headers
        await self._release_start()
        await self.send_downstream({"type": "http.response.body", "body": data, "more_body": False})

    async def _send_compressed(self, message: Message) -> None:
        compressor = self.compressor
        assert compressor is not None
        body: bytes = message.get("body", b"")
        if message.get("more_body", False):
            if not body:
                return
            data = compressor.compress(body) + compressor.flush(zlib.Z_SYNC_FLUSH)
            await self.send_downstream(
                {"type": "http.response.body", "body": data, "more_body": True}
            )
            return
        data = compressor.compress(body) + compressor.flush(zlib.Z_FINISH)
        self.state = "passthrough"
        await self.send_downstream({"type": "http.response.body", "body": data, "more_body": False})


def _weak_etag(value: bytes) -> bytes:
    # The compressed representation differs byte-wise, so a strong validator must become weak.
    return value if value.startswith(b"W/") else b"W/" + value
