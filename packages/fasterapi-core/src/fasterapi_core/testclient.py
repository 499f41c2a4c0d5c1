"""``TestClient``: a synchronous ``httpx.Client`` that calls an ASGI app in-process.

Needs httpx, from the ``fasterapi-core[testing]`` extra (an ImportError says so without it).

Requests run the app in an anyio blocking portal (a private event loop in a thread). Used as a
context manager, the client also runs the ASGI lifespan protocol and keeps one portal alive for the
whole block, so startup state and background tasks survive between requests.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from types import TracebackType
from typing import Any

import anyio
from anyio.from_thread import BlockingPortal, start_blocking_portal
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from fasterapi_core._optional import missing_extra

try:
    import httpx
except ModuleNotFoundError as exc:
    raise missing_extra("httpx", "fasterapi-core[testing]") from exc

from fasterapi_core._testclient_transport import ASGITestTransport, build_scope
from fasterapi_core._testclient_websocket import (
    WebSocketClosedError,
    WebSocketDenialResponse,
    WebSocketTestSession,
)
from fasterapi_core.types import ASGIApp, Message

__all__ = [
    "ASGITestTransport",
    "TestClient",
    "WebSocketClosedError",
    "WebSocketDenialResponse",
    "WebSocketTestSession",
]


class _Lifespan:
    """Drive the ASGI lifespan protocol of ``app`` from the test thread, through a portal."""

    def __init__(self, app: ASGIApp, state: dict[str, Any]) -> None:
        self.app = app
        self.scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": state}
        self.to_app: MemoryObjectSendStream[Message]
        self.app_rx: MemoryObjectReceiveStream[Message]
        self.to_app, self.app_rx = anyio.create_memory_object_stream[Message](math.inf)
        self.app_tx: MemoryObjectSendStream[Message | None]
        self.from_app: MemoryObjectReceiveStream[Message | None]
        self.app_tx, self.from_app = anyio.create_memory_object_stream[Message | None](math.inf)
        self.error: Exception | None = None
        self.supported = True

    async def run(self) -> None:
        try:
            await self.app(self.scope, self.app_rx.receive, self.app_tx.send)
        except Exception as exc:
            self.error = exc
        finally:
            self.app_tx.send_nowait(None)

    async def _exchange(self, phase: str) -> Message | None:
        await self.to_app.send({"type": f"lifespan.{phase}"})
        message = await self.from_app.receive()
        if message is None:
            if self.error is not None:
                raise self.error
            return None
        expected = (f"lifespan.{phase}.complete", f"lifespan.{phase}.failed")
        if message["type"] not in expected:
            raise RuntimeError(f"Unexpected lifespan message during {phase}: {message['type']!r}")
        if message["type"].endswith(".failed"):
            raise RuntimeError(message.get("message") or f"Lifespan {phase} failed")
        return message

    async def startup(self) -> None:
        """Send ``lifespan.startup``; an app that returns at once does not support lifespan."""
        if await self._exchange("startup") is None:
            self.supported = False

    async def shutdown(self) -> None:
        """Send ``lifespan.shutdown`` and wait for the app's lifespan task to end."""
        if not self.supported:
            return
        if await self._exchange("shutdown") is None:
            return
        await self.from_app.receive()
        if self.error is not None:
            raise self.error

    async def aclose(self) -> None:
        """Close the message streams (left to the garbage collector they warn, an error under
        ``filterwarnings = error`` as in FastAPI's own test suite)."""
        for stream in (self.to_app, self.app_rx, self.app_tx, self.from_app):
            stream.close()


