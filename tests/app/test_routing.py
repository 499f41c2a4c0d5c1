"""Routing through the application: methods, 405/Allow, HEAD, redirect_slashes, routers, mounts."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from FasterAPI import (
    Faster,
    FasterRouter,
    PlainTextResponse,
    Request,
    Response,
    TestClient,
)
from fasterapi_core.types import Receive, Scope, Send


def make_app() -> Faster:
    app = Faster()

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/users/me/profile")
    async def my_profile() -> dict[str, str]:
        return {"who": "me"}

    @app.get("/users/{user_id}/posts")
    async def posts(user_id: str) -> dict[str, str]:
        return {"posts_of": user_id}

    @app.get("/users/{user_id}")
    async def user(user_id: int) -> dict[str, int]:
        return {"user_id": user_id}

    @app.delete("/users/{user_id}")
    async def delete_user(user_id: int) -> dict[str, Any]:
        return {"deleted": user_id}

    @app.get("/files/{file_path:path}")
    async def files(file_path: str) -> dict[str, str]:
        return {"file_path": file_path}

    @app.api_route("/multi", methods=["GET", "POST"])
    async def multi(request: Request) -> dict[str, str]:
        return {"method": request.method}

    @app.get("/slash/")
    async def with_slash() -> str:
        return "slash"

    @app.put("/items/{item_id}")
    def sync_put(item_id: int) -> dict[str, Any]:
        return {
            "item_id": item_id,
            "main_thread": threading.current_thread() is threading.main_thread(),
        }

    return app


@pytest.fixture
def client() -> TestClient:
    return TestClient(make_app())


def test_static_route_returns_json_with_exact_headers(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-length"] == "15"
    assert response.text == '{"status":"ok"}'


def test_static_segment_beats_parameter_and_backtracks(client: TestClient) -> None:
    assert client.get("/users/me/profile").json() == {"who": "me"}
    assert client.get("/users/me/posts").json() == {"posts_of": "me"}
    assert client.get("/users/42/posts").json() == {"posts_of": "42"}


def test_path_parameter_is_converted_by_annotation(client: TestClient) -> None:
    assert client.get("/users/7").json() == {"user_id": 7}
    response = client.get("/users/abc")
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "int_parsing",
                "loc": ["path", "user_id"],
                "msg": "Input should be a valid integer, unable to parse string as an integer",
                "input": "abc",
            }
        ]
    }


def test_catch_all_path_parameter(client: TestClient) -> None:
    assert client.get("/files/a/b/c.txt").json() == {"file_path": "a/b/c.txt"}


def test_wrong_method_is_405_with_allow(client: TestClient) -> None:
    response = client.post("/health")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
    assert response.json() == {"detail": "Method Not Allowed"}
    response = client.patch("/users/3")
    assert response.status_code == 405
    assert response.headers["allow"] == "DELETE, GET, HEAD"


def test_unknown_path_is_404(client: TestClient) -> None:
    response = client.get("/nope")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_head_is_answered_by_get_routes_without_body(client: TestClient) -> None:
    response = client.head("/health")
    assert response.status_code == 200
    assert response.headers["content-length"] == "15"
    assert response.content == b""


def test_api_route_with_several_methods(client: TestClient) -> None:
    assert client.get("/multi").json() == {"method": "GET"}
    assert client.post("/multi").json() == {"method": "POST"}


def test_redirect_slashes_both_ways(client: TestClient) -> None:
    response = client.get("/health/?x=1", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "http://testserver/health?x=1"
    response = client.get("/slash", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "http://testserver/slash/"


def test_redirect_slashes_can_be_disabled() -> None:
    app = Faster(redirect_slashes=False)

    @app.get("/a")
    async def a() -> int:
        return 1

    assert TestClient(app).get("/a/", follow_redirects=False).status_code == 404


def test_sync_handler_runs_in_threadpool(client: TestClient) -> None:
    assert client.put("/items/5").json() == {"item_id": 5, "main_thread": False}


@pytest.mark.parametrize(
    "path",
    ["/users/%zz", "/users/%ff%fe", "/" + "a" * 60_000, "/users/" + "/".join(["x"] * 5000)],
)
def test_hostile_paths_are_4xx(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert 400 <= response.status_code < 500


def test_unknown_method_is_405(client: TestClient) -> None:
    response = client.request("BREW", "/health")
    assert response.status_code == 405


def test_include_router_with_prefix_tags_and_nesting() -> None:
    inner = FasterRouter(prefix="/inner")

    @inner.get("/{thing_id}")
    async def thing(thing_id: int) -> dict[str, int]:
        return {"thing_id": thing_id}

    outer = FasterRouter()

    @outer.get("/")
    async def listing() -> list[int]:
        return [1, 2]

    outer.include_router(inner, prefix="/nested")
    app = Faster()
    app.include_router(outer, prefix="/api/{version}", tags=["api"])
    client = TestClient(app)
    assert client.get("/api/v1/").json() == [1, 2]
    assert client.get("/api/v1/nested/inner/3").json() == {"thing_id": 3}
    paths = {route.path for route in app.routes}
    assert {"/api/{version}/", "/api/{version}/nested/inner/{thing_id}"} <= paths
    tagged = [route for route in app.routes if getattr(route, "tags", None) == ["api"]]
    assert len(tagged) == 2


def test_router_prefix_must_be_well_formed() -> None:
    with pytest.raises(ValueError, match="prefix"):
        FasterRouter(prefix="api/")


def test_mount_forwards_with_root_path() -> None:
    seen: dict[str, Any] = {}

    async def sub(scope: Scope, receive: Receive, send: Send) -> None:
        seen["path"] = scope["path"]
        seen["root_path"] = scope["root_path"]
        await PlainTextResponse("mounted")(scope, receive, send)

    app = Faster()
    app.mount("/sub", sub, name="sub")
    client = TestClient(app)
    response = client.get("/sub/a/b")
    assert response.text == "mounted"
    assert seen == {"path": "/sub/a/b", "root_path": "/sub"}


def test_mounted_faster_app_routes_relative_to_its_prefix() -> None:
    child = Faster()

    @child.get("/ping")
    async def ping(request: Request) -> dict[str, str]:
        return {"pong": request.url.path}

    parent = Faster()
    parent.mount("/child", child)
    response = TestClient(parent).get("/child/ping")
    assert response.json() == {"pong": "/child/ping"}
    assert TestClient(parent).get("/child/nope").status_code == 404


def test_url_path_for_named_routes_and_mounts() -> None:
    app = Faster()

    @app.get("/users/{user_id}", name="get_user")
    async def get_user(user_id: int) -> int:
        return user_id

    @app.get("/link")
    async def link(request: Request) -> str:
        return str(request.url_for("get_user", user_id=5))

    app.mount("/static", PlainTextResponse("x"), name="static")
    assert app.url_path_for("get_user", user_id=5) == "/users/5"
    assert app.url_path_for("static", path="css/a.css") == "/static/css/a.css"
    assert TestClient(app).get("/link").json() == "http://testserver/users/5"


def test_returning_a_response_bypasses_encoding() -> None:
    app = Faster()

    @app.get("/raw")
    async def raw() -> Response:
        return Response(b"\x00\x01", media_type="application/octet-stream", headers={"x-a": "1"})

    response = TestClient(app).get("/raw")
    assert response.content == b"\x00\x01"
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["x-a"] == "1"


def test_status_code_and_response_class() -> None:
    app = Faster()

    @app.post("/created", status_code=201)
    async def created() -> dict[str, bool]:
        return {"created": True}

    @app.get("/page", response_class=PlainTextResponse)
    async def page() -> str:
        return "hello"

    @app.delete("/gone", status_code=204)
    async def gone() -> None:
        return None

    client = TestClient(app)
    response = client.post("/created")
    assert (response.status_code, response.json()) == (201, {"created": True})
    response = client.get("/page")
    assert response.text == "hello"
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    response = client.delete("/gone")
    assert response.status_code == 204
    assert response.content == b""
    assert "content-type" not in response.headers


def test_response_parameter_sets_headers_cookies_and_status() -> None:
    app = Faster()

    @app.get("/cookie")
    async def cookie(response: Response) -> dict[str, bool]:
        response.set_cookie("session", "abc")
        response.headers["x-extra"] = "yes"
        response.status_code = 202
        return {"ok": True}

    result = TestClient(app).get("/cookie")
    assert result.status_code == 202
    assert result.headers["x-extra"] == "yes"
    assert result.headers["set-cookie"] == "session=abc; Path=/; SameSite=lax"
    assert result.json() == {"ok": True}
