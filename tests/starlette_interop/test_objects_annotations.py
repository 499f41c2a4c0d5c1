"""Parameters annotated with Starlette's own classes (``Request``, ``HTTPConnection``,
``WebSocket``, ``Response``, ``BackgroundTasks``), as plugins written for FastAPI declare
them (httpx-oauth's callback dependency, slowapi): the same application on FastAPI and on
FasterAPI, the same answers, and the object is Starlette's own on both."""

from types import ModuleType
from typing import Annotated, Any

import pytest
from pydantic import BaseModel
from starlette.background import BackgroundTasks as StarletteBackgroundTasks
from starlette.requests import HTTPConnection as StarletteHTTPConnection
from starlette.requests import Request as StarletteRequest
from starlette.responses import Response as StarletteResponse
from starlette.websockets import WebSocket as StarletteWebSocket
from twins import Twins

import FasterAPI

HEADERS = ("content-type", "content-length", "set-cookie", "x-sub", "x-kind")


class Item(BaseModel):
    name: str
    size: int = 1


def described(request: Any) -> dict[str, Any]:
    """What the endpoint can tell of the object it got (compared between frameworks)."""
    return {
        "type": f"{type(request).__module__}.{type(request).__qualname__}",
        "is_starlette_request": isinstance(request, StarletteRequest),
        "is_connection": isinstance(request, StarletteHTTPConnection),
        "path": request.url.path,
        "query": dict(request.query_params),
        "agent": request.headers.get("x-agent"),
        "params": request.path_params,
    }


def test_request_annotation_in_endpoint_and_dependencies() -> None:
    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI()

        async def async_dep(request: StarletteRequest) -> str:
            return str(request.url.path)

        def sync_dep(
            connection: StarletteHTTPConnection, value: str = fw.Depends(async_dep)
        ) -> Any:
            return [isinstance(connection, StarletteRequest), value]

        @app.get("/async/{item_id}")
        async def endpoint(item_id: int, request: StarletteRequest) -> Any:
            return described(request)

        @app.get("/sync")
        def sync_endpoint(request: StarletteRequest, conn: StarletteHTTPConnection) -> Any:
            return {**described(request), "same": conn is request}

        @app.get("/deps")
        async def deps(
            found: Annotated[Any, fw.Depends(sync_dep)], request: StarletteRequest
        ) -> Any:
            return {"found": found, "same": isinstance(request, StarletteRequest)}

        return app

    twins = Twins(app, headers=HEADERS)
    body = twins.get("/async/7?q=1&q=2", headers={"x-agent": "007"}).json()
    assert body["is_starlette_request"] is True and body["params"] == {"item_id": "7"}
    assert twins.get("/sync?a=b").json()["same"] is True
    assert twins.get("/deps").json() == {"found": [True, "/deps"], "same": True}


def test_request_state_is_shared_with_the_frameworks_request() -> None:
    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI()

        @app.middleware("http")
        async def mark(request: Any, call_next: Any) -> Any:
            request.state.by_middleware = "mw"
            response = await call_next(request)
            response.headers["x-kind"] = request.state.by_endpoint
            return response

        def ours(request: fw.Request) -> None:  # type: ignore[name-defined]
            request.state.by_dependency = "dep"

        @app.get("/state", dependencies=[fw.Depends(ours)])
        async def state(request: StarletteRequest) -> Any:
            request.state.by_endpoint = "endpoint"
            return [request.state.by_middleware, request.state.by_dependency]

        return app

    twins = Twins(app, headers=HEADERS)
    answer = twins.get("/state")
    assert answer.json() == ["mw", "dep"] and answer.headers["x-kind"] == "endpoint"


@pytest.mark.parametrize("sync", [False, True])
def test_body_field_and_request_read_the_same_bytes(sync: bool) -> None:
    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI()

        async def read(item: Item, request: StarletteRequest) -> Any:
            raw = await request.body()
            parsed = await request.json()
            chunks = [chunk.decode() async for chunk in request.stream()]
            return {
                "item": item.model_dump(),
                "raw": raw.decode(),
                "json": parsed,
                "chunks": chunks,
            }

        def read_sync(item: Item, request: StarletteRequest) -> Any:
            return {"item": item.model_dump(), "type": type(request).__name__}

        app.post("/items")(read_sync if sync else read)

        @app.post("/raw")
        async def raw(request: StarletteRequest) -> Any:
            return {"raw": (await request.body()).decode(), "json": await request.json()}

        return app

    twins = Twins(app, headers=HEADERS)
    twins.post("/items", json={"name": "a", "size": 3})
    twins.post("/items", content=b'{"name": "spaced" ,  "size":4}')
    twins.post("/items", json={"size": "x"})  # 422 on both
    twins.post("/raw", content=b'{"x": [1, 2]}')


def test_form_field_and_request_form() -> None:
    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI()

        @app.post("/form")
        async def form(name: Annotated[str, fw.Form()], request: StarletteRequest) -> Any:
            data = await request.form()
            upload = data.get("file")
            return {
                "name": name,
                "items": sorted(k for k, _ in data.multi_items()),
                "file": None if isinstance(upload, str) or upload is None else upload.filename,
                "content": None
                if isinstance(upload, str) or upload is None
                else (await upload.read()).decode(),
            }

        return app

    twins = Twins(app, headers=HEADERS)
    twins.post("/form", data={"name": "n", "other": "o"})
    twins.post("/form", data={"name": "n"}, files={"file": ("f.txt", b"data")})


