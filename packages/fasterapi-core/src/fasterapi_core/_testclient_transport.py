"""The httpx transport behind ``TestClient``: one ASGI HTTP exchange per request, in a portal."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, ExitStack
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
        "extensions": {},
    }
    if scope_type == "http":
        scope["method"] = request.method
        scope["extensions"]["http.response.debug"] = {}
    return scope


class _Exchange:
    """One request/response round trip: the app runs as a task in the portal and its response
    messages reach the test thread through a small bounded stream (so an endless streaming
    response is read lazily and can be abandoned)."""

    def __init__(self, app: ASGIApp, scope: dict[str, Any], request: httpx.Request) -> None:
        self.app = app
        self.scope = scope
        self.chunks: Iterator[bytes] = iter(cast(Iterable[bytes], request.stream))
        self.pending: bytes | None = None
        self.body_started = False
        self.request_complete = False
        self.started = False
        self.complete = False
        self.error: Exception | None = None
        self.tx, self.rx = anyio.create_memory_object_stream[Message](16)
        self.disconnected = anyio.Event()
        self.done = anyio.Event()
        self.cancel_scope = anyio.CancelScope()

    def _next_chunk(self) -> bytes | None:
        for chunk in self.chunks:
            if chunk:
                return bytes(chunk)
        return None

    # -- app side -------------------------------------------------------------------------------

    async def receive(self) -> Message:
        if self.request_complete:
            await self.disconnected.wait()
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
        elif kind == "http.response.body":
            if not self.started:
                raise RuntimeError(
                    "ASGI app sent 'http.response.body' before 'http.response.start'"
                )
            if self.complete:
                raise RuntimeError("ASGI app sent 'http.response.body' after the response ended")
            if not message.get("more_body", False):
                self.complete = True
                self.disconnected.set()
        elif kind != "http.response.debug":
            raise RuntimeError(f"Unexpected ASGI message type for HTTP: {kind!r}")
        await self.tx.send(message)

    async def run(self) -> None:
        try:
            with self.cancel_scope:
                try:
                    await self.app(self.scope, self.receive, self.send)
                except Exception as exc:
                    self.error = exc
        finally:
            self.tx.close()
            self.done.set()

    # -- test side (called through the portal) -------------------------------------------------

    async def next_message(self) -> Message | None:
        """The app's next response message, or ``None`` once the app has returned."""
        try:
            return await self.rx.receive()
        except anyio.EndOfStream:
            return None

    async def aclose(self) -> None:
        """The client is done: the app sees ``http.disconnect``; an unfinished response is
        cancelled; otherwise the app may finish its work (e.g. background tasks)."""
        self.disconnected.set()
        if not self.complete:
            self.cancel_scope.cancel()
        self.rx.close()
        await self.done.wait()


class _ResponseStream(httpx.SyncByteStream):
    """The response body, pulled from the app on demand; closing it ends the exchange."""

    def __init__(
        self,
        exchange: _Exchange,
        portal: BlockingPortal,
        stack: ExitStack,
        raise_server_exceptions: bool,
        is_head: bool,
    ) -> None:
        self.exchange = exchange
        self.portal = portal
        self.stack = stack
        self.raise_server_exceptions = raise_server_exceptions
        self.is_head = is_head
        self.closed = False
        self.error_raised = False

    def _raise_app_error(self) -> None:
        error = self.exchange.error
        if error is not None and self.raise_server_exceptions and not self.error_raised:
            self.error_raised = True
            raise error

    def __iter__(self) -> Iterator[bytes]:
        while not self.closed:
            message = self.portal.call(self.exchange.next_message)
            if message is None:
                self._raise_app_error()
                return
            if message["type"] != "http.response.body":
                continue
            body = bytes(message.get("body", b""))
            if body and not self.is_head:
                yield body
            if not message.get("more_body", False):
                return

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            self.portal.call(self.exchange.aclose)
        finally:
            self.stack.close()
        self._raise_app_error()


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
        """Run the app on one request (httpx transport API) and return its response."""
        scope = build_scope(
            "http", request, root_path=self.root_path, client=self.client, state=self.app_state
        )
        stack = ExitStack()
        portal = stack.enter_context(self.portal_factory())
        try:
            exchange: _Exchange = portal.call(_Exchange, self.app, scope, request)
            portal.start_task_soon(exchange.run)
            debug: dict[str, Any] | None = None
            while True:
                message = portal.call(exchange.next_message)
                if message is None or message["type"] == "http.response.start":
                    break
                debug = dict(message.get("info", {}))
            if message is None:
                stack.close()
                if exchange.error is not None:
                    if self.raise_server_exceptions:
                        raise exchange.error
                    return httpx.Response(
                        500, headers=[], stream=httpx.ByteStream(b""), request=request
                    )
                raise RuntimeError("The ASGI app returned without sending 'http.response.start'")
        except BaseException:
            stack.close()
            raise
        stream = _ResponseStream(
            exchange, portal, stack, self.raise_server_exceptions, request.method == "HEAD"
        )
        response = httpx.Response(
            int(message["status"]),
            headers=[(bytes(k), bytes(v)) for k, v in message.get("headers", ())],
            stream=stream,
            request=request,
        )
        if debug is not None:
            response.extensions["http.response.debug"] = debug
            response.template = debug.get("template")  # type: ignore[attr-defined]
            response.context = debug.get("context")  # type: ignore[attr-defined]
        return response
