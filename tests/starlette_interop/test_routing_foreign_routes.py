"""Starlette's routes (``Route``, ``WebSocketRoute``, ``Mount``, ``Host``) in ``app.routes``
(appended directly, as plugins do) and in included routers, served by FasterAPI as by FastAPI:
same statuses, headers and bodies, in registration order, after the compiled routes."""

from __future__ import annotations

from typing import Any

import fastapi
import fastapi.routing
import fastapi.testclient
import pytest
from starlette.endpoints import HTTPEndpoint, WebSocketEndpoint
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Host, Match, Mount, Route, Router, WebSocketRoute

import FasterAPI
import FasterAPI.routing
import FasterAPI.testclient

FRAMEWORKS = {
    "fasterapi": (FasterAPI.FastAPI, FasterAPI.APIRouter, FasterAPI.testclient.TestClient),
    "fastapi": (fastapi.FastAPI, fastapi.APIRouter, fastapi.testclient.TestClient),
}


async def hello(request: Request) -> PlainTextResponse:
    return PlainTextResponse(f"hello {request.path_params} {request.scope.get('root_path')}")


def sync_hello(request: Request) -> JSONResponse:
    return JSONResponse({"sync": dict(request.path_params), "method": request.method})


class Items(HTTPEndpoint):
    async def get(self, request: Request) -> PlainTextResponse:
        return PlainTextResponse("items get")

    async def post(self, request: Request) -> PlainTextResponse:
        return PlainTextResponse("items post", status_code=201)


class Echo(WebSocketEndpoint):
    encoding = "text"

    async def on_receive(self, websocket: Any, data: str) -> None:
        await websocket.send_text("echo " + data)


async def ws_hello(websocket: Any) -> None:
    await websocket.accept()
    await websocket.send_json({"params": dict(websocket.path_params)})
    await websocket.close()


def sub_router() -> Router:
    return Router(routes=[Route("/leaf/{n:int}", hello)])


def make_app(framework: str) -> Any:
    app_class, router_class, _ = FRAMEWORKS[framework]
    app = app_class(openapi_url="/openapi.json")

    @app.get("/api/{name}")
    def api(name: str) -> dict[str, str]:
        return {"api": name}

    app.router.routes.append(Route("/plain/{x}", hello, methods=["GET", "POST"]))
    app.router.routes.append(Route("/sync/{x:int}", sync_hello))
    app.router.routes.append(Route("/cbv", Items))
    app.router.routes.append(Route("/slash/", hello))
    app.router.routes.append(WebSocketRoute("/ws/{room}", ws_hello))
    app.router.routes.append(WebSocketRoute("/echo", Echo))
    app.router.routes.append(Mount("/sub", routes=[Route("/leaf/{n:int}", hello)], name="sub"))
    app.router.routes.append(Host("{tenant}.example.org", sub_router(), name="tenant"))
    router = router_class()
    router.routes.append(Route("/r/{x}", hello, name="r"))
    router.routes.append(WebSocketRoute("/rws/{room}", ws_hello))
    router.routes.append(Mount("/rmount", app=sub_router()))
    router.routes.append(Host("admin.example.com", sub_router()))
    app.include_router(router, prefix="/inc")
    return app


REQUESTS = [
    ("GET", "/api/x", {}),
    ("GET", "/plain/1", {}),
    ("POST", "/plain/1", {}),
    ("PUT", "/plain/1", {}),
    ("HEAD", "/sync/5", {}),
    ("GET", "/sync/5", {}),
    ("GET", "/sync/x", {}),
    ("POST", "/sync/5", {}),
    ("GET", "/cbv", {}),
    ("POST", "/cbv", {}),
    ("DELETE", "/cbv", {}),
    ("GET", "/slash", {}),
    ("GET", "/sub/leaf/3", {}),
    ("GET", "/sub/leaf/x", {}),
    ("GET", "/leaf/4", {"host": "acme.example.org"}),
    ("GET", "/leaf/4", {"host": "ACME.example.org:8000"}),
    ("GET", "/inc/r/9", {}),
    ("GET", "/inc/rmount/leaf/2", {}),
    ("GET", "/inc/leaf/2", {"host": "admin.example.com"}),
    ("GET", "/leaf/2", {"host": "admin.example.com"}),
    ("GET", "/r/9", {}),
    ("GET", "/missing", {}),
]


def answers(framework: str) -> list[tuple[Any, ...]]:
    client = FRAMEWORKS[framework][2](make_app(framework))
    seen = []
    for method, path, headers in REQUESTS:
        response = client.request(method, path, headers=headers, follow_redirects=False)
        allow = response.headers.get("allow")  # Starlette joins a set: any order
        allow = allow and ", ".join(sorted(allow.split(", ")))
        location = response.headers.get("location")
        seen.append((method, path, response.status_code, response.text, allow, location))
    return seen


