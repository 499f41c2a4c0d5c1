"""Starlette's registration surface kept by FastAPI (``add_route``, ``route``,
``add_websocket_route``, ``websocket_route``, ``host``) on FasterAPI's application and routers,
served by FasterAPI's own ``Route``/``WebSocketRoute``/``Host`` (no Starlette involved),
compared with FastAPI."""

from __future__ import annotations

import threading
from typing import Any

import fastapi
import fastapi.responses
import fastapi.routing
import fastapi.testclient
import pytest
import starlette.routing

import FasterAPI
import FasterAPI.responses
import FasterAPI.routing
import FasterAPI.testclient

FRAMEWORKS = {
    "fasterapi": (FasterAPI, FasterAPI.responses, FasterAPI.testclient.TestClient),
    "fastapi": (fastapi, fastapi.responses, fastapi.testclient.TestClient),
}


def make_app(framework: str) -> Any:
    fw, responses, _ = FRAMEWORKS[framework]
    app = fw.FastAPI()

    async def hello(request: Any) -> Any:
        return responses.PlainTextResponse(f"hello {dict(request.path_params)} {request.method}")

    def in_thread(request: Any) -> Any:
        main = threading.current_thread() is threading.main_thread()
        return responses.JSONResponse({"main_thread": main, "q": request.query_params.get("q")})

    async def teapot(request: Any) -> Any:
        raise fw.HTTPException(418, detail="short and stout", headers={"X-Tea": "1"})

    async def raw_asgi(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 202, "headers": []})
        await send({"type": "http.response.body", "body": scope["method"].encode()})

    async def ws(websocket: Any) -> None:
        await websocket.accept()
        await websocket.send_text(f"ws {dict(websocket.path_params)}")
        await websocket.close()

    app.add_route("/hello/{name}", hello)
    app.add_route("/thread", in_thread, methods=["GET", "POST"], name="thread")
    app.add_route("/teapot", teapot)
    app.add_route("/asgi", route=raw_asgi, include_in_schema=False)  # Starlette app keyword
    # Starlette 1.x's application has no add_websocket_route (FasterAPI's has): its router has
    (app if framework == "fasterapi" else app.router).add_websocket_route(
        "/ws/{room}", ws, name="ws"
    )
    app.websocket_route("/ws2")(ws)

    router = fw.APIRouter(prefix="/own")  # Starlette's routes ignore the router's prefix

    @router.route("/r/{x:int}", methods=["PUT"])
    async def routed(request: Any) -> Any:
        return responses.PlainTextResponse(f"routed {request.path_params['x'] + 1}")

    router.add_route("/plain", hello)
    router.websocket_route("/rws")(ws)
    hosted = fw.APIRouter()
    hosted.add_route("/leaf2", hello)
    router.host("admin.example.com", hosted)  # included: its app mounted under the prefix
    app.include_router(router, prefix="/inc")

    sub = fw.APIRouter()
    sub.add_route("/leaf", hello, name="leaf")
    app.host("{tenant}.example.org", sub, name="tenant")

    @app.get("/typed/{n}")
    def typed(n: int) -> dict[str, int]:
        return {"n": n}

    return app


REQUESTS = [
    ("GET", "/hello/ada", {}),
    ("HEAD", "/hello/ada", {}),
    ("POST", "/hello/ada", {}),
    ("GET", "/hello/ada/", {}),
    ("GET", "/thread?q=1", {}),
    ("POST", "/thread", {}),
    ("GET", "/teapot", {}),
    ("PATCH", "/asgi", {}),
    ("PUT", "/inc/r/41", {}),
    ("GET", "/inc/r/41", {}),
    ("GET", "/inc/r/x", {}),
    ("GET", "/inc/plain", {}),
    ("GET", "/own/plain", {}),
    ("GET", "/leaf", {"host": "acme.example.org"}),
    ("GET", "/leaf", {"host": "example.com"}),
    ("GET", "/typed/3", {}),
    ("GET", "/inc/leaf2", {"host": "admin.example.com"}),
    ("GET", "/leaf2", {"host": "admin.example.com"}),
]


@pytest.fixture(scope="module")
def answers() -> dict[str, list[tuple[Any, ...]]]:
    seen: dict[str, list[tuple[Any, ...]]] = {}
    for framework in FRAMEWORKS:
        client = FRAMEWORKS[framework][2](make_app(framework))
        seen[framework] = []
        for method, path, headers in REQUESTS:
            response = client.request(method, path, headers=headers, follow_redirects=False)
            allow = response.headers.get("allow")  # Starlette joins a set: any order
            seen[framework].append(
                (
                    method,
                    path,
                    response.status_code,
                    response.text,
                    allow and ", ".join(sorted(allow.split(", "))),
                    response.headers.get("location"),
                    response.headers.get("x-tea"),
                    response.headers.get("content-type"),
                )
            )
    return seen


