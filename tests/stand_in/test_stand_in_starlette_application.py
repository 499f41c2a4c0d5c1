"""``starlette.applications.Starlette`` of the stand-in (Starlette not installed): the same
application built with Starlette 1.x's class and objects and with the stand-in's answers every
request the same (status, headers, body), through routes, a mount, middleware, exception
handlers, the 500 handler, ``debug``, lifespan and WebSockets. Then, through the stand-in in an
interpreter without fastapi/starlette, opentelemetry-instrumentation-fastapi (which imports
``starlette.applications.Starlette``) instruments a FastAPI application."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import pytest
import starlette.applications
import starlette.exceptions
import starlette.middleware
import starlette.responses
import starlette.routing
import starlette.testclient
import starlette.websockets
from interpreters import Interpreter

import FasterAPI.exceptions
import FasterAPI.middleware
import FasterAPI.responses
import FasterAPI.routing
import FasterAPI.testclient
import FasterAPI.websockets
from FasterAPI._stand_in.starlette_application import Starlette

REAL = SimpleNamespace(
    Starlette=starlette.applications.Starlette,
    Route=starlette.routing.Route,
    Mount=starlette.routing.Mount,
    WebSocketRoute=starlette.routing.WebSocketRoute,
    Middleware=starlette.middleware.Middleware,
    HTTPException=starlette.exceptions.HTTPException,
    WebSocketException=starlette.exceptions.WebSocketException,
    PlainTextResponse=starlette.responses.PlainTextResponse,
    JSONResponse=starlette.responses.JSONResponse,
    TestClient=starlette.testclient.TestClient,
    WebSocketDisconnect=starlette.websockets.WebSocketDisconnect,
)
STAND_IN = SimpleNamespace(
    Starlette=Starlette,
    Route=FasterAPI.routing.Route,
    Mount=FasterAPI.routing.Mount,
    WebSocketRoute=FasterAPI.routing.WebSocketRoute,
    Middleware=FasterAPI.middleware.Middleware,
    HTTPException=FasterAPI.exceptions.BaseHTTPException,
    WebSocketException=FasterAPI.exceptions.WebSocketException,
    PlainTextResponse=FasterAPI.responses.PlainTextResponse,
    JSONResponse=FasterAPI.responses.JSONResponse,
    TestClient=FasterAPI.testclient.TestClient,
    WebSocketDisconnect=FasterAPI.websockets.WebSocketDisconnect,
)
KINDS = {"starlette": REAL, "stand-in": STAND_IN}


class Teapot(Exception):
    """Handled by a class handler."""


class StampMiddleware:
    """A pure ASGI middleware adding ``x-stamp`` to every HTTP response."""

    def __init__(self, app: Any, stamp: str) -> None:
        self.app = app
        self.stamp = stamp

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async def stamped(message: Any) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message["headers"], (b"x-stamp", b"on")]}
            await send(message)

        await self.app(scope, receive, stamped if scope["type"] == "http" else send)


def _app(kind: str, events: list[str], **options: Any) -> Any:
    s = KINDS[kind]

    async def hello(request: Any) -> Any:
        return s.PlainTextResponse(f"hello {request.path_params.get('name', 'world')}")

    async def state(request: Any) -> Any:
        return s.JSONResponse({"started": request.app.state.started})

    async def forbidden(request: Any) -> Any:
        raise s.HTTPException(403, "no entry", headers={"x-why": "test"})

    async def empty(request: Any) -> Any:
        raise s.HTTPException(304)

    async def teapot(request: Any) -> Any:
        raise Teapot("short and stout")

    async def boom(request: Any) -> Any:
        raise ValueError("boom")

    async def url(request: Any) -> Any:
        return s.PlainTextResponse(str(request.app.url_path_for("hello", name="x")))

    async def echo(websocket: Any) -> None:
        await websocket.accept()
        text = await websocket.receive_text()
        if text == "refuse":
            raise s.WebSocketException(4001, "refused")
        await websocket.send_text(text.upper())
        await websocket.close()

    async def on_teapot(request: Any, exc: Exception) -> Any:
        return s.PlainTextResponse(str(exc), status_code=418)

    async def on_404(request: Any, exc: Exception) -> Any:
        return s.JSONResponse({"missing": request.url.path}, status_code=404)

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        app.state.started = True
        events.append("startup")
        yield
        events.append("shutdown")

    inner = s.Starlette(routes=[s.Route("/deep", hello)])
    app = s.Starlette(
        routes=[
            s.Route("/", hello),
            s.Route("/hello/{name}", hello, name="hello"),
            s.Route("/state", state),
            s.Route("/forbidden", forbidden),
            s.Route("/empty", empty),
            s.Route("/teapot", teapot),
            s.Route("/boom", boom),
            s.Route("/url", url),
            s.Route("/post-only", hello, methods=["POST"]),
            s.WebSocketRoute("/ws", echo),
            s.Mount("/inner", app=inner),
        ],
        middleware=[s.Middleware(StampMiddleware, stamp="on")],
        exception_handlers={Teapot: on_teapot, **options.pop("handlers", {})},
        lifespan=lifespan,
        **options,
    )

    async def added(request: Any) -> Any:
        return s.PlainTextResponse("added")

    app.add_route("/added", added, methods=["GET"])
    return app


REQUESTS = [
    ("GET", "/"),
    ("GET", "/hello/ada"),
    ("GET", "/state"),
    ("GET", "/forbidden"),
    ("GET", "/empty"),
    ("GET", "/teapot"),
    ("GET", "/url"),
    ("GET", "/post-only"),
    ("POST", "/post-only"),
    ("GET", "/nowhere"),
    ("GET", "/inner/deep"),
    ("GET", "/inner/nowhere"),
    ("GET", "/added"),
    ("GET", "/boom"),
]
SHOWN = ("content-type", "content-length", "x-stamp", "x-why", "allow")


def _serve(kind: str, **options: Any) -> list[Any]:
    events: list[str] = []
    app = _app(kind, events, **options)
    answers: list[Any] = []
    with KINDS[kind].TestClient(app, raise_server_exceptions=False) as client:
        for method, path in REQUESTS:
            response = client.request(method, path)
            headers = {k: response.headers[k] for k in SHOWN if k in response.headers}
            body = response.text
            if path == "/boom" and options.get("debug"):  # each framework's own traceback
                del headers["content-length"]
                body = "ValueError: boom" in body
            answers.append((method, path, response.status_code, headers, body))
        with client.websocket_connect("/ws") as websocket:
            websocket.send_text("hi")
            answers.append(("ws", websocket.receive_text()))
        with client.websocket_connect("/ws") as websocket:
            websocket.send_text("refuse")
            with pytest.raises(KINDS[kind].WebSocketDisconnect) as closed:
                websocket.receive_text()
            answers.append(("ws refused", closed.value.code, closed.value.reason))
    answers.append(("lifespan", events))
    return answers


@pytest.mark.parametrize(
    "options",
    [{}, {"debug": True}, {"handlers": "custom"}],
    ids=["defaults", "debug", "handlers"],
)
def test_same_answers_as_starlette(options: dict[str, Any]) -> None:
    def made(kind: str) -> dict[str, Any]:
        if options.get("handlers") != "custom":
            return dict(options)
        s = KINDS[kind]

        async def on_error(request: Any, exc: Exception) -> Any:
            return s.PlainTextResponse(f"handled {type(exc).__name__}", status_code=500)

        async def on_404(request: Any, exc: Exception) -> Any:
            return s.JSONResponse({"missing": request.url.path}, status_code=404)

        return {"handlers": {Exception: on_error, 404: on_404}}

    expected = _serve("starlette", **made("starlette"))
    assert _serve("stand-in", **made("stand-in")) == expected
    assert expected[9][:3] == ("GET", "/nowhere", 404)
    assert expected[5][2:] == (
        418,
        {"content-type": "text/plain; charset=utf-8", "content-length": "15", "x-stamp": "on"},
        "short and stout",
    )


def test_lifecycle_and_refused_options() -> None:
    app = Starlette()
    assert app.routes == [] and app.user_middleware == [] and app.debug is False
    app.add_middleware(StampMiddleware, stamp="x")

    async def gone(request: Any, exc: Exception) -> Any:
        return FasterAPI.responses.PlainTextResponse("gone", status_code=410)

    app.add_exception_handler(404, gone)
    with FasterAPI.testclient.TestClient(app) as client:
        response = client.get("/")
        assert (response.status_code, response.text, response.headers["x-stamp"]) == (
            410,
            "gone",
            "on",
        )
    with pytest.raises(RuntimeError, match="Cannot add middleware after an application"):
        app.add_middleware(StampMiddleware, stamp="y")
    with pytest.raises(TypeError, match="max_body_size"):
        Starlette(max_body_size=10)


INSTRUMENTED = """
import json
import FasterAPI.as_fastapi
FasterAPI.as_fastapi.install()
from starlette.applications import Starlette
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from fastapi import BackgroundTasks, FastAPI
from fastapi.testclient import TestClient

exporter = InMemorySpanExporter()
provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(exporter))
app = FastAPI()
ran = []

@app.get("/items/{item_id}")
def item(item_id: int, background: BackgroundTasks) -> int:
    background.add_task(ran.append, item_id)
    return item_id

FastAPIInstrumentor.instrument_app(app, tracer_provider=provider)
client = TestClient(app)
status = client.get("/items/3").status_code
spans = sorted(
    [s.name, s.kind.name, (s.attributes or {}).get("http.route")]
    for s in exporter.get_finished_spans()
    if s.kind == SpanKind.SERVER or s.name.startswith("BackgroundTask")
)
print(json.dumps([Starlette.__module__, status, ran, spans]))
"""


def test_contrib_instrumentation_through_the_stand_in(
    python_without_fastapi: Interpreter,
) -> None:
    assert python_without_fastapi.run(INSTRUMENTED) == [
        "FasterAPI._stand_in.starlette_application",
        200,
        [3],
        [
            ["BackgroundTask append", "INTERNAL", None],
            ["GET /items/{item_id}", "SERVER", "/items/{item_id}"],
        ],
    ]
