"""Starlette's ``HTTPException`` and ``WebSocketException`` raised by endpoints and
dependencies, and handlers registered for Starlette's ``HTTPException`` (FastAPI's
documentation recommends ``@app.exception_handler(StarletteHTTPException)``): the same
application on FastAPI and on FasterAPI, the same answers."""

from types import ModuleType
from typing import Annotated, Any

import pytest
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.exceptions import WebSocketException as StarletteWebSocketException
from starlette.responses import PlainTextResponse
from twins import Twins, sub

HEADERS = ("content-type", "content-length", "x-error", "x-handler", "allow", "www-authenticate")


def raising_routes(fw: ModuleType, app: Any) -> None:
    def dependency(fail: str = "") -> None:
        if fail == "dependency":
            raise StarletteHTTPException(401, "no entry", headers={"WWW-Authenticate": "Basic"})

    def sync_dependency(fail: str = "") -> None:
        if fail == "sync":
            raise StarletteHTTPException(status_code=409)

    @app.get("/starlette", dependencies=[fw.Depends(dependency), fw.Depends(sync_dependency)])
    async def starlette_error(fail: str = "") -> Any:
        if fail == "endpoint":
            raise StarletteHTTPException(418, detail="teapot", headers={"x-error": "1"})
        if fail == "nobody":
            raise StarletteHTTPException(304)
        return {"fail": fail}

    @app.get("/starlette-sync")
    def starlette_sync() -> Any:
        raise StarletteHTTPException(400, detail={"nested": ["detail"]})

    @app.get("/framework")
    async def framework_error() -> Any:
        raise fw.HTTPException(403, detail="forbidden", headers={"x-error": "fw"})

    @app.post("/only-post")
    async def only_post() -> Any:
        return "posted"


CASES = [
    "/starlette?fail=endpoint",
    "/starlette?fail=dependency",
    "/starlette?fail=sync",
    "/starlette?fail=nobody",
    "/starlette",
    "/starlette-sync",
    "/framework",
    "/only-post",
    "/nowhere",
]


@pytest.mark.parametrize("url", CASES)
def test_default_handlers(url: str) -> None:
    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI()
        raising_routes(fw, app)
        return app

    Twins(app, headers=HEADERS).get(url)


@pytest.mark.parametrize("url", CASES)
def test_handler_for_starlettes_http_exception_catches_every_http_exception(url: str) -> None:
    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI()
        raising_routes(fw, app)

        @app.exception_handler(StarletteHTTPException)
        async def handler(request: Any, exc: Any) -> Any:
            return PlainTextResponse(
                f"{exc.status_code}: {exc.detail}",
                status_code=exc.status_code,
                headers={"x-handler": "starlette"},
            )

        return app

    answer = Twins(app, headers=HEADERS).get(url)
    if url != "/starlette":
        assert answer.headers["x-handler"] == "starlette"


@pytest.mark.parametrize("url", CASES)
def test_handler_for_the_frameworks_http_exception(url: str) -> None:
    # FastAPI's HTTPException is a subclass of Starlette's: a handler for it does not catch
    # Starlette's (nor the router's 404/405), the default handler does.
    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI()
        raising_routes(fw, app)

        @app.exception_handler(fw.HTTPException)
        def handler(request: Any, exc: Any) -> Any:
            return PlainTextResponse("framework", status_code=exc.status_code)

        return app

    Twins(app, headers=HEADERS).get(url)


def test_both_handlers_and_a_status_handler() -> None:
    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI()
        raising_routes(fw, app)

        @app.exception_handler(fw.HTTPException)
        def framework(request: Any, exc: Any) -> Any:
            return PlainTextResponse("framework", status_code=exc.status_code)

        @app.exception_handler(StarletteHTTPException)
        def starlette(request: Any, exc: Any) -> Any:
            return PlainTextResponse("starlette", status_code=exc.status_code)

        @app.exception_handler(418)
        def teapot(request: Any, exc: Any) -> Any:
            return PlainTextResponse("by status", status_code=200)

        return app

    twins = Twins(app, headers=HEADERS)
    for url in CASES:
        twins.get(url)
    assert twins.get("/starlette?fail=endpoint").text == "by status"
    assert twins.get("/framework").text == "framework"
    assert twins.get("/nowhere").text == "starlette"


def test_websocket_exceptions_close_the_connection() -> None:
    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI()

        def check(token: str = "") -> str:
            if token == "bad":
                raise StarletteWebSocketException(code=4001, reason="bad token")
            return token

        @app.websocket("/ws")
        async def ws(websocket: fw.WebSocket, token: Annotated[str, fw.Depends(check)]) -> None:  # type: ignore[name-defined]
            await websocket.accept()
            text = await websocket.receive_text()
            if text == "stop":
                raise StarletteWebSocketException(code=4002, reason=f"stopped {token}")
            await websocket.send_text(text)
            await websocket.close()

        return app

    twins = Twins(app)
    closes = []
    for client, fw_name in ((twins.ours, "FasterAPI"), (twins.theirs, "fastapi")):
        disconnect = sub(__import__(fw_name), "websockets").WebSocketDisconnect
        with pytest.raises(disconnect) as refused, client.websocket_connect("/ws?token=bad") as bad:
            bad.receive_text()
        with client.websocket_connect("/ws?token=ok") as session:
            session.send_text("stop")
            with pytest.raises(disconnect) as stopped:
                session.receive_text()
        closes.append(
            [(e.value.code, e.value.reason) for e in (refused, stopped)]  # type: ignore[attr-defined]
        )
    assert closes[0] == closes[1] == [(4001, "bad token"), (4002, "stopped ok")]


def test_handler_for_starlettes_websocket_exception() -> None:
    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI()

        @app.exception_handler(StarletteWebSocketException)
        async def handler(websocket: Any, exc: Any) -> None:
            await websocket.close(code=4100 + exc.code % 100, reason=f"handled {exc.reason}")

        @app.websocket("/ws")
        async def ws(websocket: fw.WebSocket) -> None:  # type: ignore[name-defined]
            await websocket.accept()
            raise fw.WebSocketException(code=4003, reason="framework's")

        return app

    twins = Twins(app)
    closes = []
    for client, fw_name in ((twins.ours, "FasterAPI"), (twins.theirs, "fastapi")):
        disconnect = sub(__import__(fw_name), "websockets").WebSocketDisconnect
        with client.websocket_connect("/ws") as session, pytest.raises(disconnect) as closed:
            session.receive_text()
        closes.append((closed.value.code, closed.value.reason))  # type: ignore[attr-defined]
    assert closes[0] == closes[1] == (4103, "handled framework's")