def test_plain_routes_as_fastapi(answers: dict[str, list[tuple[Any, ...]]]) -> None:
    assert answers["fasterapi"] == answers["fastapi"]
    ours = answers["fasterapi"]
    client = FRAMEWORKS["fasterapi"][2](make_app("fasterapi"))
    assert client.post("/hello/ada").headers["allow"] == "GET, HEAD"  # sorted
    assert ours[0][2:4] == (200, "hello {'name': 'ada'} GET")
    assert ours[2][2:5] == (405, '{"detail":"Method Not Allowed"}', "GET, HEAD")
    assert ours[4][3] == '{"main_thread":false,"q":"1"}'  # a sync endpoint: the thread pool
    assert ours[6][2:7] == (418, '{"detail":"short and stout"}', None, None, "1")
    assert ours[8][2:4] == (200, "routed 42")
    assert ours[13][2:4] == (200, "hello {'tenant': 'acme'} GET")
    assert ours[16][2:4] == (200, "hello {} GET")


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_plain_websocket_routes(framework: str) -> None:
    client = FRAMEWORKS[framework][2](make_app(framework))
    for path, text in [
        ("/ws/lobby", "ws {'room': 'lobby'}"),
        ("/ws2", "ws {}"),
        ("/inc/rws", "ws {}"),
    ]:
        with client.websocket_connect(path) as websocket:
            assert websocket.receive_text() == text


def test_plain_routes_are_not_in_openapi() -> None:
    documents = [
        FRAMEWORKS[framework][2](make_app(framework)).get("/openapi.json").json()
        for framework in FRAMEWORKS
    ]
    assert documents[0]["paths"] == documents[1]["paths"]
    assert list(documents[0]["paths"]) == ["/typed/{n}"]


def test_url_path_for_plain_routes_and_hosts() -> None:
    ours, theirs = make_app("fasterapi"), make_app("fastapi")
    for name, params in [
        ("thread", {}),
        ("ws", {"room": "a"}),
        ("routed", {"x": 4}),
        ("tenant:leaf", {"tenant": "acme"}),
    ]:
        mine, reference = ours.url_path_for(name, **params), theirs.url_path_for(name, **params)
        assert (mine, mine.protocol, mine.host) == (reference, reference.protocol, reference.host)
    with pytest.raises(FasterAPI.routing.NoMatchFound):
        ours.url_path_for("thread", extra=1)


def test_plain_route_classes_repr_and_shape_as_starlettes() -> None:
    async def endpoint(request: Any) -> Any:  # pragma: no cover
        return None

    pairs = [
        (
            FasterAPI.routing.Route,
            starlette.routing.Route,
            ("/a/{b:int}", endpoint),
            {"methods": ["GET", "POST"]},
        ),
        (
            FasterAPI.routing.WebSocketRoute,
            starlette.routing.WebSocketRoute,
            ("/w/{c}", endpoint),
            {},
        ),
    ]
    for ours_class, theirs_class, args, kwargs in pairs:
        mine, reference = ours_class(*args, **kwargs), theirs_class(*args, **kwargs)
        assert repr(mine) == repr(reference)
        assert mine.path_format == reference.path_format
        assert mine.name == reference.name == "endpoint"
        assert getattr(mine, "methods", None) == getattr(reference, "methods", None)
    host = FasterAPI.routing.Host("{sub}.example.org:8000", FasterAPI.APIRouter(), name="h")
    reference_host = starlette.routing.Host(
        "{sub}.example.org:8000", FasterAPI.APIRouter(), name="h"
    )
    assert host.host_format == reference_host.host_format
    assert host.host_regex.pattern == reference_host.host_regex.pattern
    assert repr(host).split(", app=")[0] == repr(reference_host).split(", app=")[0]
    scope = {"type": "http", "headers": [(b"host", b"Api.Example.org:8000")], "path": "/"}
    assert host.matches(scope)[1]["path_params"] == reference_host.matches(scope)[1]["path_params"]
    assert host.matches(scope)[0] is reference_host.matches(scope)[0]
    with pytest.raises(ValueError, match="must start with '/'"):
        FasterAPI.routing.Route("nope", endpoint)


def test_iter_route_contexts() -> None:
    app = make_app("fasterapi")
    contexts = list(FasterAPI.routing.iter_route_contexts(app.routes))
    assert [c.route for c in contexts] == app.routes
    routed = next(c for c in contexts if c.name == "routed")
    assert (routed.path, routed.path_format, routed.methods) == (
        "/inc/r/{x:int}",
        "/inc/r/{x}",
        {"PUT"},
    )
    assert routed.original_route is routed.route and routed.endpoint is routed.route.endpoint
    assert routed.param_convertors["x"].convert("42") == 42
    assert list(FasterAPI.routing.iter_route_contexts(contexts)) == contexts
    host = next(c for c in contexts if c.name == "tenant")
    assert (host.path, host.methods, host.endpoint) == (None, None, None)
