"""docs/examples for the ecosystem pages: files and templates, SQLAlchemy, Redis, CPU-bound work,
deployment behind a proxy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from FasterAPI import TestClient

Load = Callable[[str], ModuleType]


def test_static_files_and_templates(load_example: Load) -> None:
    client = TestClient(load_example("static_templates").app)
    response = client.get("/items/42")
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "<h1>Item 42</h1>" in response.text
    assert '<link href="http://testserver/static/style.css" rel="stylesheet">' in response.text
    response = client.get("/static/style.css")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/css; charset=utf-8"
    assert response.text == "body { font-family: sans-serif; }\n"
    again = client.get("/static/style.css", headers={"if-none-match": response.headers["etag"]})
    assert (again.status_code, again.content) == (304, b"")
    assert client.get("/static/missing.css").status_code == 404


def test_sqlalchemy(load_example: Load, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'items.db'}")
    example = load_example("sqlalchemy_items")
    with TestClient(example.app) as client:
        response = client.post("/items", json={"name": "lamp", "price": 9.5})
        assert (response.status_code, response.json()) == (201, {"id": 1, "name": "lamp", "price": 9.5})
        client.post("/items", json={"name": "desk", "price": 120})
        assert client.get("/items").json() == [
            {"id": 1, "name": "lamp", "price": 9.5},
            {"id": 2, "name": "desk", "price": 120.0},
        ]
        assert client.get("/items/2").json() == {"id": 2, "name": "desk", "price": 120.0}
        response = client.get("/items/3")
        assert (response.status_code, response.json()) == (404, {"detail": "Item not found"})
        assert client.post("/items", json={"name": "x"}).status_code == 422
    assert (tmp_path / "items.db").is_file()


def test_redis_cache_and_rate_limit(load_example: Load, redis_url: str) -> None:
    example = load_example("redis_cache_ratelimit")
    with TestClient(example.create_app(redis_url)) as client:
        first = client.get("/report")
        assert (first.json(), first.headers["x-cache"]) == ({"computed": 1}, "MISS")
        second = client.get("/report")
        assert (second.json(), second.headers["x-cache"]) == ({"computed": 1}, "HIT")
        fresh = client.get("/report", headers={"cache-control": "no-cache"})
        assert fresh.json() == {"computed": 2}
        assert second.headers["ratelimit-limit"] == "5"
        for _ in range(2):
            assert client.get("/report").status_code == 200
        limited = client.get("/report")
        assert (limited.status_code, limited.json()) == (429, {"detail": "Too Many Requests"})
        assert int(limited.headers["retry-after"]) >= 1
        assert client.get("/health").json() == {"status": "ok"}


def test_redis_state_is_shared_between_machines(load_example: Load, redis_url: str) -> None:
    """Two app instances (two workers or machines) on one Redis share the cache and the limit."""
    example = load_example("redis_cache_ratelimit")
    with (
        TestClient(example.create_app(redis_url)) as machine_a,
        TestClient(example.create_app(redis_url)) as machine_b,
    ):
        assert machine_a.get("/report").headers["x-cache"] == "MISS"
        cached = machine_b.get("/report")
        assert (cached.json(), cached.headers["x-cache"]) == ({"computed": 1}, "HIT")
        for _ in range(3):
            assert machine_a.get("/report").status_code == 200
        assert machine_b.get("/report").status_code == 429


def test_cpu_bound_work(load_example: Load) -> None:
    example = load_example("cpu_bound")
    with TestClient(example.app) as client:
        assert client.get("/primes?limit=100").json() == {"limit": 100, "count": 25}
        assert client.get("/primes/default-pool?limit=1000").json() == {"limit": 1000, "count": 168}
        assert client.get("/primes?limit=-1").status_code == 422
    assert load_example("primes").count_primes(2) == 0


def test_deployment_behind_a_proxy(load_example: Load) -> None:
    app = load_example("deployment_proxy").app
    client = TestClient(app, base_url="https://example.com")
    assert client.get("/whoami").json() == {
        "root_path": "/api",
        "url": "https://example.com/api/whoami",
        "client": "testclient",
        "scheme": "https",
    }
    assert client.get("/openapi.json").json()["servers"] == [{"url": "/api"}]
    assert TestClient(app, base_url="https://api.example.com").get("/whoami").status_code == 200
    response = TestClient(app, base_url="http://evil.test").get("/whoami")
    assert (response.status_code, response.text) == (400, "Invalid host header")
