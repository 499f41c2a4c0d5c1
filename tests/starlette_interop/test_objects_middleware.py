"""Middleware written for Starlette in a FasterAPI application: ``starlette.middleware``'s
``Middleware(cls, *args, **kwargs)`` specs (``FastAPI(middleware=[...])``), Starlette's
``BaseHTTPMiddleware`` subclasses and pure ASGI classes such as Starlette's
``CORSMiddleware``, given to ``add_middleware``: the same answers as on FastAPI."""

from types import ModuleType
from typing import Any

from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request as StarletteRequest
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send
from twins import Twins

HEADERS = (
    "content-type",
    "content-length",
    "content-encoding",
    "x-base",
    "x-pure",
    "x-order",
    "access-control-allow-origin",
    "access-control-allow-methods",
    "access-control-allow-credentials",
    "vary",
)


class Stamp(BaseHTTPMiddleware):
    """A Starlette ``BaseHTTPMiddleware`` with an option."""

    def __init__(self, app: ASGIApp, label: str) -> None:
        super().__init__(app)
        self.label = label

    async def dispatch(self, request: StarletteRequest, call_next: Any) -> Any:
        if request.url.path == "/refused":
            return PlainTextResponse("refused by middleware", status_code=403)
        request.state.label = self.label
        response = await call_next(request)
        response.headers["x-base"] = self.label
        response.headers["x-order"] = response.headers.get("x-order", "") + "base,"
        return response


class PureStamp:
    """A pure ASGI middleware, positional and keyword arguments."""

    def __init__(self, app: ASGIApp, name: str, *, value: str = "") -> None:
        self.app = app
        self.header = (name.encode(), value.encode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def stamped(message: Any) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message["headers"], self.header]
            await send(message)

        await self.app(scope, receive, stamped if scope["type"] == "http" else send)


def routes(fw: ModuleType, app: Any) -> Any:
    @app.get("/hello")
    async def hello(request: fw.Request) -> Any:  # type: ignore[name-defined]
        return {"label": getattr(request.state, "label", None)}

    @app.post("/echo")
    async def echo(payload: dict[str, Any]) -> Any:
        return payload

    @app.get("/big")
    async def big() -> Any:
        return PlainTextResponse("x" * 2000)

    return app


def test_middleware_specs_in_the_constructor() -> None:
    def app(fw: ModuleType) -> Any:
        return routes(
            fw,
            fw.FastAPI(
                middleware=[
                    Middleware(PureStamp, "x-pure", value="outer"),
                    Middleware(Stamp, label="inner"),
                    Middleware(GZipMiddleware, minimum_size=1000),
                ]
            ),
        )

    twins = Twins(app, headers=HEADERS)
    assert twins.get("/hello").json() == {"label": "inner"}
    twins.post("/echo", json={"a": 1})
    assert twins.get("/big", headers={"accept-encoding": "gzip"}).headers["x-pure"] == "outer"
    assert twins.get("/refused").status_code == 403


def test_add_middleware_with_starlette_classes() -> None:
    def app(fw: ModuleType) -> Any:
        app = routes(fw, fw.FastAPI())
        app.add_middleware(Stamp, label="added")
        app.add_middleware(PureStamp, "x-pure", value="added")
        app.add_middleware(
            CORSMiddleware,
            allow_origins=["https://example.org"],
            allow_methods=["GET", "POST"],
            allow_credentials=True,
        )
        return app

    twins = Twins(app, headers=HEADERS)
    origin = {"origin": "https://example.org"}
    assert twins.get("/hello", headers=origin).json() == {"label": "added"}
    preflight = {**origin, "access-control-request-method": "POST"}
    assert twins.check("OPTIONS", "/echo", headers=preflight).status_code == 200
    twins.check("OPTIONS", "/echo", headers={**preflight, "origin": "https://evil.example"})
    twins.post("/echo", json=[1], headers=origin)
    twins.get("/nowhere", headers=origin)
