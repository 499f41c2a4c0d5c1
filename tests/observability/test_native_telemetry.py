"""Native telemetry (FastAPI 0.165's ``telemetry=``): the same app on FastAPI and on FasterAPI
records the same server spans (name, attributes, status, parent), metrics and exception logs."""

import contextlib
from collections.abc import Iterator
from typing import Any

import fastapi
import fastapi.testclient
import pytest
from interpreters import Interpreter
from opentelemetry import trace
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter, SimpleLogRecordProcessor
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

import FasterAPI
import FasterAPI.telemetry
import FasterAPI.testclient
import fasterapi_routing.telemetry.config

FRAMEWORKS: dict[str, Any] = {
    "fasterapi": FasterAPI,
    "fastapi": fastapi,
}
CLIENTS = {
    "fasterapi": FasterAPI.testclient.TestClient,
    "fastapi": fastapi.testclient.TestClient,
}
APPS = {"fasterapi": FasterAPI.Faster, "fastapi": fastapi.FastAPI}
ROUTERS = {"fasterapi": FasterAPI.FasterRouter, "fastapi": fastapi.APIRouter}
PARENT = "00-0123456789abcdef0123456789abcdef-0123456789abcdef-01"


class Signals:
    """In-memory tracer, meter and logger providers, and what they recorded."""

    def __init__(self) -> None:
        self.spans = InMemorySpanExporter()
        self.tracer_provider = TracerProvider()
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.spans))
        self.reader = InMemoryMetricReader()
        self.meter_provider = MeterProvider(metric_readers=[self.reader])
        self.logs = InMemoryLogRecordExporter()
        self.logger_provider = LoggerProvider()
        self.logger_provider.add_log_record_processor(SimpleLogRecordProcessor(self.logs))

    def config(self, **settings: Any) -> dict[str, Any]:
        return {
            "tracer_provider": self.tracer_provider,
            "meter_provider": self.meter_provider,
            "logger_provider": self.logger_provider,
            "operation_spans": False,
            **settings,
        }

    def server_spans(self) -> list[dict[str, Any]]:
        found = []
        for span in self.spans.get_finished_spans():
            if span.kind != SpanKind.SERVER:
                continue
            found.append(
                {
                    "name": span.name,
                    "status": span.status.status_code,
                    "attributes": dict(span.attributes or {}),
                    "events": [event.name for event in span.events],
                    "parent": None if span.parent is None else f"{span.parent.span_id:016x}",
                    "propagated": f"{span.context.trace_id:032x}" == PARENT.split("-")[1],
                }
            )
        self.spans.clear()
        return found

    def metric_points(self) -> list[tuple[str, dict[str, Any], Any]]:
        data = self.reader.get_metrics_data()
        if data is None:
            return []
        points = []
        for resource in data.resource_metrics:
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    for point in metric.data.data_points:
                        value = getattr(point, "count", getattr(point, "value", None))
                        points.append((metric.name, dict(point.attributes), value))
        return sorted(points, key=repr)

    def log_records(self) -> list[tuple[Any, ...]]:
        found = []
        for item in self.logs.get_finished_logs():
            record = item.log_record
            attributes = dict(record.attributes or {})
            found.append(
                (
                    record.event_name,
                    record.severity_text,
                    record.body,
                    attributes.get("exception.type"),
                    attributes.get("http.route"),
                    attributes.get("fastapi.validation.error_count"),
                    record.trace_id != 0,
                )
            )
        self.logs.clear()
        return found

    def shutdown(self) -> None:
        self.tracer_provider.shutdown()
        self.meter_provider.shutdown()
        self.logger_provider.shutdown()


@pytest.fixture
def signals() -> Iterator[Signals]:
    recorded = Signals()
    yield recorded
    recorded.shutdown()