def test_response_parameter_is_the_sub_response() -> None:
    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI()

        def set_kind(response: StarletteResponse) -> None:
            response.headers["x-kind"] = "dependency"

        @app.get("/sub", dependencies=[fw.Depends(set_kind)])
        async def sub(response: StarletteResponse) -> Any:
            response.status_code = 201
            response.headers["x-sub"] = "yes"
            response.set_cookie("session", "abc", httponly=True)
            return {"is_starlette": isinstance(response, StarletteResponse)}

        @app.get("/untouched")
        def untouched(response: StarletteResponse) -> Any:
            return {"status": response.status_code}

        return app

    twins = Twins(app, headers=HEADERS)
    answer = twins.get("/sub")
    assert answer.status_code == 201 and answer.headers["x-sub"] == "yes"
    assert answer.headers["set-cookie"].startswith("session=abc")
    assert twins.get("/untouched").json() == {"status": None}


def test_background_tasks_parameter_runs_after_the_response() -> None:
    events: dict[str, list[str]] = {}

    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI()
        log = events.setdefault(fw.__name__, [])

        async def later(what: str) -> None:
            log.append(what)

        def dependency(tasks: StarletteBackgroundTasks) -> None:
            tasks.add_task(log.append, "from dependency")

        @app.get("/tasks", dependencies=[fw.Depends(dependency)])
        def endpoint(tasks: StarletteBackgroundTasks) -> Any:
            tasks.add_task(later, "from endpoint")
            log.append("endpoint")
            return {"is_starlette": isinstance(tasks, StarletteBackgroundTasks)}

        return app

    twins = Twins(app, headers=HEADERS)
    assert twins.get("/tasks").json() == {"is_starlette": True}
    assert events["FasterAPI"] == events["fastapi"]
    assert events["FasterAPI"] == ["endpoint", "from dependency", "from endpoint"]


def test_websocket_annotations() -> None:
    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI()

        async def first_header(connection: StarletteHTTPConnection) -> str:
            return f"{type(connection).__name__}:{connection.headers.get('x-agent')}"

        @app.websocket("/ws/{room}")
        async def ws(
            websocket: StarletteWebSocket,
            room: str,
            agent: Annotated[str, fw.Depends(first_header)],
        ) -> None:
            await websocket.accept()
            text = await websocket.receive_text()
            await websocket.send_json(
                {
                    "room": room,
                    "agent": agent,
                    "text": text,
                    "is_starlette": isinstance(websocket, StarletteWebSocket),
                }
            )
            await websocket.close(code=1001)

        return app

    twins = Twins(app, headers=HEADERS)
    answers = []
    for client in (twins.ours, twins.theirs):
        with client.websocket_connect("/ws/lobby", headers={"x-agent": "a"}) as session:
            session.send_text("hello")
            answers.append(session.receive_json())
    assert answers[0] == answers[1]
    assert answers[0] == {
        "room": "lobby",
        "agent": "WebSocket:a",
        "text": "hello",
        "is_starlette": True,
    }


def test_url_for_on_a_starlette_request() -> None:
    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI()

        @app.get("/items/{item_id}", name="item")
        async def item(item_id: int) -> Any:
            return item_id

        @app.get("/link")
        async def link(request: StarletteRequest) -> Any:
            return {"url": str(request.url_for("item", item_id=3))}

        return app

    twins = Twins(app, headers=HEADERS)
    assert twins.get("/link").json() == {"url": "http://testserver/items/3"}


def test_core_does_not_import_starlette() -> None:
    import subprocess
    import sys

    code = (
        "import sys, fasterapi_core.dependencies, fasterapi_routing.errors, "
        "fasterapi_routing.compiled_handler; import FasterAPI\n"
        "app = FasterAPI.Faster()\n"
        "@app.get('/')\n"
        "async def root(request: FasterAPI.Request): return 1\n"
        "from FasterAPI.testclient import TestClient\n"
        "assert TestClient(app).get('/').json() == 1\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'starlette'))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert found == "[]"
    assert FasterAPI  # the package under test


def test_openapi_and_dependency_overrides() -> None:
    def original() -> str:
        return "original"

    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI()

        @app.post("/items/{item_id}")
        async def items(
            item_id: int,
            item: Item,
            request: StarletteRequest,
            response: StarletteResponse,
            tasks: StarletteBackgroundTasks,
            value: Annotated[str, fw.Depends(original)],
            q: str = "",
        ) -> dict[str, Any]:
            response.headers["x-kind"] = value
            return {"id": item_id, "q": q, "path": request.url.path}

        async def replacement(request: StarletteRequest) -> str:
            return f"replaced {(await request.json())['name']}"

        app.dependency_overrides[original] = replacement
        return app

    twins = Twins(app, headers=HEADERS)
    paths = twins.openapi()["paths"]
    assert [p["name"] for p in paths["/items/{item_id}"]["post"]["parameters"]] == ["item_id", "q"]
    answer = twins.post("/items/3?q=s", json={"name": "n"})
    assert answer.headers["x-kind"] == "replaced n"


def test_websocket_disconnect_seen_through_starlettes_websocket() -> None:
    from starlette.websockets import WebSocketDisconnect

    seen: dict[str, list[Any]] = {}

    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI()
        log = seen.setdefault(fw.__name__, [])

        @app.websocket("/echo")
        async def echo(websocket: StarletteWebSocket) -> None:
            await websocket.accept()
            try:
                while True:
                    await websocket.send_text(await websocket.receive_text())
            except WebSocketDisconnect as exc:
                log.append(exc.code)

        return app

    twins = Twins(app, headers=HEADERS)
    for client in (twins.ours, twins.theirs):
        with client.websocket_connect("/echo") as session:
            session.send_text("one")
            assert session.receive_text() == "one"
            session.close(code=4321)
    assert seen["FasterAPI"] == seen["fastapi"] == [4321]
