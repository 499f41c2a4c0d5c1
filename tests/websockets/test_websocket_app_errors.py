"""An exception in a WebSocket endpoint or its dependencies, compared with FastAPI 0.165 (issue
#18): an unhandled one propagates out of the application (the test client re-raises it, as
``pytest.raises(ValueError)`` around ``websocket_connect`` expects) instead of being turned
into a close with 1011; ``WebSocketException``, ``WebSocketDisconnect``, ``HTTPException`` and
registered handlers behave as FastAPI's."""

from collections.abc import AsyncIterator
from types import ModuleType
from typing import Any

import fastapi
import pytest
from fastapi.testclient import TestClient as FastAPIClient
from starlette.testclient import WebSocketDenialResponse as StarletteDenial

import FasterAPI
from FasterAPI.testclient import TestClient, WebSocketDenialResponse


class Boom(Exception):
    """Handled by a registered exception handler."""


class PassThrough:
    """A pure ASGI middleware: the error layers are no longer fused around the router."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)


def make_app(fw: ModuleType, *, handlers: bool = False, middleware: bool = False) -> Any:
    app = fw.FastAPI()
    if middleware:
        app.add_middleware(PassThrough)

    def broken() -> None:
        raise ValueError("dependency failed")

    async def cleanup_fails() -> AsyncIterator[None]:
        yield
        raise ValueError("cleanup failed")

    @app.websocket("/dependency", dependencies=[fw.Depends(broken)])
    async def dependency(websocket: fw.WebSocket) -> None:  # type: ignore[name-defined]
        await websocket.accept()  # pragma: no cover

    @app.websocket("/before-accept")
    async def before_accept(websocket: fw.WebSocket) -> None:  # type: ignore[name-defined]
        raise ValueError("before accept")

    @app.websocket("/sync")
    def sync_endpoint(websocket: fw.WebSocket) -> None:  # type: ignore[name-defined]
        raise ValueError("sync endpoint")

    @app.websocket("/after-accept")
    async def after_accept(websocket: fw.WebSocket) -> None:  # type: ignore[name-defined]
        await websocket.accept()
        await websocket.send_text(await websocket.receive_text())
        raise ValueError("after accept")

    @app.websocket("/cleanup", dependencies=[fw.Depends(cleanup_fails)])
    async def cleanup(websocket: fw.WebSocket) -> None:  # type: ignore[name-defined]
        await websocket.accept()
        await websocket.send_text(await websocket.receive_text())
        await websocket.close()

    @app.websocket("/ws-exception-before")
    async def ws_exception_before(websocket: fw.WebSocket) -> None:  # type: ignore[name-defined]
        raise fw.WebSocketException(code=4001, reason="not now")

    @app.websocket("/ws-exception-after")
    async def ws_exception_after(websocket: fw.WebSocket) -> None:  # type: ignore[name-defined]
        await websocket.accept()
        await websocket.send_text(await websocket.receive_text())
        raise fw.WebSocketException(code=4002, reason="enough")

    @app.websocket("/disconnect")
    async def disconnect(websocket: fw.WebSocket) -> None:  # type: ignore[name-defined]
        await websocket.accept()
        await websocket.send_text(await websocket.receive_text())
        raise fw.WebSocketDisconnect(code=4003, reason="gone")

    @app.websocket("/http-exception-after")
    async def http_exception_after(websocket: fw.WebSocket) -> None:  # type: ignore[name-defined]
        await websocket.accept()
        await websocket.send_text(await websocket.receive_text())
        raise fw.HTTPException(status_code=404, detail="nothing here")

    @app.websocket("/handled")
    async def handled(websocket: fw.WebSocket) -> None:  # type: ignore[name-defined]
        await websocket.accept()
        await websocket.send_text(await websocket.receive_text())
        raise Boom("handled")

    if handlers:

        @app.exception_handler(Boom)
        async def on_boom(websocket: Any, exc: Boom) -> None:
            await websocket.close(code=4010, reason=str(exc))

        @app.exception_handler(Exception)  # the 500 handler: HTTP only, as in Starlette
        async def on_any(request: Any, exc: Exception) -> Any:
            return sub_responses(fw).PlainTextResponse("handled 500", status_code=500)

    return app


def sub_responses(fw: ModuleType) -> Any:
    return FasterAPI.responses if fw is FasterAPI else fastapi.responses


DISCONNECTS = (FasterAPI.WebSocketDisconnect, fastapi.WebSocketDisconnect)


def outcome(client: Any, path: str) -> list[Any]:
    """What the client saw: the echo, then how the session ended (exception, close, denial)."""
    seen: list[Any] = []
    try:
        with client.websocket_connect(path) as websocket:
            seen.append("accepted")
            websocket.send_text("hello")
            seen.append(websocket.receive_text())
            seen.append(websocket.receive())
    except (WebSocketDenialResponse, StarletteDenial) as denial:
        seen.append(("denied", denial.status_code, denial.content))
    except DISCONNECTS as closed:
        seen.append(("disconnect", closed.code, closed.reason))
    except Exception as exc:  # the application's exception, re-raised by the test client
        seen.append(("raised", type(exc).__name__, str(exc)))
    return seen


PATHS = [
    "/dependency",
    "/before-accept",
    "/sync",
    "/after-accept",
    "/cleanup",
    "/ws-exception-before",
    "/ws-exception-after",
    "/disconnect",
    "/handled",
]


def ending(seen: list[Any]) -> tuple[bool, Any]:
    """Whether the handshake was accepted, and how the session ended. Starlette's session loses
    the messages an application sent just before it raised (it closes its streams when the
    application fails, before the client reads them): FasterAPI's delivers them, then raises."""
    return seen[0] == "accepted", seen[-1]


