"""opentelemetry-instrumentation-fastapi on FasterAPI: ``FastAPIInstrumentor.instrument_app``
records the same server spans (name, route template, method, status, exception events) for the
same app on FastAPI and on FasterAPI."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import fastapi
import fastapi.testclient
import pytest
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

import FasterAPI
import FasterAPI.testclient

FRAMEWORKS = {
    "fasterapi": (FasterAPI.Faster, FasterAPI.FasterRouter, FasterAPI.testclient.TestClient),
    "fastapi": (fastapi.FastAPI, fastapi.APIRouter, fastapi.testclient.TestClient),
}
ATTRIBUTES = (
    "http.route",
    "http.method",
    "http.request.method",
    "http.status_code",
    "http.response.status_code",
    "http.target",
)


@pytest.fixture
def exporter() -> Iterator[tuple[TracerProvider, InMemorySpanExporter]]:
    spans = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    yield provider, spans
    provider.shutdown()


def _server_spans(spans: InMemorySpanExporter) -> list[dict[str, Any]]:
    found = []
    for span in spans.get_finished_spans():
        if span.kind != SpanKind.SERVER:
            continue
        attributes = dict(span.attributes or {})
        found.append(
            {
                "name": span.name,
                "status": span.status.status_code,
                "events": [
                    (event.name, dict(event.attributes or {}).get("exception.type"))
                    for event in span.events
                ],
                **{key: attributes.get(key) for key in ATTRIBUTES},
            }
        )
    spans.clear()
    return found


def _observe(name: str, provider: TracerProvider, spans: InMemorySpanExporter) -> list[Any]:
    app_class, router_class, client_class = FRAMEWORKS[name]
    app = app_class()
    router = router_class(prefix="/v1")

    @router.get("/items/{item_id}")
    def item(item_id: int) -> dict[str, int]:
        return {"item_id": item_id}

    @app.get("/boom")
    def boom() -> None:
        raise ValueError("boom")

    @app.post("/things")
    async def create(thing: dict[str, int]) -> dict[str, int]:
        return thing

    app.include_router(router)
    FastAPIInstrumentor.instrument_app(app, tracer_provider=provider)
    client = client_class(app, raise_server_exceptions=False)
    observed: list[Any] = []
    for method, path, body in [
        ("GET", "/v1/items/3", None),
        ("GET", "/v1/items/x", None),
        ("POST", "/things", {"a": 1}),
        ("GET", "/boom", None),
        ("GET", "/missing", None),
        ("DELETE", "/v1/items/3", None),
    ]:
        response = client.request(method, path, json=body)
        observed.append((method, path, response.status_code, _server_spans(spans)))
    FastAPIInstrumentor.uninstrument_app(app)
    assert client.get("/v1/items/3").status_code == 200
    observed.append(("after uninstrument_app", _server_spans(spans)))
    return observed


def test_instrument_app_spans_match_fastapi(
    exporter: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    provider, spans = exporter
    fastapi_spans = _observe("fastapi", provider, spans)
    fasterapi_spans = _observe("fasterapi", provider, spans)
    assert fasterapi_spans == fastapi_spans
    # what the comparison covers, spelled out
    by_path = {entry[:2]: entry for entry in fastapi_spans[:-1]}
    ((span,),) = [by_path["GET", "/v1/items/3"][3]]
    assert span["name"] == "GET /v1/items/{item_id}"
    assert span["http.route"] == "/v1/items/{item_id}"
    assert span["http.status_code"] == 200
    ((boom,),) = [by_path["GET", "/boom"][3]]
    assert boom["status"] == StatusCode.ERROR
    assert boom["events"] == [("exception", "ValueError")]
    assert boom["http.status_code"] == 500
    ((not_allowed,),) = [by_path["DELETE", "/v1/items/3"][3]]
    assert not_allowed["name"] == "DELETE /v1/items/{item_id}"
    assert not_allowed["http.status_code"] == 405
    assert fastapi_spans[-1] == ("after uninstrument_app", [])


def test_instrument_app_on_app_with_user_middleware(
    exporter: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    provider, spans = exporter
    app = FasterAPI.Faster()
    headers: list[str] = []

    @app.middleware("http")
    async def header(request: Any, call_next: Any) -> Any:
        response = await call_next(request)
        response.headers["x-mw"] = "1"
        headers.append(request.url.path)
        return response

    @app.get("/items/{item_id}")
    async def item(item_id: int) -> int:
        return item_id

    FastAPIInstrumentor.instrument_app(app, tracer_provider=provider)
    response = FasterAPI.testclient.TestClient(app).get("/items/5")
    assert response.json() == 5
    assert response.headers["x-mw"] == "1"
    assert headers == ["/items/5"]
    (span,) = _server_spans(spans)
    assert span["name"] == "GET /items/{item_id}"
    assert span["http.route"] == "/items/{item_id}"
    assert span["http.status_code"] == 200