def _app(name: str, telemetry: dict[str, Any] | None) -> Any:
    fw = FRAMEWORKS[name]
    app = APPS[name](telemetry=telemetry)
    router = ROUTERS[name](prefix="/v1")

    @router.get("/items/{item_id}")
    def item(item_id: int) -> dict[str, int]:
        return {"item_id": item_id}

    @app.get("/boom")
    def boom() -> None:
        raise ValueError("boom")

    @app.get("/unavailable")
    async def unavailable() -> None:
        raise fw.HTTPException(503, "Unavailable")

    @app.post("/things/")
    async def create(thing: dict[str, int]) -> dict[str, int]:
        return thing

    @app.websocket("/ws/{room}")
    async def echo(websocket: fw.WebSocket, room: str) -> None:
        await websocket.accept()
        await websocket.send_text(room + ":" + await websocket.receive_text())
        with contextlib.suppress(fw.WebSocketDisconnect):
            await websocket.receive_text()

    app.include_router(router)
    child = APPS[name]()

    @child.get("/pages/{page}")
    def page(page: str) -> str:
        return page

    app.mount("/child", child)
    return app


REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/v1/items/3?page=2&sig=secret", {"headers": {"traceparent": PARENT}}),
    ("GET", "/v1/items/x", {}),
    ("POST", "/things/", {"json": {"a": 1}}),
    ("POST", "/things", {"json": {"a": 1}, "follow_redirects": False}),
    ("GET", "/boom", {}),
    ("GET", "/unavailable", {}),
    ("GET", "/missing", {}),
    ("DELETE", "/v1/items/3", {}),
    ("PRIVATE", "/v1/items/3", {}),
    ("GET", "/child/pages/intro", {}),
]


def _observe(name: str, signals: Signals) -> list[Any]:
    app = _app(name, signals.config())
    client = CLIENTS[name](app, raise_server_exceptions=False)
    observed: list[Any] = []
    for method, path, options in REQUESTS:
        response = client.request(method, path, **options)
        observed.append((method, path, response.status_code, signals.server_spans()))
    with client.websocket_connect("/ws/lobby") as websocket:
        websocket.send_text("hi")
        assert websocket.receive_text() == "lobby:hi"
    observed.append(("websocket", signals.server_spans()))
    observed.append(("metrics", signals.metric_points()))
    observed.append(("logs", signals.log_records()))
    return observed


VALIDATION_EVENT = "fastapi.validation.failed"


def test_same_spans_metrics_and_logs_as_fastapi(signals: Signals) -> None:
    expected = _observe("fastapi", signals)
    signals.reader.get_metrics_data()  # (cumulative: compare the second run's own points)
    fasterapi_signals = Signals()
    try:
        observed = _observe("fasterapi", fasterapi_signals)
    finally:
        fasterapi_signals.shutdown()
    for mine, theirs in zip(observed, expected, strict=True):
        assert mine == theirs
    # what the comparison covers, spelled out
    by_request = {entry[:2]: entry for entry in expected if len(entry) == 4}
    ((span,),) = [by_request["GET", "/v1/items/3?page=2&sig=secret"][3]]
    assert span["name"] == "GET /v1/items/{item_id}"
    assert span["parent"] == "0123456789abcdef"
    assert span["propagated"] is True
    assert span["attributes"]["http.route"] == "/v1/items/{item_id}"
    assert span["attributes"]["url.query"] == "page=2&sig=REDACTED"
    assert span["attributes"]["http.response.status_code"] == 200
    ((boom,),) = [by_request["GET", "/boom"][3]]
    assert boom["attributes"]["error.type"] == "ValueError"
    ((redirect,),) = [by_request["POST", "/things"][3]]
    assert redirect["attributes"]["http.route"] == "/things/"
    ((mounted,),) = [by_request["GET", "/child/pages/intro"][3]]
    assert mounted["name"] == "GET /child/pages/{page}"
    ((other,),) = [by_request["PRIVATE", "/v1/items/3"][3]]
    assert other["name"] == "HTTP /v1/items/{item_id}"
    assert other["attributes"]["http.request.method_original"] == "PRIVATE"
    logs = expected[-1][1]
    assert logs == [
        (
            VALIDATION_EVENT,
            "WARN",
            "Request validation failed",
            None,
            "/v1/items/{item_id}",
            1,
            True,
        ),
        (
            "http.server.request.exception",
            "ERROR",
            "Unhandled exception in FastAPI request",
            "ValueError",
            "/boom",
            None,
            True,
        ),
    ]