@pytest.mark.parametrize("middleware", [False, True], ids=["", "middleware"])
@pytest.mark.parametrize("handlers", [False, True], ids=["no-handlers", "handlers"])
@pytest.mark.parametrize("path", PATHS)
def test_websocket_errors_as_fastapi(path: str, handlers: bool, middleware: bool) -> None:
    options = {"handlers": handlers, "middleware": middleware}
    ours = outcome(TestClient(make_app(FasterAPI, **options)), path)
    theirs = outcome(FastAPIClient(make_app(fastapi, **options)), path)
    assert ending(ours) == ending(theirs)


@pytest.mark.parametrize("path", PATHS)
def test_raise_server_exceptions_false_does_not_apply_to_websockets(path: str) -> None:
    ours = outcome(TestClient(make_app(FasterAPI), raise_server_exceptions=False), path)
    theirs = outcome(FastAPIClient(make_app(fastapi), raise_server_exceptions=False), path)
    assert ending(ours) == ending(theirs)


def test_http_exception_after_accept_closes_with_1008() -> None:
    """Intentional difference: after accept, FastAPI sends its HTTP error as a denial response
    (``websocket.http.response.start``), which no server can send on an open WebSocket (uvicorn
    fails the connection); FasterAPI closes with 1008 and the detail, as before accept without
    the denial extension."""
    ours = outcome(TestClient(make_app(FasterAPI)), "/http-exception-after")
    theirs = outcome(FastAPIClient(make_app(fastapi)), "/http-exception-after")
    assert ours == [
        "accepted",
        "hello",
        {"type": "websocket.close", "code": 1008, "reason": "nothing here"},
    ]
    assert theirs[:2] == ["accepted", "hello"]
    assert theirs[2]["type"] == "websocket.http.response.start"


def test_an_unhandled_error_is_re_raised_not_closed_with_1011() -> None:
    """Regression (issue #18): FasterAPI closed the handshake with 1011 ('Internal error')."""
    client = TestClient(make_app(FasterAPI))
    with (
        pytest.raises(ValueError, match="dependency failed"),
        client.websocket_connect("/dependency"),
    ):
        pass  # pragma: no cover
    with (
        pytest.raises(ValueError, match=r"^before accept$"),
        client.websocket_connect("/before-accept"),
    ):
        pass  # pragma: no cover
    with client.websocket_connect("/after-accept") as websocket:
        websocket.send_text("hi")
        assert websocket.receive_text() == "hi"
        with pytest.raises(ValueError, match=r"^after accept$"):
            websocket.receive_text()


def test_expected_outcomes() -> None:
    """The comparison above is not vacuous: what both frameworks answer, spelled out."""
    client = TestClient(make_app(FasterAPI, handlers=True))
    assert outcome(client, "/sync") == [("raised", "ValueError", "sync endpoint")]
    assert outcome(client, "/cleanup") == [
        "accepted",
        "hello",
        {"type": "websocket.close", "code": 1000, "reason": ""},
        ("raised", "ValueError", "cleanup failed"),
    ]
    assert outcome(client, "/ws-exception-before") == [("disconnect", 4001, "not now")]
    assert outcome(client, "/ws-exception-after") == [
        "accepted",
        "hello",
        {"type": "websocket.close", "code": 4002, "reason": "enough"},
    ]
    assert outcome(client, "/handled") == [
        "accepted",
        "hello",
        {"type": "websocket.close", "code": 4010, "reason": "handled"},
    ]
