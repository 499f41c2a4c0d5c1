"""WebSocket routes with parameters and dependencies, compared with FastAPI where possible."""

from types import ModuleType
from typing import Annotated, Any, Optional

import pytest
from fastapi.testclient import TestClient as FastAPITestClient
from starlette.websockets import WebSocketDisconnect as StarletteDisconnect

import FasterAPI


def make_app(fw: ModuleType) -> Any:
    Depends, Query, Header, Cookie = fw.Depends, fw.Query, fw.Header, fw.Cookie
    WebSocket, WebSocketDisconnect = fw.WebSocket, fw.WebSocketDisconnect
    exceptions = __import__(f"{fw.__name__}.exceptions", fromlist=["WebSocketException"])
    closed: list[Any] = []

    async def session_or_token(
        session: Annotated[Optional[str], Cookie()] = None,
        token: Annotated[Optional[str], Query()] = None,
    ) -> str:
        if session is None and token is None:
            raise exceptions.WebSocketException(code=1008, reason="no credentials")
        return session or token or ""

    app = fw.FastAPI()

    @app.websocket("/items/{item_id}/ws")
    async def items_ws(
        websocket: WebSocket,
        item_id: int,
        q: Optional[int] = None,
        who: str = Depends(session_or_token),
        x_client: Annotated[str, Header()] = "none",
    ) -> None:
        await websocket.accept()
        try:
            while True:
                data = await websocket.receive_text()
                await websocket.send_json(
                    {"item_id": item_id, "q": q, "who": who, "x_client": x_client, "data": data}
                )
        except WebSocketDisconnect as exc:
            closed.append(exc.code)

    @app.websocket("/echo")
    async def echo(websocket: WebSocket) -> None:
        await websocket.accept()
        message = await websocket.receive_json()
        await websocket.send_json({"echo": message, "state": websocket.application_state.name})
        await websocket.close(code=1000)

    @app.websocket("/reject")
    async def reject(websocket: WebSocket) -> None:
        raise exceptions.WebSocketException(code=4001, reason="go away")

    @app.websocket("/after-accept")
    async def after_accept(websocket: WebSocket) -> None:
        await websocket.accept()
        raise exceptions.WebSocketException(code=4002, reason="later")

    router = fw.APIRouter(prefix="/rt")

    @router.websocket("/chat")
    async def chat(websocket: WebSocket, room: str) -> None:
        await websocket.accept()
        await websocket.send_text(f"room {room}")
        await websocket.close()

    app.include_router(router)

    @app.get("/closed")
    def read_closed() -> Any:
        return closed

    return app


@pytest.fixture(params=["fasterapi", "fastapi"])
def client(request: pytest.FixtureRequest) -> Any:
    import fastapi

    if request.param == "fasterapi":
        return FasterAPI.TestClient(make_app(FasterAPI))
    return FastAPITestClient(make_app(fastapi))


def _disconnect_type(client: Any) -> type[BaseException]:
    return (
        FasterAPI.WebSocketDisconnect
        if isinstance(client, FasterAPI.TestClient)
        else StarletteDisconnect
    )


def test_path_query_header_cookie_and_dependency(client: Any) -> None:
    client.cookies.set("session", "sess")
    with client.websocket_connect("/items/7/ws?q=3", headers={"x-client": "cli"}) as ws:
        ws.send_text("hi")
        assert ws.receive_json() == {
            "item_id": 7,
            "q": 3,
            "who": "sess",
            "x_client": "cli",
            "data": "hi",
        }
        ws.send_text("again")
        assert ws.receive_json()["data"] == "again"
    assert client.get("/closed").json() == [1000]


def test_invalid_parameters_close_1008(client: Any) -> None:
    with (
        pytest.raises(_disconnect_type(client)) as info,
        client.websocket_connect("/items/x/ws?token=t&q=y"),
    ):
        pass
    assert info.value.code == 1008


def test_dependency_websocket_exception_closes(client: Any) -> None:
    with pytest.raises(_disconnect_type(client)) as info, client.websocket_connect("/items/1/ws"):
        pass
    assert info.value.code == 1008


def test_websocket_exception_before_accept(client: Any) -> None:
    with pytest.raises(_disconnect_type(client)) as info, client.websocket_connect("/reject"):
        pass
    assert info.value.code == 4001


def test_websocket_exception_after_accept(client: Any) -> None:
    disconnect = _disconnect_type(client)
    with client.websocket_connect("/after-accept") as ws, pytest.raises(disconnect) as info:
        ws.receive_text()
    assert info.value.code == 4002


def test_json_echo_and_state(client: Any) -> None:
    with client.websocket_connect("/echo") as ws:
        ws.send_json({"a": [1, 2]})
        assert ws.receive_json() == {"echo": {"a": [1, 2]}, "state": "CONNECTED"}


def test_router_websocket_route(client: Any) -> None:
    with client.websocket_connect("/rt/chat?room=blue") as ws:
        assert ws.receive_text() == "room blue"
    with pytest.raises(_disconnect_type(client)) as info, client.websocket_connect("/rt/chat"):
        pass
    assert info.value.code == 1008


def test_query_string_argument_of_our_client() -> None:
    client = FasterAPI.TestClient(make_app(FasterAPI))
    with client.websocket_connect(
        "/items/2/ws", headers={"x-client": "c"}, query_string="token=tok&q=5"
    ) as ws:
        ws.send_text("x")
        assert ws.receive_json() == {
            "item_id": 2,
            "q": 5,
            "who": "tok",
            "x_client": "c",
            "data": "x",
        }


def test_websocket_state_enum() -> None:
    names = {state.name for state in FasterAPI.WebSocketState}
    assert {"CONNECTING", "CONNECTED", "DISCONNECTED"} <= names


def test_sync_dependency_and_generator_on_websocket_route() -> None:
    app = FasterAPI.Faster()
    events: list[str] = []

    def resource() -> Any:
        events.append("open")
        yield "res"
        events.append("close")

    @app.websocket("/ws")
    async def ws_route(
        websocket: FasterAPI.WebSocket, r: str = FasterAPI.Depends(resource)
    ) -> None:
        await websocket.accept()
        await websocket.send_text(r)
        await websocket.close()

    with FasterAPI.TestClient(app).websocket_connect("/ws") as ws:
        assert ws.receive_text() == "res"
    assert events == ["open", "close"]
