"""The application's one-probe route tables (static paths and "/prefix/{x}" paths) answer
exactly as the radix tree's priority rules do, and follow routes added after a request."""

from typing import Any

from asgi_support import exchange, http_scope

from FasterAPI import Faster, TestClient, WebSocket


def make_app() -> Faster:
    app = Faster(openapi_url=None)

    @app.post("/users/me")
    async def create_me() -> dict[str, str]:
        return {"route": "me"}

    @app.get("/users/{user_id}")
    async def get_user(user_id: str) -> dict[str, str]:
        return {"route": "user", "user_id": user_id}

    @app.get("/numbers/{n:int}")
    async def number(n: int) -> dict[str, Any]:
        return {"route": "int", "n": n}

    @app.get("/numbers/{name}")
    async def named(name: str) -> dict[str, str]:
        return {"route": "str", "name": name}

    @app.websocket("/sockets/here")
    async def socket(websocket: WebSocket) -> None:
        await websocket.close()

    @app.get("/sockets/{name}")
    async def sockets(name: str) -> dict[str, str]:
        return {"route": "sockets", "name": name}

    @app.get("/{anything}")
    async def top(anything: str) -> dict[str, str]:
        return {"route": "top", "anything": anything}

    return app


def test_a_static_route_without_the_method_leaves_the_path_to_the_parameter_route() -> None:
    client = TestClient(make_app())
    assert client.post("/users/me").json() == {"route": "me"}
    response = client.get("/users/me")
    assert response.status_code == 200
    assert response.json() == {"route": "user", "user_id": "me"}


def test_parameter_routes_by_prefix() -> None:
    client = TestClient(make_app())
    assert client.get("/users/42").json() == {"route": "user", "user_id": "42"}
    assert client.get("/users/a%20b").json() == {"route": "user", "user_id": "a b"}
    head = client.head("/users/42")
    assert (head.status_code, head.content) == (200, b"")
    assert client.get("/top").json() == {"route": "top", "anything": "top"}


def test_an_empty_last_segment_is_not_a_parameter_value() -> None:
    client = TestClient(make_app())
    response = client.get("/users/", follow_redirects=False)
    assert response.status_code == 307  # to "/users", which "/{anything}" answers
    assert response.headers["location"] == "http://testserver/users"
    assert client.get("/numbers/").json() == {"route": "top", "anything": "numbers"}


def test_a_more_specific_convertor_at_the_same_place_keeps_its_priority() -> None:
    client = TestClient(make_app())
    assert client.get("/numbers/7").json() == {"route": "int", "n": 7}
    assert client.get("/numbers/seven").json() == {"route": "str", "name": "seven"}


def test_a_websocket_route_does_not_hide_an_http_parameter_route() -> None:
    client = TestClient(make_app())
    assert client.get("/sockets/here").json() == {"route": "sockets", "name": "here"}


def test_other_methods_still_get_405_with_allow() -> None:
    client = TestClient(make_app())
    response = client.delete("/users/42")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"


def test_routes_added_after_the_first_request_are_found() -> None:
    app = make_app()
    client = TestClient(app)
    assert client.get("/late").json() == {"route": "top", "anything": "late"}

    @app.get("/late")
    async def late() -> dict[str, str]:
        return {"route": "late"}

    @app.get("/later/{x}")
    async def later(x: str) -> dict[str, str]:
        return {"route": "later", "x": x}

    assert client.get("/late").json() == {"route": "late"}
    assert client.get("/later/1").json() == {"route": "later", "x": "1"}


def test_a_root_path_is_stripped_before_the_lookup() -> None:
    client = TestClient(make_app(), root_path="/api")
    assert client.get("/api/users/9").json() == {"route": "user", "user_id": "9"}


def test_a_path_without_a_leading_slash_matches_no_parameter_route() -> None:
    # "x" must not be taken for "/{anything}" (servers never send such paths; the tables and
    # the tree agree on them all the same).
    app = make_app()
    for _ in range(2):  # the first request builds the middleware stack, the second goes direct
        sent, _ = exchange(app, http_scope("x"))
        assert sent[0]["status"] == 404
