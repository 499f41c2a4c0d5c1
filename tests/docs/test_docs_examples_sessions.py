"""docs/examples/server_sessions.py does what the Sessions page says, in memory and on Redis."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import pytest

from FasterAPI import TestClient
from FasterAPI.middleware import RedisSessionStore

Load = Callable[[str], ModuleType]


def run_flow(client: TestClient) -> None:
    assert client.post("/cart/apple").json() == {"cart": ["apple"]}
    anonymous = client.cookies["session"]
    assert client.post("/login", json={"username": "ada", "password": "nope"}).status_code == 401
    assert client.post("/login", json={"username": "ada", "password": "secret"}).json() == {
        "user": "ada"
    }
    assert client.cookies["session"] != anonymous  # a new id on login
    assert client.get("/me").json() == {"user": "ada", "cart": ["apple"]}
    assert client.post("/logout").json() == {"logged_out": True}
    assert "session" not in client.cookies
    assert client.get("/me").json() == {"user": None, "cart": []}
    client.cookies["session"] = anonymous  # the pre-login id was deleted
    assert client.get("/me").json() == {"user": None, "cart": []}


def test_server_sessions_in_memory(load_example: Load, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    with TestClient(load_example("server_sessions").app) as client:
        run_flow(client)


def test_server_sessions_on_redis(load_example: Load, redis_url: str) -> None:
    example = load_example("server_sessions")
    with TestClient(example.create_app(RedisSessionStore(redis_url))) as client:
        run_flow(client)