def test_starlette_routes_served_as_by_fastapi() -> None:
    ours, theirs = answers("fasterapi"), answers("fastapi")
    for mine, reference in zip(ours, theirs, strict=True):
        assert mine == reference
    assert ours[1] == ("GET", "/plain/1", 200, "hello {'x': '1'} ", None, None)
    assert ours[14][2:4] == (200, "hello {'tenant': 'acme', 'n': 4} ")
    assert ours[18][2:4] == (200, "hello {'n': 2} /inc")


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_starlette_websocket_routes(framework: str) -> None:
    client = FRAMEWORKS[framework][2](make_app(framework))
    with client.websocket_connect("/ws/lobby") as websocket:
        assert websocket.receive_json() == {"params": {"room": "lobby"}}
    with client.websocket_connect("/inc/rws/7") as websocket:
        assert websocket.receive_json() == {"params": {"room": "7"}}
    with client.websocket_connect("/echo") as websocket:
        websocket.send_text("hi")
        assert websocket.receive_text() == "echo hi"


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_routes_appended_after_the_first_request_are_served(framework: str) -> None:
    app_class, _, client_class = FRAMEWORKS[framework]
    app = app_class()
    client = client_class(app)
    assert client.get("/late").status_code == 404
    app.routes.append(Route("/late", hello))
    assert (client.get("/late").status_code, client.get("/late").text) == (200, "hello {} ")
    app.router.routes[-1:] = []
    assert client.get("/late").status_code == 404


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_first_full_match_wins_over_an_earlier_partial(framework: str) -> None:
    app_class, _, client_class = FRAMEWORKS[framework]
    app = app_class()

    async def other(request: Request) -> PlainTextResponse:
        return PlainTextResponse("second")

    app.router.routes.append(Route("/same", hello, methods=["POST"]))
    app.router.routes.append(Route("/same", other, methods=["GET"]))
    client = client_class(app)
    assert (client.get("/same").status_code, client.get("/same").text) == (200, "second")
    assert client.put("/same").status_code == 405
    assert client.put("/same").headers["allow"] == "POST"


def test_starlette_routes_are_not_in_openapi() -> None:
    ours = FRAMEWORKS["fasterapi"][2](make_app("fasterapi")).get("/openapi.json").json()
    theirs = FRAMEWORKS["fastapi"][2](make_app("fastapi")).get("/openapi.json").json()
    assert list(ours["paths"]) == list(theirs["paths"]) == ["/api/{name}"]


def test_included_starlette_routes_are_copied_with_the_prefix() -> None:
    app = make_app("fasterapi")
    included = [route for route in app.routes if type(route).__module__ == "starlette.routing"]
    shapes = [(type(r).__name__, getattr(r, "path", getattr(r, "host", None))) for r in included]
    assert shapes[-4:] == [
        ("Route", "/inc/r/{x}"),
        ("WebSocketRoute", "/inc/rws/{room}"),
        ("Mount", "/inc/rmount"),
        ("Host", "admin.example.com"),
    ]
    mount = included[-2]
    assert mount.path_format == "/inc/rmount/{path}"
    assert app.url_path_for("r", x="1") == "/inc/r/1"
    assert app.url_path_for("sub:hello", n=2) == "/sub/leaf/2"


def test_unknown_route_objects_cannot_be_included_under_a_prefix() -> None:
    class Custom:
        path = "/c"

        def matches(self, scope: Any) -> Any:  # pragma: no cover
            raise AssertionError

        async def handle(self, scope: Any, receive: Any, send: Any) -> None:  # pragma: no cover
            raise AssertionError

    router = FasterAPI.APIRouter()
    router.routes.append(Custom())
    app = FasterAPI.FastAPI()
    with pytest.raises(TypeError, match="cannot include a route of type Custom under the prefix"):
        app.include_router(router, prefix="/x")


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_route_class_overriding_matches_decides(framework: str) -> None:
    app_class, router_class, client_class = FRAMEWORKS[framework]
    route_class = (
        FasterAPI.routing.APIRoute if framework == "fasterapi" else fastapi.routing.APIRoute
    )

    class HeaderRoute(route_class):  # type: ignore[misc,valid-type]
        calls = 0

        def matches(self, scope: Any) -> Any:
            type(self).calls += 1
            if dict(scope.get("headers", [])).get(b"x-match") != b"yes":
                return Match.NONE, {}
            return super().matches(scope)

    router = router_class(route_class=HeaderRoute)

    @router.get("/items/{item_id}")
    def read_item(item_id: int) -> list[int]:
        return [item_id]

    app = app_class()
    app.include_router(router, prefix="/api")
    client = client_class(app)
    yes = {"x-match": "yes"}
    assert client.get("/api/items/1").status_code == 404
    response = client.get("/api/items/1", headers=yes)
    assert (response.status_code, response.json()) == (200, [1])
    response = client.post("/api/items/1", headers=yes)
    assert (response.status_code, response.headers["allow"]) == (405, "GET")
    assert response.json() == {"detail": "Method Not Allowed"}
    assert HeaderRoute.calls >= 3
