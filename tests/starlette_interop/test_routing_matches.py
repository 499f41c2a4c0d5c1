"""Starlette's routing protocol on FasterAPI's routes: ``route.matches(scope)``, ``path_format``,
``param_convertors``, ``repr`` and ``url_path_for``, compared with FastAPI's routes (the loop of
prometheus-fastapi-instrumentator and slowapi over ``app.routes``)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import fastapi
import fastapi.routing
import pytest
from starlette.datastructures import URLPath as StarletteURLPath
from starlette.requests import Request as StarletteRequest
from starlette.routing import Match

import FasterAPI
import FasterAPI.routing
from FasterAPI.responses import PlainTextResponse
from FasterAPI.testclient import TestClient

FRAMEWORKS = {"fasterapi": (FasterAPI.FastAPI, FasterAPI), "fastapi": (fastapi.FastAPI, fastapi)}


def read_item(item_id: int) -> dict[str, int]:
    return {"item_id": item_id}


def list_users() -> list[str]:
    return []


def create_user() -> dict[str, str]:
    return {}


async def feed(websocket: Any, room: str) -> None:  # pragma: no cover
    await websocket.accept()


def sub_app_endpoint() -> str:  # pragma: no cover
    return ""


def make_app(framework: str) -> Any:
    app_class, module = FRAMEWORKS[framework]
    app = app_class(openapi_url=None, docs_url=None, redoc_url=None)
    app.get("/items/{item_id:int}", name="read")(read_item)
    app.get("/users")(list_users)
    app.post("/users")(create_user)
    app.websocket("/ws/{room}")(feed)
    router = module.APIRouter()
    router.get("/{user_id}/files/{file_path:path}")(read_item)
    app.include_router(router, prefix="/people")
    sub = app_class()
    app.mount("/static", sub, name="static")
    return app


SCOPES = [
    {"type": "http", "method": "GET", "path": "/items/3"},
    {"type": "http", "method": "GET", "path": "/items/x"},
    {"type": "http", "method": "DELETE", "path": "/items/3"},
    {"type": "http", "method": "POST", "path": "/users"},
    {"type": "http", "method": "PUT", "path": "/users"},
    {"type": "http", "method": "GET", "path": "/users/"},
    {"type": "http", "method": "GET", "path": "/people/7/files/a/b.txt"},
    {"type": "http", "method": "GET", "path": "/static/css/site.css"},
    {"type": "http", "method": "GET", "path": "/static"},
    {"type": "http", "method": "GET", "path": "/app/items/3", "root_path": "/app"},
    {"type": "http", "method": "GET", "path": "/items/3", "path_params": {"tenant": "a"}},
    {"type": "websocket", "path": "/ws/lobby"},
    {"type": "websocket", "path": "/items/3"},
    {"type": "http", "method": "GET", "path": "/ws/lobby"},
]


def described(route: Any, scope: dict[str, Any]) -> tuple[Any, ...]:
    """What a plugin reads from ``route.matches(scope)``, comparable across frameworks."""
    match, child = route.matches(dict(scope))
    endpoint = child.get("endpoint")
    return (
        match,
        child.get("path_params"),
        getattr(endpoint, "__name__", None) if callable(endpoint) else endpoint,
        child.get("root_path"),
        child.get("app_root_path"),
        child.get("route") is route if "route" in child else None,
    )


def test_matches_as_fastapi() -> None:
    faster, reference = make_app("fasterapi"), make_app("fastapi")
    # FastAPI's include keeps the included router as one entry: compare the served routes.
    ours = list(faster.routes)
    theirs = [context.route for context in fastapi.routing.iter_route_contexts(reference.routes)]
    theirs = [r for r in theirs if r.path in {route.path for route in ours}]
    # FasterAPI's include copies routes with their effective path; FastAPI's route keeps its own
    theirs_by_name = {route.name: route for route in theirs}
    for scope in SCOPES:
        for route in ours:
            if route.name == "read_item" and route.path.startswith("/people"):
                continue  # compared below through the effective context
            expected = described(theirs_by_name[route.name], scope)
            if isinstance(route, FasterAPI.routing.Mount):
                # FastAPI's child scope names the mounted app itself; ours too
                assert described(route, scope)[:2] == expected[:2], (route, scope)
                assert described(route, scope)[3:] == expected[3:], (route, scope)
            else:
                assert described(route, scope) == expected, (route, scope)


def test_included_route_matches_with_its_prefix() -> None:
    app = make_app("fasterapi")
    route = next(r for r in app.routes if r.path.startswith("/people"))
    scope = {"type": "http", "method": "GET", "path": "/people/7/files/a/b.txt"}
    assert route.matches(scope) == (
        Match.FULL,
        {
            "endpoint": read_item,
            "path_params": {"user_id": "7", "file_path": "a/b.txt"},
            "route": route,
        },
    )
    assert route.path_format == "/people/{user_id}/files/{file_path}"


def test_match_members_are_starlettes_and_head_is_get() -> None:
    app = make_app("fasterapi")
    read = next(r for r in app.routes if r.name == "read")
    match, child = read.matches({"type": "http", "method": "HEAD", "path": "/items/5"})
    # FasterAPI serves HEAD with GET routes (FastAPI answers 405): a FULL match
    assert match is Match.FULL
    assert child["path_params"] == {"item_id": 5}
    assert read.matches({"type": "lifespan"}) == (Match.NONE, {})


def test_path_format_convertors_and_repr_as_fastapi() -> None:
    faster, reference = make_app("fasterapi"), make_app("fastapi")
    for name in ("read", "list_users", "feed"):
        ours = next(r for r in faster.routes if r.name == name)
        theirs = next(r for r in reference.routes if getattr(r, "name", None) == name)
        assert ours.path_format == theirs.path_format
        assert ours.path_regex.pattern == theirs.path_regex.pattern
        assert ours.param_convertors.keys() == theirs.param_convertors.keys()
        for key, convertor in ours.param_convertors.items():
            assert convertor.regex == theirs.param_convertors[key].regex
            assert convertor.convert("12") == theirs.param_convertors[key].convert("12")
            assert convertor.to_string(12) == theirs.param_convertors[key].to_string(12)
        assert repr(ours) == repr(theirs)
    mount = next(r for r in faster.routes if r.name == "static")
    theirs_mount = next(r for r in reference.routes if getattr(r, "name", None) == "static")
    assert mount.path_format == theirs_mount.path_format == "/static/{path}"
    assert repr(mount).startswith("Mount(path='/static', name='static', app=")


def test_repr_of_routes() -> None:
    app = make_app("fasterapi")
    assert repr(next(r for r in app.routes if r.name == "read")) == (
        "APIRoute(path='/items/{item_id:int}', name='read', methods=['GET'])"
    )
    assert repr(next(r for r in app.routes if r.name == "feed")) == (
        "APIWebSocketRoute(path='/ws/{room}', name='feed')"
    )


@pytest.mark.parametrize("partial", [False, True])
def test_instrumentator_loop_names_the_route_template(partial: bool) -> None:
    """The loop of prometheus-fastapi-instrumentator and OpenTelemetry (through
    ``fastapi.routing.iter_route_contexts``, FastAPI 0.165's way), on both frameworks."""

    def handler_name(app: Any, routing: Any, scope: dict[str, Any]) -> str:
        for context in routing.iter_route_contexts(app.routes):
            match, _ = context.matches(dict(scope))
            if match == Match.FULL or (partial and match == Match.PARTIAL):
                return f"{context.path} {context.path_format} {context.name}"
        return "none"

    faster, reference = make_app("fasterapi"), make_app("fastapi")
    names = [handler_name(faster, FasterAPI.routing, scope) for scope in SCOPES]
    assert names == [handler_name(reference, fastapi.routing, scope) for scope in SCOPES]
    assert names[0] == "/items/{item_id:int} /items/{item_id} read"
    assert (
        names[6]
        == "/people/{user_id}/files/{file_path:path} /people/{user_id}/files/{file_path} read_item"
    )


def test_url_path_for_returns_a_url_path() -> None:
    app = make_app("fasterapi")
    url = app.url_path_for("read", item_id=3)
    assert isinstance(url, str) and url == "/items/3"
    assert url.protocol == "http"
    assert (
        str(url.make_absolute_url("https://example.org/api/")) == "https://example.org/api/items/3"
    )
    ws = app.url_path_for("feed", room="lobby")
    assert (ws, ws.protocol) == ("/ws/lobby", "websocket")
    assert str(ws.make_absolute_url("https://example.org")) == "wss://example.org/ws/lobby"
    static = app.url_path_for("static", path="/css/site.css")
    assert (static, static.protocol) == ("/static/css/site.css", "")


def test_starlette_request_url_for_with_a_faster_router() -> None:
    app = FasterAPI.FastAPI()

    @app.get("/items/{item_id}", name="item")
    def item(request: FasterAPI.Request, item_id: str) -> PlainTextResponse:
        assert isinstance(request.scope["router"], FasterAPI.FasterRouter)
        url = StarletteRequest(request.scope).url_for("item", item_id="x y")
        return PlainTextResponse(str(url))

    response = TestClient(app).get("/items/1")
    assert (response.status_code, response.text) == (200, "http://testserver/items/x%20y")
    assert isinstance(app.url_path_for("item", item_id=1), StarletteURLPath.__mro__[1])


@pytest.mark.parametrize("code", ["Match.FULL", "Match.PARTIAL", "Match.NONE"])
def test_without_starlette_the_enum_is_fasterapis(code: str) -> None:
    script = f"""
import sys
from FasterAPI import FastAPI
from fasterapi_routing.matching import Match
app = FastAPI()
app.get("/a")(lambda: 1)
route = app.routes[-1]
method = {{"Match.FULL": "GET", "Match.PARTIAL": "POST", "Match.NONE": "GET"}}["{code}"]
path = "/b" if "{code}" == "Match.NONE" else "/a"
match, _ = route.matches({{"type": "http", "method": method, "path": path}})
assert match is {code}, match
assert (match.value, type(match).__module__) == ({code}.value, "fasterapi_routing.matching")
assert "starlette" not in sys.modules and "starlette.routing" not in sys.modules
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (0, "ok\n", "")


def test_fasterapi_match_equals_starlettes() -> None:
    from fasterapi_routing.matching import Match as FasterMatch

    assert FasterMatch.FULL == Match.FULL and Match.FULL == FasterMatch.FULL
    assert FasterMatch.PARTIAL != Match.FULL
    assert hash(FasterMatch.FULL) == hash(Match.FULL)


MOUNT_SCOPES = [
    {"type": "http", "method": "GET", "path": "/static/css/a.css"},
    {"type": "http", "method": "GET", "path": "/static/"},
    {"type": "http", "method": "GET", "path": "/static"},
    {"type": "http", "method": "GET", "path": "/staticx/a"},
    {"type": "websocket", "path": "/static/ws"},
    {"type": "http", "method": "GET", "path": "/root/static/a", "root_path": "/root"},
    {"type": "http", "path": "/static/a", "root_path": "/r", "app_root_path": "/top"},
    {"type": "http", "path": "/t/acme/static/a", "path_params": {"x": 1}},
    {"type": "lifespan"},
]


@pytest.mark.parametrize("prefix", ["/static", "/t/{tenant}/static", ""])
def test_mount_matches_as_starlettes(prefix: str) -> None:
    from starlette.routing import Mount as StarletteMount

    app = FasterAPI.FastAPI()
    ours, theirs = FasterAPI.routing.Mount(prefix, app), StarletteMount(prefix, app=app)
    for scope in MOUNT_SCOPES:
        assert ours.matches(dict(scope)) == theirs.matches(dict(scope)), scope
    assert ours.path_format == theirs.path_format
    assert ours.path_regex.pattern == theirs.path_regex.pattern