class TestClient(httpx.Client):
    """Synchronous test client for an ASGI app, with FastAPI's defaults.

    ``with TestClient(app) as client:`` runs lifespan startup on entry and shutdown on exit;
    without ``with`` no lifespan events are sent. ``raise_server_exceptions=False`` turns an
    app exception into a 500 response instead of re-raising it in the test.
    """

    __test__ = False  # not a pytest test class

    def __init__(
        self,
        app: ASGIApp,
        base_url: str = "http://testserver",
        raise_server_exceptions: bool = True,
        root_path: str = "",
        backend: str = "asyncio",
        backend_options: dict[str, Any] | None = None,
        cookies: httpx._types.CookieTypes | None = None,
        headers: Mapping[str, str] | None = None,
        follow_redirects: bool = True,
        client: tuple[str, int] = ("testclient", 50000),
    ) -> None:
        self.app = app
        self.async_backend: dict[str, Any] = {
            "backend": backend,
            "backend_options": backend_options or {},
        }
        self.app_state: dict[str, Any] = {}
        self.raise_server_exceptions = raise_server_exceptions
        self.root_path = root_path
        self.client_address = client
        self.portal: BlockingPortal | None = None
        self._stack: ExitStack | None = None
        transport = ASGITestTransport(
            app,
            self._portal_factory,
            raise_server_exceptions=raise_server_exceptions,
            root_path=root_path,
            client=client,
            app_state=self.app_state,
        )
        all_headers = {"user-agent": "testclient"}
        if headers is not None:
            all_headers.update(headers)
        super().__init__(
            base_url=base_url,
            headers=all_headers,
            transport=transport,
            follow_redirects=follow_redirects,
            cookies=cookies,
        )

    @contextmanager
    def _portal_factory(self) -> Generator[BlockingPortal, None, None]:
        if self.portal is not None:
            yield self.portal
        else:
            with start_blocking_portal(**self.async_backend) as portal:
                yield portal

    def websocket_connect(
        self,
        url: str,
        subprotocols: Sequence[str] | Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        query_string: str | bytes = "",
        **kwargs: Any,
    ) -> WebSocketTestSession:
        """A WebSocket session to ``url``; enter it (``with``) to connect.

        The client's default headers and cookies are sent. ``query_string`` is appended to any
        query already in ``url``. The second positional argument is ``subprotocols`` (as in
        Starlette); a mapping passed there is taken as ``headers``.
        """
        if isinstance(subprotocols, Mapping):
            if headers is not None:
                raise TypeError("headers given twice")
            headers, subprotocols = subprotocols, None
        if isinstance(query_string, bytes):
            query_string = query_string.decode("latin-1")
        query_string = query_string.lstrip("?")
        if query_string:
            url = f"{url}{'&' if '?' in url else '?'}{query_string}"
        ws_headers = httpx.Headers(
            {
                "connection": "upgrade",
                "upgrade": "websocket",
                "sec-websocket-key": "testserver==",
                "sec-websocket-version": "13",
            }
        )
        if subprotocols:
            ws_headers["sec-websocket-protocol"] = ", ".join(subprotocols)
        if headers is not None:
            ws_headers.update(headers)
        request = self.build_request("GET", url, headers=ws_headers, **kwargs)
        scope = build_scope(
            "websocket",
            request,
            root_path=self.root_path,
            client=self.client_address,
            state=self.app_state,
        )
        scope["subprotocols"] = list(subprotocols or ())
        scope["extensions"]["websocket.http.response"] = {}
        return WebSocketTestSession(
            self.app,
            scope,
            self._portal_factory,
            raise_server_exceptions=self.raise_server_exceptions,
        )

    def __enter__(self) -> TestClient:
        with ExitStack() as stack:
            portal = self.portal = stack.enter_context(start_blocking_portal(**self.async_backend))

            @stack.callback
            def reset_portal() -> None:
                self.portal = None

            lifespan: _Lifespan = portal.call(_Lifespan, self.app, self.app_state)
            stack.callback(portal.call, lifespan.aclose)  # last, even when startup fails
            portal.start_task_soon(lifespan.run)
            portal.call(lifespan.startup)

            @stack.callback
            def shutdown() -> None:
                portal.call(lifespan.shutdown)

            self._stack = stack.pop_all()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        stack, self._stack = self._stack, None
        if stack is not None:
            stack.close()