@pytest.mark.parametrize("name", FRAMEWORKS)
def test_excluded_requests_and_disabled_signals(name: str, signals: Signals) -> None:
    app = _app(name, signals.config(exclude=lambda scope: scope["path"] == "/v1/items/1"))
    client = CLIENTS[name](app)
    assert client.get("/v1/items/1").json() == {"item_id": 1}
    assert signals.server_spans() == []
    assert signals.metric_points() == []
    assert client.get("/v1/items/2").json() == {"item_id": 2}
    assert [span["name"] for span in signals.server_spans()] == ["GET /v1/items/{item_id}"]

    quiet = _app(name, signals.config(tracing=False, logs=False))
    assert CLIENTS[name](quiet).get("/v1/items/3").status_code == 200
    assert signals.server_spans() == []
    counts = {
        (metric, attributes.get("http.route")): value
        for metric, attributes, value in signals.metric_points()
    }
    assert counts[("http.server.request.duration", "/v1/items/{item_id}")] == 2


@pytest.mark.parametrize("name", FRAMEWORKS)
def test_default_is_on_once_a_global_provider_is_configured(
    name: str, signals: Signals, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _app(name, None)
    client = CLIENTS[name](app)
    assert client.get("/v1/items/1").status_code == 200
    assert signals.server_spans() == []  # OpenTelemetry's placeholder providers: nothing
    monkeypatch.setattr(trace, "get_tracer_provider", lambda: signals.tracer_provider)
    assert client.get("/v1/items/1").status_code == 200
    assert [span["name"] for span in signals.server_spans()] == ["GET /v1/items/{item_id}"]


def test_public_names_and_missing_api(monkeypatch: pytest.MonkeyPatch) -> None:
    assert FasterAPI.telemetry.TelemetryConfig.__annotations__.keys() == (
        fastapi.telemetry.TelemetryConfig.__annotations__.keys()
    )
    assert FasterAPI.telemetry.get_telemetry_data() is None
    data = FasterAPI.telemetry.TelemetryData()
    assert (data.request, data.websocket, data.body, data.values, data.errors) == (None,) * 5

    # opentelemetry-api not installed
    monkeypatch.setattr(fasterapi_routing.telemetry.config, "_api_installed", lambda: False)
    with pytest.raises(ImportError) as raised:
        FasterAPI.Faster(telemetry={"tracing": True})
    assert str(raised.value) == (
        "opentelemetry is not installed; it comes with an extra: pip install "
        '"fasterapi-routing[telemetry]"'
    )
    app = FasterAPI.Faster()  # the default: no telemetry, nothing required

    @app.get("/")
    def root() -> str:
        return "ok"

    assert FasterAPI.testclient.TestClient(app).get("/").json() == "ok"


@pytest.mark.parametrize("name", FRAMEWORKS)
def test_lifespan_and_mounted_app_with_its_own_telemetry(name: str, signals: Signals) -> None:
    """The lifespan still runs; a mounted app with telemetry does not record a request its
    parent records (one server span, the full template)."""
    events: list[str] = []
    app = APPS[name](telemetry=signals.config())
    child = APPS[name](telemetry=signals.config())

    @app.on_event("startup")
    def started() -> None:
        events.append("startup")

    @child.get("/items/{item_id}")
    def item(item_id: int) -> int:
        return item_id

    app.mount("/child", child)
    with CLIENTS[name](app) as client:
        assert client.get("/child/items/7").json() == 7
    assert events == ["startup"]
    assert [span["name"] for span in signals.server_spans()] == ["GET /child/items/{item_id}"]


@pytest.mark.parametrize("name", FRAMEWORKS)
def test_no_second_recording_under_opentelemetry_instrumentation(
    name: str, signals: Signals
) -> None:
    """With opentelemetry-instrumentation-fastapi's middleware in the stack, native telemetry
    records nothing (one server span: the instrumentation's)."""
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    app = _app(name, signals.config())
    FastAPIInstrumentor.instrument_app(app, tracer_provider=signals.tracer_provider)
    try:
        assert CLIENTS[name](app).get("/v1/items/1").json() == {"item_id": 1}
    finally:
        FastAPIInstrumentor.uninstrument_app(app)
    scopes = [
        (span.instrumentation_scope.name, span.name)
        for span in signals.spans.get_finished_spans()
        if span.kind == SpanKind.SERVER
    ]
    assert scopes == [("opentelemetry.instrumentation.fastapi", "GET /v1/items/{item_id}")]
    assert [point for point in signals.metric_points() if point[0].startswith("http.server")] == []


WITHOUT_OPENTELEMETRY = """
import json, sys
sys.modules["opentelemetry"] = None  # as if opentelemetry-api were not installed
import FasterAPI
from FasterAPI.testclient import TestClient
try:
    FasterAPI.Faster(telemetry={"metrics": False})
except ImportError as exc:
    refused = str(exc)
app = FasterAPI.Faster()

@app.get("/items/{item_id}")
def item(item_id: int) -> int:
    return item_id

with TestClient(app) as client:
    answer = client.get("/items/5").json()
print(json.dumps([refused, answer, app._options["native_telemetry"] is None]))
"""


def test_without_opentelemetry_api() -> None:
    """No opentelemetry-api: the default application serves as before (no telemetry at all);
    asking for telemetry names the extra."""
    assert Interpreter().run(WITHOUT_OPENTELEMETRY) == [
        "opentelemetry is not installed; it comes with an extra: pip install "
        '"fasterapi-routing[telemetry]"',
        5,
        True,
    ]


@pytest.mark.parametrize("name", FRAMEWORKS)
def test_excluded_request_not_recorded_by_a_mounted_app(name: str, signals: Signals) -> None:
    scopes: list[Any] = []
    child = APPS[name](telemetry=signals.config())

    @child.get("/{page}")
    def page(request: FRAMEWORKS[name].Request, page: str) -> str:  # type: ignore[name-defined]
        scopes.append(request.scope)
        return page

    app = APPS[name](telemetry=signals.config(exclude=lambda scope: scope["path"] == "/c/x"))
    app.mount("/c", child)
    client = CLIENTS[name](app)
    assert client.get("/c/x").json() == "x"
    assert signals.server_spans() == []
    assert "fastapi.telemetry" not in scopes[0]
    assert client.get("/c/y").json() == "y"
    assert [span["name"] for span in signals.server_spans()] == ["GET /c/{page}"]


@pytest.mark.parametrize("name", FRAMEWORKS)
def test_templates_through_a_mount_with_parameters(name: str, signals: Signals) -> None:
    fw = FRAMEWORKS[name]
    child = APPS[name]()
    router = ROUTERS[name]()

    @router.get("/items/{item_id}")
    def item(item_id: int) -> int:
        return item_id

    def plain(request: fw.Request) -> Any:  # type: ignore[name-defined]
        return fw.responses.PlainTextResponse("plain")

    router.add_route("/plain/{key}/", plain)
    child.include_router(router, prefix="/api")
    app = APPS[name](telemetry=signals.config())
    app.mount("/tenants/{tenant}", child)
    client = CLIENTS[name](app, root_path="/proxy")
    assert client.get("/proxy/tenants/acme/api/items/4").json() == 4
    redirect = client.get("/proxy/tenants/acme/api/plain/k", follow_redirects=False)
    assert redirect.status_code == 307
    assert [span["name"] for span in signals.server_spans()] == [
        "GET /proxy/tenants/{tenant}/api/items/{item_id}",
        "GET /proxy/tenants/{tenant}/api/plain/{key}/",
    ]
