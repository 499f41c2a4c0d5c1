"""Native telemetry's operation spans (``fastapi.dependencies``, ``fastapi.endpoint``,
``fastapi.serialization``, ``fastapi.background_task``) and ``TelemetryData``: the same app on
FastAPI 0.165 and on FasterAPI records the same spans (names, parents, attributes, status) and
shows the same data to the code it runs; routes that record nothing keep their own handler."""

import logging
import sys
import threading
from collections.abc import Iterator
from typing import Annotated, Any

import fastapi
import fastapi.responses
import fastapi.telemetry
import fastapi.testclient
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

import FasterAPI
import FasterAPI.responses
import FasterAPI.telemetry
import FasterAPI.testclient

FRAMEWORKS: dict[str, Any] = {"fasterapi": FasterAPI, "fastapi": fastapi}
TELEMETRY: dict[str, Any] = {"fasterapi": FasterAPI.telemetry, "fastapi": fastapi.telemetry}
APPS = {"fasterapi": FasterAPI.Faster, "fastapi": fastapi.FastAPI}
CLIENTS = {
    "fasterapi": FasterAPI.testclient.TestClient,
    "fastapi": fastapi.testclient.TestClient,
}
BOTH = pytest.mark.parametrize("name", ["fastapi", "fasterapi"])


@pytest.fixture
def spans() -> Iterator[tuple[TracerProvider, InMemorySpanExporter]]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider(shutdown_on_exit=False)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield provider, exporter
    provider.shutdown()


def _summary(exporter: InMemorySpanExporter) -> list[tuple[Any, ...]]:
    """Each finished span: name, kind, its parent's name, status, attributes (in finish order;
    ids replaced by names, function and exception names without their module)."""
    finished = exporter.get_finished_spans()
    names = {span.context.span_id: span.name for span in finished}
    exporter.clear()
    found = []
    for span in finished:
        attributes = {
            key: value.rsplit(".", 1)[-1] if key != "http.route" else value
            for key, value in (span.attributes or {}).items()
            if key in ("code.function.name", "error.type", "http.route")
        }
        parent = None if span.parent is None else names.get(span.parent.span_id, "remote")
        found.append((span.name, span.kind.name, parent, span.status.status_code.name, attributes))
    return found


def _operations_app(name: str, provider: TracerProvider, seen: list[Any]) -> Any:
    fw = FRAMEWORKS[name]
    get_data = TELEMETRY[name].get_telemetry_data
    app = APPS[name](telemetry={"tracer_provider": provider})

    def dependency(request: fw.Request) -> str:
        data = get_data()
        seen.append(("dependency", data.request is request, data.body, data.values))
        return "private"

    @app.post("/async/{item_id}")
    async def async_endpoint(
        item_id: int, body: dict[str, int], value: Annotated[str, fw.Depends(dependency)]
    ) -> dict[str, Any]:
        data = get_data()
        seen.append(("endpoint", sorted(data.values), data.body, data.errors, data.websocket))
        return {"item_id": item_id, "value": value, **body}

    @app.get("/sync")
    def sync_endpoint(value: Annotated[str, fw.Depends(dependency)]) -> str:
        seen.append(("sync endpoint thread", threading.current_thread().name != "MainThread"))
        return value

    async def failing_dependency() -> None:
        raise ValueError("dependency failure")

    @app.get("/failing-dependency", dependencies=[fw.Depends(failing_dependency)])
    async def failing_dependency_route() -> str:
        return "never"

    @app.get("/failing-endpoint")
    async def failing_endpoint() -> str:
        raise ValueError("endpoint failure")

    @app.get("/failing-serialization", response_model=int)
    async def failing_serialization() -> Any:
        return "not an integer"

    @app.get("/handled")
    async def handled() -> None:
        raise fw.HTTPException(400)

    @app.get("/response")
    async def response() -> Any:
        return fw.responses.PlainTextResponse("plain")

    @app.get("/invalid")
    async def invalid(count: int) -> int:
        return count

    return app


