"""The middleware stack: order, options, @app.middleware("http"), both BaseHTTPMiddleware styles."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from FasterAPI import (
    BaseHTTPMiddleware,
    Faster,
    HTTPException,
    Request,
    Response,
    StreamingResponse,
    TestClient,
)
from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send


class Tag:
    """Pure ASGI middleware appending its name to a response header."""

    def __init__(self, app: ASGIApp, name: str) -> None:
        self.app = app
        self.name = name

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope.setdefault("order", []).append(self.name)

        async def tagged(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message["headers"], (b"x-tag", self.name.encode())]
            await send(message)

        await self.app(scope, receive, tagged)


def make_app() -> Faster:
    app = Faster()

    @app.get("/order")
    async def order(request: Request) -> list[str]:
        return list(request.scope.get("order", []))

    @app.get("/fail")
    async def fail() -> None:
        raise HTTPException(409, "conflict")

    @app.get("/stream")
    async def stream() -> StreamingResponse:
        async def chunks() -> Any:
            for part in (b"a", b"b", b"c"):
                yield part

        return StreamingResponse(chunks(), media_type="text/plain")

    return app


def test_last_added_middleware_runs_outermost() -> None:
    app = make_app()
    app.add_middleware(Tag, name="first")
    app.add_middleware(Tag, name="second")
    response = TestClient(app).get("/order")
    assert response.json() == ["second", "first"]
    assert response.headers.get_list("x-tag") == ["first", "second"]


def test_middleware_sees_handled_http_errors_as_responses() -> None:
    app = make_app()
    app.add_middleware(Tag, name="outer")
    response = TestClient(app).get("/fail")
    assert response.status_code == 409
    assert response.headers["x-tag"] == "outer"


def test_cannot_add_middleware_after_start() -> None:
    app = make_app()
    TestClient(app).get("/order", headers={})
    with pytest.raises(
        RuntimeError, match=r"^Cannot add middleware after an application has started$"
    ):
        app.add_middleware(Tag, name="late")


def test_app_middleware_decorator_with_call_next() -> None:
    app = make_app()

    @app.middleware("http")
    async def add_timing(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers["x-process"] = request.url.path
        return response

    client = TestClient(app)
    response = client.get("/stream")
    assert response.text == "abc"
    assert response.headers["x-process"] == "/stream"
    assert client.get("/fail").status_code == 409


def test_base_http_middleware_scope_style() -> None:
    class Header(BaseHTTPMiddleware):
        async def dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
            async def with_header(message: Message) -> None:
                if message["type"] == "http.response.start":
                    message["headers"] = [*message["headers"], (b"x-mw", self.value.encode())]
                await send(message)

            await self.app(scope, receive, with_header)

    app = make_app()
    app.add_middleware(Header, value="scope-style")
    assert TestClient(app).get("/stream").headers["x-mw"] == "scope-style"


def test_base_http_middleware_starlette_style() -> None:
    class Header(BaseHTTPMiddleware):
        async def dispatch(
            self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
        ) -> Response:
            if request.url.path == "/blocked":
                return Response("blocked", status_code=403)
            response = await call_next(request)
            response.headers["x-mw"] = "starlette-style"
            return response

    app = make_app()
    app.add_middleware(Header)
    client = TestClient(app)
    assert client.get("/order").headers["x-mw"] == "starlette-style"
    blocked = client.get("/blocked")
    assert (blocked.status_code, blocked.text) == (403, "blocked")


def test_base_http_middleware_with_dispatch_function() -> None:
    async def dispatch(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers["x-fn"] = "1"
        return response

    app = make_app()
    app.add_middleware(BaseHTTPMiddleware, dispatch=dispatch)
    assert TestClient(app).get("/order").headers["x-fn"] == "1"
