"""The httpx transport behind ``TestClient``: one ASGI HTTP exchange per request, in a portal."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Any, cast

import anyio
import httpx
from anyio.from_thread import BlockingPortal

from fasterapi_core.types import ASGIApp, Message

__all__ = ["ASGITestTransport", "PortalFactory", "build_scope"]

PortalFactory = Callable[[], AbstractContextManager[BlockingPortal]]

_ASGI = {"version": "3.0", "spec_version": "2.4"}
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def build_scope(
    scope_type: str,
    request: httpx.Request,
    *,
    root_path: str,
    client: tuple[str, int],
    state: dict[str, Any],
) -> dict[str, Any]:
    """Build an ASGI ``http`` or ``websocket`` scope from an httpx request.

    ``state`` is copied (shallowly), as the ASGI lifespan-state extension requires.
    """
    url = request.url
    scheme = url.scheme
    if scope_type == "websocket":
        scheme = "wss" if scheme in ("https", "wss") else "ws"
    port = url.port if url.port is not None else _DEFAULT_PORTS.get(scheme, 80)
    scope: dict[str, Any] = {
        "type": scope_type,
        "asgi": dict(_ASGI),
        "http_version": "1.1",
        "scheme": scheme,
        "path": url.path,
        "raw_path": url.raw_path.split(b"?", 1)[0],
        "root_path": root_path,
        "query_string": url.query,
        "headers": [(key.lower(), value) for key, value in request.headers.raw],
        "client": client,
        "server": (url.host, port),
        "state": state.copy(),
    }
    if scope_type == "http":
        scope["method"] = request.method
        scope["extensions"] = {"http.response.debug": {}}
    return scope


class _Exchange:
    """One request/response round trip between httpx and the ASGI app."""

    def __init__(self, app: ASGIApp, scope: dict[str, Any], request: httpx.Request) -> None:
        self.app = app
        self.scope = scope
        self.is_head = request.method == "HEAD"
        self.chunks: Iterator[bytes] = iter(cast(Iterable[bytes], request.stream))
        self.pending: bytes | None = None
        self.body_started = False
        self.request_complete = False
        self.response_complete: anyio.Event | None = None
        self.started = False
        self.status = 500
        self.headers: list[tuple[bytes, bytes]] = []
        self.body: list[bytes] = []
        self.debug: dict[str, Any] | None = None

    def _next_chunk(self) -> bytes | None:
        for chunk in self.chunks:
            if chunk:
                return bytes(chunk)
        return None

    async def receive(self) -> Message:
        if self.request_complete:
            assert self.response_complete is not None
            await self.response_complete.wait()
            return {"type": "http.disconnect"}
        if not self.body_started:
            self.body_started = True
            self.pending = self._next_chunk()
        current, self.pending = self.pending, self._next_chunk()
        more_body = self.pending is not None
        self.request_complete = not more_body
        return {"type": "http.request", "body": current or b"", "more_body": more_body}

    async def send(self, message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            if self.started:
                raise RuntimeError("ASGI app sent 'http.response.start' twice")
            self.started = True
            self.status = int(message["status"])
            self.headers = [(bytes(k), bytes(v)) for k, v in message.get("headers", ())]
        elif kind == "http.response.body":
            if not self.started:
                raise RuntimeError(
                    "ASGI app sent 'http.response.body' before 'http.response.start'"
                )
            assert self.response_complete is not None
            if self.response_complete.is_set():
                raise RuntimeError("ASGI app sent 'http.response.body' after the response ended")
            if not self.is_head:
                self.body.append(bytes(message.get("body", b"")))
            if not message.get("more_body", False):
                self.response_complete.set()
        elif kind == "http.response.debug":
            self.debug = dict(message.get("info", {}))
        else:
            raise RuntimeError(f"Unexpected ASGI message type for HTTP: {kind!r}")

    async def run(self) -> None:
        self.response_complete = anyio.Event()
        try:
            await self.app(self.scope, self.receive, self.send)
        finally:
            self.response_complete.set()


class ASGITestTransport(httpx.BaseTransport):
    """Send each httpx request to an ASGI app run in an anyio blocking portal."""

    def __init__(
        self,
        app: ASGIApp,
        portal_factory: PortalFactory,
        *,
        raise_server_exceptions: bool = True,
        root_path: str = "",
        client: tuple[str, int] = ("testclient", 50000),
        app_state: dict[str, Any] | None = None,
    ) -> None:
        self.app = app
        self.portal_factory = portal_factory
        self.raise_server_exceptions = raise_server_exceptions
        self.root_path = root_path
        self.client = client
        self.app_state: dict[str, Any] = app_state if app_state is not None else {}

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        scope = build_scope(
            "http", request, root_path=self.root_path, client=self.client, state=self.app_state
        )
        exchange = _Exchange(self.app, scope, request)
        try:
            with self.portal_factory() as portal:
                portal.call(exchange.run)
        except Exception:
            if self.raise_server_exceptions:
                raise
            if not exchange.started:
                return httpx.Response(
                    500, headers=[], stream=httpx.ByteStream(b""), request=request
                )
        else:
            if not exchange.started:
                raise RuntimeError("The ASGI app returned without sending 'http.response.start'")
        response = httpx.Response(
            exchange.status,
            headers=exchange.headers,
            stream=httpx.ByteStream(b"".join(exchange.body)),
            request=request,
        )
        if exchange.debug is not None:
            response.extensions["http.response.debug"] = exchange.debug
            response.template = exchange.debug.get("template")  # type: ignore[attr-defined]
            response.context = exchange.debug.get("context")  # type: ignore[attr-defined]
        return response
