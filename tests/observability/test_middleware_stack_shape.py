"""Starlette's middleware hooks on the application (``user_middleware``, ``middleware_stack``,
``build_middleware_stack``), which plugins such as opentelemetry-instrumentation-fastapi use:
the same app on FastAPI and on FasterAPI, the same observations."""

from __future__ import annotations

import logging
from typing import Any

import fastapi
import fastapi.testclient
import pytest
import starlette.middleware.errors

import FasterAPI
import FasterAPI.testclient
import fasterapi_routing.errors

FRAMEWORKS = {
    "fasterapi": (FasterAPI.Faster, FasterAPI.testclient.TestClient, FasterAPI.PlainTextResponse),
    "fastapi": (
        fastapi.FastAPI,
        fastapi.testclient.TestClient,
        fastapi.responses.PlainTextResponse,
    ),
}


class Tag:
    """Pure ASGI middleware adding ``x-tags: <name>`` (appended) to HTTP responses."""

    def __init__(self, app: Any, name: str = "tag", *, suffix: str = "") -> None:
        self.app = app
        self.name = name + suffix

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def tagged(message: Any) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"x-tags", self.name.encode())]
            await send(message)

        await self.app(scope, receive, tagged)


class Other(Tag):
    pass


def _chain(stack: Any) -> list[Any]:
    """The layers of a built stack, outermost first, by following ``.app``."""
    layers = []
    while stack is not None and len(layers) < 50:
        layers.append(stack)
        stack = getattr(stack, "app", None)
    return layers


@pytest.mark.parametrize("name", FRAMEWORKS)
def test_user_middleware_newest_first_and_locked_after_start(name: str) -> None:
    app_class, client_class, _ = FRAMEWORKS[name]
    app = app_class()
    app.add_middleware(Tag, "a", suffix="!")
    app.add_middleware(Other, "b")
    specs = [(m.cls, m.args, m.kwargs) for m in app.user_middleware]
    assert specs == [(Other, ("b",), {}), (Tag, ("a",), {"suffix": "!"})]
    assert [tuple(m) for m in app.user_middleware] == specs
    assert app.middleware_stack is None

    @app.get("/")
    def root() -> str:
        return "ok"

    response = client_class(app).get("/")
    assert response.status_code == 200
    assert response.json() == "ok"
    assert response.headers.get_list("x-tags") == ["a!", "b"]  # the newest runs first
    assert app.middleware_stack is not None
    with pytest.raises(RuntimeError) as raised:
        app.add_middleware(Tag)
    assert str(raised.value) == "Cannot add middleware after an application has started"


@pytest.mark.parametrize("name", FRAMEWORKS)
def test_built_stack_is_starlettes_server_error_middleware(name: str) -> None:
    app_class, _, response_class = FRAMEWORKS[name]

    async def on_500(request: Any, exc: Exception) -> Any:
        return response_class("handled", status_code=500)

    app = app_class(debug=True, exception_handlers={500: on_500})
    app.add_middleware(Tag, "a")
    app.add_middleware(Other, "b")
    stack = app.build_middleware_stack()
    assert isinstance(stack, starlette.middleware.errors.ServerErrorMiddleware)
    assert stack.handler is on_500
    assert stack.debug is True
    layers = _chain(stack)
    users = [type(layer) for layer in layers if type(layer) in (Tag, Other)]
    assert users == [Other, Tag]
    assert layers.index(next(x for x in layers if type(x) is Other)) >= 1
    # building does not start the application
    assert app.middleware_stack is None
    app.add_middleware(Tag, "c")
    assert len(app.user_middleware) == 3


@pytest.mark.parametrize("name", FRAMEWORKS)
def test_replaced_builder_serves_its_stack(name: str) -> None:
    """A plugin replacing ``build_middleware_stack`` on the instance (as the OpenTelemetry
    instrumentation does) has its stack serve every request, with or without user middleware."""
    app_class, client_class, _ = FRAMEWORKS[name]
    app = app_class()
    seen: list[str] = []

    @app.get("/items/{item_id}")
    def item(item_id: int) -> dict[str, int]:
        return {"item_id": item_id}

    original = app.build_middleware_stack

    def build() -> Any:
        inner = original()

        async def outer(scope: Any, receive: Any, send: Any) -> None:
            seen.append(f"{scope['type']} {scope.get('path', '')}")
            await inner(scope, receive, send)

        return outer

    app.build_middleware_stack = build
    with client_class(app) as client:
        assert client.get("/items/3").json() == {"item_id": 3}
        assert client.get("/items/4").json() == {"item_id": 4}
        assert client.get("/nope").status_code == 404
    assert seen == ["lifespan ", "http /items/3", "http /items/4", "http /nope"]


@pytest.mark.parametrize("name", FRAMEWORKS)
def test_middleware_stack_set_from_outside_is_served(name: str) -> None:
    app_class, client_class, response_class = FRAMEWORKS[name]
    app = app_class()

    @app.get("/")
    def root() -> str:
        return "route"

    client = client_class(app)
    assert client.get("/").json() == "route"  # the stack is built and in use
    app.middleware_stack = response_class("replaced")
    response = client.get("/")
    assert response.status_code == 200
    assert response.text == "replaced"


def test_outer_layer_keeps_fasterapis_error_answer(caplog: pytest.LogCaptureFixture) -> None:
    """The Starlette-typed outer layer still answers 500 as FasterAPI does, logs one line on
    ``fasterapi.error`` and re-raises."""
    app = FasterAPI.Faster()

    @app.get("/boom")
    def boom() -> None:
        raise ValueError("boom\nsecond line")

    stack = app.build_middleware_stack()
    assert isinstance(stack, fasterapi_routing.errors.ServerErrorMiddleware)
    assert isinstance(stack, starlette.middleware.errors.ServerErrorMiddleware)
    with caplog.at_level(logging.ERROR, logger="fasterapi.error"):
        response = FasterAPI.testclient.TestClient(app, raise_server_exceptions=False).get("/boom")
        with pytest.raises(ValueError, match="boom"):
            FasterAPI.testclient.TestClient(app).get("/boom")
    assert response.status_code == 500
    assert response.text == "Internal Server Error"
    assert isinstance(app.middleware_stack, starlette.middleware.errors.ServerErrorMiddleware)
    lines = [r.getMessage() for r in caplog.records if r.name == "fasterapi.error"]
    assert lines == [
        "Exception in ASGI application (GET /boom): ValueError: boom",
        "Exception in ASGI application (GET /boom): ValueError: boom",
    ]
