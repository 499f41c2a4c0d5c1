"""The stand-in's ``starlette.routing.Router`` and ``compile_path`` (served when Starlette is not
installed) compared with Starlette's own: ``compile_path`` gives the same regex, format and
convertors (and the same errors; the regex of a parameter is its convertor's, FasterAPI's: those
of ``float`` and ``uuid`` are written differently); ``Router(routes=[...])`` answers as an ASGI application as
Starlette's does (routes, mounted routers, 404/405 in plain text, slash redirects, middleware)."""

import re
from typing import Any

import pytest
import starlette.middleware
import starlette.responses
import starlette.routing
import starlette.testclient

import FasterAPI.routing
from FasterAPI._stand_in import starlette_routing
from FasterAPI.middleware import Middleware
from FasterAPI.responses import PlainTextResponse
from FasterAPI.testclient import TestClient


@pytest.mark.parametrize(
    "path",
    [
        "/users/{user_id:int}/files/{name}",
        "/static/{rest:path}",
        "{subdomain}.example.org:8000",
        "[::1]:8000",
        "",
        "/{1x}/literal braces",
        "/same/{a}/{a}",
        "/twice/{a}/{b}/{a}/{b}",
        "/{x:nope}",
    ],
)
def test_compile_path_as_starlettes(path: str) -> None:
    def compiled(compile_path: Any) -> Any:
        try:
            regex, format_, convertors = compile_path(path)
        except (AssertionError, ValueError) as exc:
            return type(exc).__name__, str(exc)
        kinds = {name: type(convertor).__name__ for name, convertor in convertors.items()}
        return regex.pattern, regex.flags & re.IGNORECASE, format_, kinds

    ours = compiled(starlette_routing.compile_path)
    theirs = compiled(starlette.routing.compile_path)
    assert ours == theirs


def test_compile_path_converts_as_the_convertors_say() -> None:
    regex, _, convertors = starlette_routing.compile_path("/items/{item_id:int}")
    found = regex.match("/items/42")
    assert found is not None
    assert convertors["item_id"].convert(found.group("item_id")) == 42
    assert convertors["item_id"].to_string(7) == "7"


class _Header:
    """A pure ASGI middleware adding a header (the ``middleware=`` of a router)."""

    def __init__(self, app: Any, value: str) -> None:
        self.app, self.value = app, value

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async def marked(message: Any) -> None:
            if message["type"] == "http.response.start":
                message = {
                    **message,
                    "headers": [*message["headers"], (b"x-mw", self.value.encode())],
                }
            await send(message)

        await self.app(scope, receive, marked)


def _answers(
    router: Any, route: Any, mount: Any, response: Any, middleware: Any, client: Any
) -> Any:
    def home(request: Any) -> Any:
        return response(f"home {request.url.path} {request.path_params}")

    def named(request: Any) -> Any:
        return response(str(request.url_for("inner:user", user_id=3)))

    inner = router(routes=[route("/users/{user_id:int}", home, name="user"), route("/", home)])
    app = router(
        routes=[
            route("/", home),
            route("/post", home, methods=["POST"]),
            route("/links", named),
            mount("/inner", app=inner, name="inner"),
        ],
        middleware=[middleware(_Header, value="on")],
    )
    with client(app) as http:
        return [
            (
                r.status_code,
                r.text,
                r.headers.get("allow"),
                r.headers.get("location"),
                r.headers.get("x-mw"),
            )
            for r in (
                http.get("/"),
                http.get("/inner/users/5"),
                http.get("/inner/users/x"),
                http.get("/nowhere"),
                http.get("/post"),
                http.post("/post"),
                http.get("/inner/users/5/", follow_redirects=False),
                http.get("/links"),
            )
        ]


def test_router_as_an_asgi_app_answers_as_starlettes() -> None:
    ours = _answers(
        starlette_routing.Router,
        FasterAPI.routing.Route,
        FasterAPI.routing.Mount,
        PlainTextResponse,
        Middleware,
        TestClient,
    )
    theirs = _answers(
        starlette.routing.Router,
        starlette.routing.Route,
        starlette.routing.Mount,
        starlette.responses.PlainTextResponse,
        starlette.middleware.Middleware,
        starlette.testclient.TestClient,
    )
    assert ours == theirs
    assert theirs[3] == (404, "Not Found", None, None, "on")
    assert theirs[4] == (405, "Method Not Allowed", "POST", None, "on")


def test_router_inside_an_app_leaves_404_to_the_app() -> None:
    """As Starlette's inside a FastAPI app: the app's handler answers (JSON)."""
    app = FasterAPI.FastAPI()
    app.mount(
        "/r",
        starlette_routing.Router(
            routes=[FasterAPI.routing.Route("/x", lambda r: PlainTextResponse("x"))]
        ),
    )
    client = TestClient(app)
    assert client.get("/r/x").text == "x"
    missing = client.get("/r/nothing")
    assert (missing.status_code, missing.json()) == (404, {"detail": "Not Found"})
