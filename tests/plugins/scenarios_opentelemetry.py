"""opentelemetry-instrumentation-fastapi scenarios, as its documentation shows it used (run by
``test_opentelemetry.py`` on FastAPI and on FasterAPI): the spans of instrumented requests
(names, kinds, attributes, statuses) for templated, failing and unknown routes, excluded URLs,
request and response hooks."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException
from fastapi.testclient import TestClient
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from plugin_answers import answer

#: Attributes that describe the client's connection, not the app (TestClient's are fixed anyway;
#: left out so that a transport detail does not hide what the instrumentation saw).
_CONNECTION = {"net.peer.port", "client.port"}


def _spans(exporter: InMemorySpanExporter) -> list[Any]:
    """Each finished span's name, kind, status and attributes (ids and times are random or
    clock readings, so left out), in the order they ended."""
    return [
        {
            "name": span.name,
            "kind": span.kind.name,
            "status": span.status.status_code.name,
            "attributes": {
                k: v if not isinstance(v, tuple) else list(v)
                for k, v in sorted((span.attributes or {}).items())
                if k not in _CONNECTION
            },
        }
        for span in exporter.get_finished_spans()
    ]


def _app() -> FastAPI:
    app = FastAPI()
    router = APIRouter(prefix="/api")

    @router.get("/items/{item_id}")
    def item(item_id: int) -> dict[str, int]:
        return {"item_id": item_id}

    @app.get("/fail")
    def fail() -> None:
        raise HTTPException(status_code=503, detail="down")

    @app.get("/health")
    def health() -> str:
        return "ok"

    app.include_router(router)
    return app


def _run(app: FastAPI, paths: tuple[str, ...], **options: Any) -> Any:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    FastAPIInstrumentor.instrument_app(app, tracer_provider=provider, **options)
    client = TestClient(app)
    found = []
    for path in paths:
        response = client.get(path, headers={"user-agent": "scenario"})
        found.append({"answer": answer(response), "spans": _spans(exporter)})
        exporter.clear()
    return found


def scenario_spans_of_requests() -> Any:
    return _run(_app(), ("/api/items/3", "/api/items/x", "/fail", "/nowhere"))


def scenario_excluded_urls() -> Any:
    return _run(_app(), ("/health", "/api/items/1"), excluded_urls="health")


def scenario_request_and_response_hooks() -> Any:
    def server_request_hook(span: Any, scope: dict[str, Any]) -> None:
        if span and span.is_recording():
            span.set_attribute("scenario.path", scope["path"])

    def client_response_hook(span: Any, scope: dict[str, Any], message: dict[str, Any]) -> None:
        if span and span.is_recording():
            span.set_attribute("scenario.message", message["type"])

    return _run(
        _app(),
        ("/api/items/5",),
        server_request_hook=server_request_hook,
        client_response_hook=client_response_hook,
    )
