"""Every user-guide example under docs/examples/ runs and does what its page says."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from FasterAPI import TestClient

Load = Callable[[str], ModuleType]


def test_first_steps(load_example: Load) -> None:
    client = TestClient(load_example("first_steps").app)
    assert client.get("/").json() == {"message": "Hello World"}
    response = client.post("/greetings", json={"message": "hi", "shout": True})
    assert response.status_code == 201
    assert response.json() == {"message": "HI", "shout": True}
    assert client.post("/greetings", json={"message": "hi"}).json() == {
        "message": "hi",
        "shout": False,
    }
    assert client.post("/greetings", json={}).json() == {
        "detail": [{"type": "missing", "loc": ["body", "message"], "msg": "Field required", "input": {}}]
    }
    assert client.get("/docs").status_code == 200


def test_path_and_query_parameters(load_example: Load) -> None:
    client = TestClient(load_example("path_query_params").app)
    assert client.get("/items/3?q=x&short=1").json() == {"item_id": 3, "q": "x"}
    assert client.get("/items/3").json() == {"item_id": 3, "description": "A long description"}
    response = client.get("/items/x")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "item_id"]
    uid = "6f1a4a0e-3f5b-4c1e-9a53-2a6f2a6b8f11"
    assert client.get(f"/orders/{uid}?limit=5&q=hi").json() == {
        "order_id": uid,
        "limit": 5,
        "search": "hi",
    }
    errors = client.get("/orders/1?limit=0").json()["detail"]
    assert [(e["type"], e["loc"]) for e in errors] == [
        ("uuid_parsing", ["path", "order_id"]),
        ("greater_than_equal", ["query", "limit"]),
    ]
    assert client.get("/colours/red").json() == {"colour": "red"}
    assert client.get("/colours/blue").status_code == 422
    assert client.get("/tags?tag=a&tag=b").json() == {"tags": ["a", "b"]}
    assert client.get("/tags").json() == {"tags": []}
    assert client.get("/files/a/b/c.txt").json() == {"file_path": "a/b/c.txt"}


def test_header_and_cookie_parameters(load_example: Load) -> None:
    client = TestClient(load_example("header_cookie_params").app)
    response = client.get(
        "/agent", headers=[("user-agent", "me"), ("x-token", "a"), ("x-token", "b")]
    )
    assert response.json() == {"user_agent": "me", "x_token": ["a", "b"]}
    assert client.get("/session").json() == {"session_id": None}
    response = client.post("/session")
    assert response.headers.get_list("set-cookie") == [
        "session_id=abc123; HttpOnly; Path=/; SameSite=lax"
    ]
    assert client.get("/session").json() == {"session_id": "abc123"}


def test_request_bodies(load_example: Load) -> None:
    client = TestClient(load_example("request_bodies").app)
    response = client.post("/items", json={"name": "a", "price": 2, "tags": ["x"]})
    assert response.status_code == 201
    assert response.json() == {"id": 1, "name": "a", "price": 2.0}
    errors = client.post("/items", json={"name": "", "price": -1, "x": 1}).json()["detail"]
    assert [(e["type"], e["loc"]) for e in errors] == [
        ("string_too_short", ["body", "name"]),
        ("greater_than", ["body", "price"]),
        ("extra_forbidden", ["body", "x"]),
    ]
    assert client.put("/addresses/1", json={"street": "s", "city": "c"}).json() == {
        "street": "s",
        "city": "c",
        "lines": [],
    }
    assert client.post("/users", json={"username": "abc"}).json() == {
        "username": "abc",
        "full_name": None,
    }
    response = client.post("/users", json={"username": "ab"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "string_too_short"
    body = {"item": {"name": "a", "price": 1}, "user": {"username": "bob"}, "quantity": 2}
    assert client.post("/orders", json=body).json() == {"item": "a", "user": "bob", "quantity": 2}
    assert client.post("/embedded", json={"item": {"name": "a", "price": 1}}).json() == {
        "name": "a",
        "price": 1.0,
        "tags": [],
    }


def test_validation_errors(load_example: Load) -> None:
    example = load_example("validation_errors")
    client = TestClient(example.app)
    assert client.post("/points?scale=2", json={"x": 1, "y": 2}).json() == {"x": 2.0, "y": 4.0}
    response = client.post("/points?scale=0", json={"x": "a"})
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {"type": "greater_than", "loc": ["query", "scale"], "msg": "Input should be greater than 0", "input": "0", "ctx": {"gt": 0}},
            {"type": "float_parsing", "loc": ["body", "x"], "msg": "Input should be a valid number, unable to parse string as a number", "input": "a"},
            {"type": "missing", "loc": ["body", "y"], "msg": "Field required", "input": {"x": "a"}},
        ]
    }
    response = TestClient(example.custom).post("/points", json={"x": "a"})
    assert response.status_code == 400
    assert response.json() == {
        "problems": [
            {"field": "body.x", "problem": "Input should be a valid number, unable to parse string as a number"},
            {"field": "body.y", "problem": "Field required"},
        ]
    }


def test_dependencies_and_overrides(load_example: Load) -> None:
    example = load_example("dependencies_basics")
    client = TestClient(example.app)
    assert client.get("/items?limit=5").json() == {
        "page": {"skip": 0, "limit": 5},
        "greeting": "hello",
    }
    assert client.get("/items?limit=500").status_code == 422
    assert client.get("/items?greeting=hi").json()["greeting"] == "hi"
    assert client.get("/admin").status_code == 401
    response = client.get("/admin", headers={"x-user": "bob"})
    assert (response.status_code, response.json()) == (403, {"detail": "Admins only"})
    assert client.get("/admin", headers={"x-user": "admin"}).json() == {"area": "admin"}
    example.app.dependency_overrides[example.current_user] = lambda: "admin"
    try:
        assert client.get("/admin").json() == {"area": "admin"}
        assert client.get("/me").json() == {"user": "admin"}
    finally:
        example.app.dependency_overrides.clear()
    assert client.get("/me").status_code == 401


def test_dependencies_with_yield(load_example: Load) -> None:
    example = load_example("dependencies_yield")
    client = TestClient(example.app)
    assert client.get("/rows/1").json() == {"row_id": 1, "open": True}
    assert example.EVENTS == ["open", "close"]
    response = client.get("/rows/11")
    assert (response.status_code, response.json()) == (404, {"detail": "Row not found"})
    assert example.EVENTS == ["open", "close", "open", "rollback", "close"]


def test_security_api_keys(load_example: Load) -> None:
    client = TestClient(load_example("security_api_key").app)
    assert client.get("/reports").status_code == 401
    assert client.get("/reports", headers={"x-api-key": "bad"}).json() == {
        "detail": "Invalid or missing API key"
    }
    assert client.get("/reports", headers={"x-api-key": "s3cr3t-key"}).json() == ["q1", "q2"]
    assert client.get("/reports?api_key=s3cr3t-key").json() == ["q1", "q2"]
    response = client.get("/dashboard")
    assert (response.status_code, response.json()) == (401, {"detail": "Not authenticated"})
    assert response.headers["www-authenticate"] == "APIKey"
    assert client.get("/dashboard", cookies={"session": "x"}).json() == {"session": "x"}


def test_security_oauth2_jwt(load_example: Load) -> None:
    client = TestClient(load_example("security_oauth2_jwt").app)
    form = {"username": "alice", "password": "wonderland", "scope": "me admin"}
    response = client.post("/token", data=form)
    assert response.status_code == 200
    body = response.json()
    assert (body["token_type"], body["expires_in"], body["scope"]) == ("bearer", 1800, "me")
    auth = {"Authorization": f"Bearer {body['access_token']}"}
    assert client.get("/users/me", headers=auth).json() == {"username": "alice", "scope": "me"}
    response = client.post("/items", headers=auth)
    assert response.status_code == 403
    assert response.headers["www-authenticate"] == 'Bearer error="insufficient_scope", scope="items:write"'
    token = client.post("/token", data={**form, "scope": "me items:write"}).json()["access_token"]
    response = client.post("/items", headers={"Authorization": f"Bearer {token}"})
    assert (response.status_code, response.json()) == (201, {"created_by": "alice"})
    response = client.post("/token", data={"username": "alice", "password": "wrong"})
    assert (response.status_code, response.json()) == (401, {"detail": "Incorrect username or password"})
    response = client.get("/users/me")
    assert (response.status_code, response.headers["www-authenticate"]) == (401, "Bearer")
    response = client.get("/users/me", headers={"Authorization": "Bearer not.a.jwt"})
    assert response.status_code == 401


def test_middleware(load_example: Load) -> None:
    client = TestClient(load_example("middleware_stack").app)
    response = client.get("/hello", headers={"x-request-id": "abc"})
    assert response.json() == {"request_id": "abc"}
    assert response.headers["x-request-id"] == "abc"
    assert response.headers["x-powered-by"] == "FasterAPI"
    assert response.headers["server-timing"].startswith("app;dur=")
    generated = client.get("/hello").headers["x-request-id"]
    assert len(generated) == 32
    response = client.get("/large", headers={"accept-encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert int(response.headers["content-length"]) < 100
    assert response.json() == {"text": "x" * 2000}
    response = client.get("/hello", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in response.headers
    preflight = {"origin": "https://app.example.com", "access-control-request-method": "POST"}
    response = client.options("/hello", headers=preflight)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "https://app.example.com"
    assert response.headers["access-control-allow-methods"] == "GET, POST"
    response = client.options("/hello", headers={**preflight, "origin": "https://evil.example"})
    assert response.status_code == 400


def test_bigger_application(load_example: Load) -> None:
    client = TestClient(load_example("bigger_app.main").app)
    token = {"x-token": "fake-super-secret-token"}
    assert client.get("/").json() == {"message": "Hello Bigger Applications!"}
    assert client.get("/users/").json() == [{"username": "alice"}, {"username": "bob"}]
    assert client.get("/users/bob").json() == {"username": "bob"}
    assert client.get("/items/", headers={"x-token": "no"}).json() == {"detail": "X-Token header invalid"}
    assert client.get("/items/").status_code == 422
    assert client.get("/items/gun", headers=token).json() == {"id": "gun", "name": "Portal Gun"}
    assert client.get("/items/x", headers=token).status_code == 404
    assert client.post("/admin/reset").json() == {"status": "reset"}
    paths = client.get("/openapi.json").json()["paths"]
    assert paths["/admin/reset"]["post"]["tags"] == ["admin"]
    assert paths["/items/{item_id}"]["get"]["tags"] == ["items"]
    assert paths["/items/{item_id}"]["get"]["responses"]["404"] == {"description": "Not found"}


def test_websockets(load_example: Load) -> None:
    client = TestClient(load_example("websocket_chat").app)
    with client.websocket_connect("/echo") as ws:
        ws.send_text("hi")
        assert ws.receive_text() == "Echo: hi"
    with client.websocket_connect("/chat/alice?lang=fr") as alice:
        assert alice.receive_json() == {"event": "joined", "name": "alice", "lang": "fr"}
        with client.websocket_connect("/chat/bob") as bob:
            joined = {"event": "joined", "name": "bob", "lang": "en"}
            assert alice.receive_json() == joined
            assert bob.receive_json() == joined
            bob.send_json({"text": "yo"})
            said = {"event": "message", "name": "bob", "text": "yo"}
            assert alice.receive_json() == said
            assert bob.receive_json() == said
        assert alice.receive_json() == {"event": "left", "name": "bob"}


def test_streaming_and_sse(load_example: Load) -> None:
    client = TestClient(load_example("streaming_sse").app)
    response = client.get("/numbers")
    assert (response.headers["content-type"], response.text) == ("text/plain; charset=utf-8", "0\n1\n2\n")
    response = client.get("/csv")
    assert response.headers["content-disposition"] == 'attachment; filename="users.csv"'
    assert response.text == "id,name\n1,alice\n2,bob\n"
    with client.stream("GET", "/events") as response:
        assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
        text = "".join(response.iter_text())
    assert text == (
        "data: hello\n\n"
        'event: update\ndata: {"progress":50}\nid: 1\n\n'
        "event: end\ndata: done\nid: 2\nretry: 5000\n\n"
    )


def test_background_tasks(load_example: Load) -> None:
    example = load_example("background_email")
    client = TestClient(example.app)
    response = client.post("/send-notification/a@example.com?q=shoes")
    assert (response.status_code, response.json()) == (
        202,
        {"message": "Notification sent in the background"},
    )
    assert example.OUTBOX == [
        "to=audit@example.com message=query: shoes",
        "to=a@example.com message=some notification",
    ]


def test_testing_page_tests_pass(load_example: Load) -> None:
    example = load_example("testing_example")
    tests = [getattr(example, name) for name in dir(example) if name.startswith("test_")]
    assert len(tests) == 5
    for test in tests:
        test()


def test_coming_from_fastapi(load_example: Load) -> None:
    client = TestClient(load_example("coming_from_fastapi").app)
    response = client.get("/ping")
    assert (response.headers["content-type"], response.text) == ("text/plain; charset=utf-8", "pong")
    response = client.post("/items/", json={"name": "a", "price": 1})
    assert (response.status_code, response.json()) == (201, {"name": "a", "price": 1.0})
    response = client.post("/items/", json={"name": "a", "price": -1})
    assert (response.status_code, response.json()) == (400, {"detail": "Negative price"})
    assert client.post("/items/", json={"name": "a"}).json()["detail"][0]["type"] == "missing"