CASES = [
    ("POST", "/async/7", {"json": {"a": 1}}),
    ("GET", "/sync", {}),
    ("GET", "/failing-dependency", {}),
    ("GET", "/failing-endpoint", {}),
    ("GET", "/failing-serialization", {}),
    ("GET", "/handled", {}),
    ("GET", "/response", {}),
    ("GET", "/invalid?count=x", {}),
    ("GET", "/docs", {}),
]


def _operations(name: str, provider: TracerProvider, exporter: InMemorySpanExporter) -> Any:
    seen: list[Any] = []
    client = CLIENTS[name](_operations_app(name, provider, seen), raise_server_exceptions=False)
    observed = []
    for method, path, options in CASES:
        response = client.request(method, path, **options)
        observed.append((path, response.status_code, _summary(exporter)))
    return observed, seen


def test_operation_spans_and_data_as_fastapi(
    spans: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    expected = _operations("fastapi", *spans)
    assert _operations("fasterapi", *spans) == expected
    observed, seen = expected
    assert observed[0][2] == [
        ("fastapi.dependencies", "INTERNAL", "POST /async/{item_id}", "UNSET", {"code.function.name": "async_endpoint"}),
        ("fastapi.endpoint", "INTERNAL", "POST /async/{item_id}", "UNSET", {"code.function.name": "async_endpoint"}),
        ("fastapi.serialization", "INTERNAL", "POST /async/{item_id}", "UNSET", {"code.function.name": "async_endpoint"}),
        ("POST /async/{item_id}", "SERVER", None, "UNSET", {"http.route": "/async/{item_id}"}),
    ]  # fmt: skip
    assert [status for _, status, _ in observed] == [200, 200, 500, 500, 500, 400, 200, 422, 200]
    failed = {path: [s[0] for s in found if s[3] == "ERROR"] for path, _, found in observed}
    assert failed["/failing-dependency"] == ["fastapi.dependencies", "GET /failing-dependency"]
    assert failed["/failing-endpoint"] == ["fastapi.endpoint", "GET /failing-endpoint"]
    assert failed["/failing-serialization"][0] == "fastapi.serialization"
    assert failed["/handled"] == failed["/invalid?count=x"] == []
    assert [s[0] for s in observed[-1][2]] == ["GET /docs"]  # no operations for the docs page
    assert seen == [
        ("dependency", True, {"a": 1}, None),
        ("endpoint", ["body", "item_id", "value"], {"a": 1}, [], None),
        ("dependency", True, None, None),
        ("sync endpoint thread", True),
    ]


def _background_app(name: str, provider: TracerProvider, seen: list[Any]) -> Any:
    fw = FRAMEWORKS[name]
    get_data = TELEMETRY[name].get_telemetry_data
    app = APPS[name](telemetry={"tracer_provider": provider})
    from opentelemetry import trace

    def sync_task(value: str) -> None:
        data = get_data()
        seen.append((value, trace.get_current_span().name, data.request.url.path))

    async def async_task(value: str) -> None:
        seen.append((value, trace.get_current_span().name))

    @app.get("/tasks")
    async def tasks(background: fw.BackgroundTasks) -> str:
        background.add_task(sync_task, "sync")
        background.add_task(async_task, "async")
        return "ok"

    @app.get("/response")
    async def response() -> Any:
        background = fw.BackgroundTasks()
        background.add_task(async_task, "in a response")
        return fw.responses.JSONResponse("ok", background=background)

    return app


@BOTH
def test_background_task_spans_as_fastapi(
    name: str, spans: tuple[TracerProvider, InMemorySpanExporter]
) -> None:
    seen: list[Any] = []
    client = CLIENTS[name](_background_app(name, spans[0], seen))
    assert client.get("/tasks").json() == "ok"
    assert _summary(spans[1]) == [
        ("fastapi.dependencies", "INTERNAL", "GET /tasks", "UNSET", {"code.function.name": "tasks"}),
        ("fastapi.endpoint", "INTERNAL", "GET /tasks", "UNSET", {"code.function.name": "tasks"}),
        ("fastapi.serialization", "INTERNAL", "GET /tasks", "UNSET", {"code.function.name": "tasks"}),
        ("GET /tasks", "SERVER", None, "UNSET", {"http.route": "/tasks"}),
        ("fastapi.background_task", "INTERNAL", "GET /tasks", "UNSET", {"code.function.name": "sync_task"}),
        ("fastapi.background_task", "INTERNAL", "GET /tasks", "UNSET", {"code.function.name": "async_task"}),
    ]  # fmt: skip
    assert client.get("/response").json() == "ok"
    assert [s[0] for s in _summary(spans[1])] == [
        "fastapi.dependencies",
        "fastapi.endpoint",
        "GET /response",
        "fastapi.background_task",
    ]
    assert seen == [
        ("sync", "fastapi.background_task", "/tasks"),
        ("async", "fastapi.background_task"),
        ("in a response", "fastapi.background_task"),
    ]


@BOTH
def test_failing_background_task_span(
    name: str, spans: tuple[TracerProvider, InMemorySpanExporter]
) -> None:
    app = APPS[name](telemetry={"tracer_provider": spans[0]})

    def fail() -> None:
        raise ValueError("background failure")

    @app.get("/")
    async def endpoint(background: FRAMEWORKS[name].BackgroundTasks) -> str:
        background.add_task(fail)
        return "ok"

    response = CLIENTS[name](app, raise_server_exceptions=False).get("/")
    assert (response.status_code, response.json()) == (200, "ok")
    found = _summary(spans[1])
    assert found[-2][0] == "GET /" and found[-2][3] == "UNSET"
    assert found[-1] == (
        "fastapi.background_task",
        "INTERNAL",
        "GET /",
        "ERROR",
        {"code.function.name": "fail", "error.type": "ValueError"},
    )


def _websocket_app(name: str, provider: TracerProvider, seen: list[Any]) -> Any:
    fw = FRAMEWORKS[name]
    get_data = TELEMETRY[name].get_telemetry_data
    app = APPS[name](telemetry={"tracer_provider": provider})

    def dependency(websocket: fw.WebSocket) -> str:
        data = get_data()
        seen.append((data.websocket is websocket, data.request, data.values))
        return "service"

    @app.websocket("/rooms/{room}")
    async def room(
        websocket: fw.WebSocket, room: int, value: Annotated[str, fw.Depends(dependency)]
    ) -> None:
        data = get_data()
        seen.append((sorted(data.values), data.errors))
        await websocket.accept()
        await websocket.send_text(f"{room}:{value}")
        await websocket.close()

    return app


@BOTH
def test_websocket_operation_spans_and_data(
    name: str, spans: tuple[TracerProvider, InMemorySpanExporter]
) -> None:
    seen: list[Any] = []
    client = CLIENTS[name](_websocket_app(name, spans[0], seen))
    with client.websocket_connect("/rooms/4") as websocket:
        assert websocket.receive_text() == "4:service"
    assert _summary(spans[1]) == [
        ("fastapi.dependencies", "INTERNAL", "WS /rooms/{room}", "UNSET", {"code.function.name": "room"}),
        ("fastapi.endpoint", "INTERNAL", "WS /rooms/{room}", "UNSET", {"code.function.name": "room"}),
        ("WS /rooms/{room}", "SERVER", None, "UNSET", {"http.route": "/rooms/{room}"}),
    ]  # fmt: skip
    assert seen == [(True, None, None), (["room", "value", "websocket"], [])]


def test_operation_spans_off(spans: tuple[TracerProvider, InMemorySpanExporter]) -> None:
    """``operation_spans: False``: the server span only, the data still filled in."""
    seen: list[Any] = []
    app = FasterAPI.Faster(telemetry={"tracer_provider": spans[0], "operation_spans": False})

    @app.post("/")
    async def endpoint(body: dict[str, int]) -> int:
        data = FasterAPI.telemetry.get_telemetry_data()
        seen.append((data.body, sorted(data.values)))
        return 1

    assert FasterAPI.testclient.TestClient(app).post("/", json={"a": 2}).json() == 1
    assert [s[0] for s in _summary(spans[1])] == ["POST /"]
    assert seen == [({"a": 2}, ["body"])]


def test_routes_recording_nothing_keep_their_own_handler(
    spans: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    """Telemetry without a provider: the compiled handler, untouched. Once an application
    records, excluded requests are still served by it (no span, no data)."""
    quiet = FasterAPI.Faster()

    @quiet.get("/items/{item_id}")
    async def item(item_id: int) -> int:
        return item_id

    (route,) = [r for r in quiet.routes if getattr(r, "path", "") == "/items/{item_id}"]
    compiled = route.handle
    assert FasterAPI.testclient.TestClient(quiet).get("/items/3").json() == 3
    assert route.handle is compiled

    seen: list[Any] = []
    app = FasterAPI.Faster(
        telemetry={"tracer_provider": spans[0], "exclude": lambda scope: scope["path"] == "/skip"}
    )

    @app.get("/skip")
    async def skip() -> str:
        seen.append(FasterAPI.telemetry.get_telemetry_data())
        return "skipped"

    @app.get("/keep")
    async def keep() -> str:
        seen.append(FasterAPI.telemetry.get_telemetry_data() is not None)
        return "kept"

    client = FasterAPI.testclient.TestClient(app)
    assert client.get("/keep").json() == "kept"
    assert client.get("/skip").json() == "skipped"
    assert seen == [True, None]
    assert [s[0] for s in _summary(spans[1])] == [
        "fastapi.dependencies",
        "fastapi.endpoint",
        "fastapi.serialization",
        "GET /keep",
    ]


def test_routes_added_after_the_first_recorded_request(
    spans: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    app = FasterAPI.Faster(telemetry={"tracer_provider": spans[0]})

    @app.get("/first")
    async def first() -> str:
        return "first"

    client = FasterAPI.testclient.TestClient(app)
    assert client.get("/first").json() == "first"
    _summary(spans[1])

    @app.get("/later")
    async def later() -> str:
        return "later"

    assert client.get("/later").json() == "later"
    assert [s[0] for s in _summary(spans[1])][:2] == ["fastapi.dependencies", "fastapi.endpoint"]


@pytest.mark.parametrize("stand_in", [False, True])
def test_configuration_failure_warning_logger(
    stand_in: bool, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Automatic configuration failing warns (startup goes on) on ``fasterapi``; on ``fastapi``
    while FasterAPI's stand-in serves the ``fastapi`` package (FastAPI's users look there)."""
    from FasterAPI._stand_in.finder import StandInModule

    if stand_in:
        monkeypatch.setitem(sys.modules, "fastapi", StandInModule("fastapi"))
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "not-a-url")
    app = FasterAPI.Faster(telemetry={"auto_configure": True})
    with caplog.at_level(logging.WARNING), FasterAPI.testclient.TestClient(app) as client:
        assert client.get("/").status_code == 404
    assert [(r.name, r.levelname) for r in caplog.records] == [
        ("fastapi" if stand_in else "fasterapi", "WARNING")
    ]
    assert (
        caplog.records[0]
        .getMessage()
        .startswith(
            "FastAPI automatic telemetry configuration failed: Invalid OTLP traces endpoint"
        )
    )


@BOTH
def test_form_body_in_telemetry_data(
    name: str, spans: tuple[TracerProvider, InMemorySpanExporter]
) -> None:
    """A form body: ``data.body`` is the parsed form (its fields), seen by dependencies."""
    fw = FRAMEWORKS[name]
    get_data = TELEMETRY[name].get_telemetry_data
    app = APPS[name](telemetry={"tracer_provider": spans[0]})
    seen: list[Any] = []

    def dependency() -> None:
        seen.append(sorted(get_data().body.multi_items()))

    @app.post("/login", dependencies=[fw.Depends(dependency)])
    async def login(user: Annotated[str, fw.Form()], tags: Annotated[list[str], fw.Form()]) -> str:
        return user + ":" + ",".join(tags)

    client = CLIENTS[name](app)
    response = client.post("/login", data={"user": "ada", "tags": ["a", "b"]})
    assert (response.status_code, response.json()) == (200, "ada:a,b")
    assert seen == [[("tags", "a"), ("tags", "b"), ("user", "ada")]]
