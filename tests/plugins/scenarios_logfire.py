"""logfire scenarios, as its documentation shows ``logfire.instrument_fastapi`` used (run by
``test_logfire.py`` on FastAPI and on FasterAPI): the spans of instrumented requests (the
request span, its "FastAPI arguments" and endpoint spans with ``extra_spans``), the arguments and
validation errors it records, ``request_attributes_mapper``, for routes registered before and
after instrumenting, websockets, failures. A local logfire instance (``configure(local=True)``)
exports to an in-memory exporter, so the process's global tracer provider is left alone."""

from __future__ import annotations

from typing import Annotated, Any

import logfire
from fastapi import Depends, FastAPI, HTTPException, WebSocket
from fastapi.testclient import TestClient
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from plugin_answers import answer
from pydantic import BaseModel

#: Attributes that are clock readings, the client's connection, or where logfire's own code ran.
_LEFT_OUT = {"net.peer.port", "client.port", "logfire.msg_template", "code.lineno"}
_LEFT_OUT_SUFFIXES = ("_timestamp",)


def _value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _kept(attributes: Any) -> dict[str, Any]:
    """The attributes compared. logfire records where a span was opened (``code.*``) unless
    that is in an installed package's code: FastAPI's is, FasterAPI's workspace (an editable
    install, ``packages/``) is not, so ``code.*`` pointing there is left out."""
    in_framework = "/packages/fasterapi" in str(attributes.get("code.filepath", ""))
    return {
        key: _value(value)
        for key, value in sorted(attributes.items())
        if key not in _LEFT_OUT
        and not key.endswith(_LEFT_OUT_SUFFIXES)
        and not (in_framework and key.startswith("code."))
    }


def _spans(exporter: InMemorySpanExporter) -> list[Any]:
    """Each finished span (pending ones left out): name, kind, status and attributes."""
    return [
        {
            "name": span.name,
            "kind": span.kind.name,
            "status": span.status.status_code.name,
            "attributes": _kept(span.attributes or {}),
            "events": [event.name for event in span.events],
        }
        for span in exporter.get_finished_spans()
        if (span.attributes or {}).get("logfire.span_type") != "pending_span"
    ]


def _local_logfire() -> tuple[Any, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    instance = logfire.configure(
        local=True,
        send_to_logfire=False,
        console=False,
        metrics=False,
        additional_span_processors=[SimpleSpanProcessor(exporter)],
    )
    return instance, exporter


class Order(BaseModel):
    item: str
    count: int


def _token(token: str = "t") -> str:
    return token.upper()


def _routes(app: FastAPI) -> None:
    @app.get("/items/{item_id}")
    def item(item_id: int, token: Annotated[str, Depends(_token)]) -> dict[str, Any]:
        return {"item_id": item_id, "token": token}

    @app.post("/orders")
    async def order(body: Order) -> dict[str, Any]:
        return {"ordered": body.count}

    @app.get("/missing")
    async def missing() -> None:
        raise HTTPException(status_code=404, detail="nothing here")


def _requests(app: FastAPI) -> list[Any]:
    client = TestClient(app, raise_server_exceptions=False)
    return [
        answer(client.get("/items/3?token=abc")),
        answer(client.post("/orders", json={"item": "tea", "count": 2})),
        answer(client.get("/missing")),
    ]


def _invalid_requests(app: FastAPI) -> list[Any]:
    client = TestClient(app, raise_server_exceptions=False)
    return [
        answer(client.get("/items/x")),
        answer(client.post("/orders", json={"item": "tea"})),
        answer(client.post("/orders", content=b"{", headers={"content-type": "application/json"})),
    ]


def scenario_routes_registered_before_instrumenting() -> Any:
    instance, exporter = _local_logfire()
    app = FastAPI()
    _routes(app)
    mapped: list[Any] = []

    def mapper(request: Any, attributes: dict[str, Any]) -> dict[str, Any]:
        mapped.append([request.url.path, sorted(attributes["values"]), attributes["errors"]])
        return attributes

    instance.instrument_fastapi(app, request_attributes_mapper=mapper, extra_spans=True)
    answers = _requests(app)
    return {"answers": answers, "mapped": mapped, "spans": _spans(exporter)}


def scenario_routes_registered_after_instrumenting() -> Any:
    instance, exporter = _local_logfire()
    app = FastAPI()
    instance.instrument_fastapi(app)
    _routes(app)
    answers = _requests(app)
    return {"answers": answers, "spans": _spans(exporter)}


def scenario_validation_errors() -> Any:
    """Invalid input: the errors recorded (a warning), the 422 answers, the mapper's view."""
    instance, exporter = _local_logfire()
    app = FastAPI()
    _routes(app)
    mapped: list[Any] = []

    def mapper(request: Any, attributes: dict[str, Any]) -> dict[str, Any]:
        mapped.append([request.url.path, sorted(attributes["values"]), attributes["errors"]])
        return attributes

    instance.instrument_fastapi(app, request_attributes_mapper=mapper, extra_spans=True)
    answers = _invalid_requests(app)
    return {"answers": answers, "mapped": mapped, "spans": _spans(exporter)}


def scenario_mapper_dropping_attributes() -> Any:
    """A mapper returning None: no arguments recorded, the span's level lowered."""
    instance, exporter = _local_logfire()
    app = FastAPI()
    _routes(app)
    instance.instrument_fastapi(app, request_attributes_mapper=lambda request, attrs: None)
    answers = _requests(app)
    return {"answers": answers, "spans": _spans(exporter)}


def scenario_websocket() -> Any:
    instance, exporter = _local_logfire()
    app = FastAPI()
    mapped: list[str] = []

    def mapper(request: Any, attributes: dict[str, Any]) -> dict[str, Any]:
        mapped.append(request.url.path)
        return attributes

    instance.instrument_fastapi(app, request_attributes_mapper=mapper)

    @app.websocket("/ws/{room}")
    async def room(websocket: WebSocket, room: int) -> None:
        await websocket.accept()
        await websocket.send_json({"room": room})
        await websocket.close()

    with TestClient(app).websocket_connect("/ws/7") as websocket:
        received = websocket.receive_json()
    return {"received": received, "mapped": mapped, "spans": _spans(exporter)}
