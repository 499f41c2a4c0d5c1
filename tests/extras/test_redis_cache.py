"""RedisCacheMiddleware against a real redis-server: hits, misses, Vary, bypass rules, outage."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import redis

from fasterapi_core.requests import Request
from fasterapi_core.responses import PlainTextResponse, Response
from fasterapi_core.streaming import StreamingResponse
from fasterapi_core.testclient import TestClient
from fasterapi_extras.redis_cache import RedisCacheMiddleware
from fasterapi_routing import Faster


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> int:
        self.calls += 1
        return self.calls


def build_app(redis_url: str, **options: Any) -> tuple[Faster, Counter]:
    app = Faster()
    counter = Counter()

    @app.get("/items")
    def items(q: str = "") -> dict[str, Any]:
        return {"n": counter(), "q": q}

    @app.get("/lang")
    def lang(request: Request) -> Response:
        language = request.headers.get("accept-language", "none")
        return PlainTextResponse(f"{language}:{counter()}", headers={"vary": "Accept-Language"})

    @app.get("/any")
    def any_vary() -> Response:
        return PlainTextResponse(str(counter()), headers={"vary": "*"})

    @app.get("/cookie")
    def cookie() -> Response:
        response = PlainTextResponse(str(counter()))
        response.set_cookie("session", "abc")
        return response

    @app.get("/private")
    def private() -> Response:
        return PlainTextResponse(str(counter()), headers={"cache-control": "private, max-age=9"})

    @app.get("/nostore")
    def nostore() -> Response:
        return PlainTextResponse(str(counter()), headers={"cache-control": "no-store"})

    @app.get("/missing")
    def missing() -> Response:
        return PlainTextResponse(str(counter()), status_code=404)

    @app.get("/big")
    def big() -> Response:
        return PlainTextResponse("x" * 2000 + str(counter()))

    @app.get("/stream")
    def stream() -> StreamingResponse:
        number = counter()

        async def chunks() -> Any:
            for _ in range(5):
                yield b"y" * 500
            yield str(number).encode()

        return StreamingResponse(chunks(), media_type="text/plain")

    @app.post("/items")
    def create() -> dict[str, int]:
        return {"n": counter()}

    app.add_middleware(RedisCacheMiddleware, redis_url=redis_url, **options)
    return app, counter


@pytest.fixture
def client(redis_url: str) -> Iterator[tuple[TestClient, Counter]]:
    app, counter = build_app(redis_url, max_body_size=1000)
    with TestClient(app) as test_client:
        yield test_client, counter


def test_miss_then_hit(client: tuple[TestClient, Counter], redis_url: str) -> None:
    test_client, _ = client
    first = test_client.get("/items?q=a")
    assert (first.json(), first.headers["x-cache"]) == ({"n": 1, "q": "a"}, "MISS")
    second = test_client.get("/items?q=a")
    assert (second.json(), second.headers["x-cache"]) == ({"n": 1, "q": "a"}, "HIT")
    assert second.headers["content-type"] == "application/json"
    assert second.headers["content-length"] == first.headers["content-length"]
    other_query = test_client.get("/items?q=b")
    assert (other_query.json(), other_query.headers["x-cache"]) == ({"n": 2, "q": "b"}, "MISS")
    keys = redis.Redis.from_url(redis_url).keys("fasterapi:cache:*")
    assert len(keys) == 4  # vary list + entry for two URLs
    assert all(0 < redis.Redis.from_url(redis_url).ttl(key) <= 60 for key in keys)


def test_head_is_cached_separately_without_body(client: tuple[TestClient, Counter]) -> None:
    test_client, _ = client
    head = test_client.head("/items")
    assert (head.status_code, head.content, head.headers["x-cache"]) == (200, b"", "MISS")
    again = test_client.head("/items")
    assert (again.content, again.headers["x-cache"]) == (b"", "HIT")
    assert test_client.get("/items").headers["x-cache"] == "MISS"


def test_vary_headers_are_part_of_the_key(client: tuple[TestClient, Counter]) -> None:
    test_client, _ = client
    en = test_client.get("/lang", headers={"accept-language": "en"})
    fr = test_client.get("/lang", headers={"accept-language": "fr"})
    assert (en.text, fr.text) == ("en:1", "fr:2")
    en_again = test_client.get("/lang", headers={"accept-language": "en"})
    fr_again = test_client.get("/lang", headers={"accept-language": "fr"})
    assert (en_again.text, en_again.headers["x-cache"]) == ("en:1", "HIT")
    assert (fr_again.text, fr_again.headers["x-cache"]) == ("fr:2", "HIT")


@pytest.mark.parametrize("path", ["/any", "/cookie", "/private", "/nostore", "/missing", "/big"])
def test_uncacheable_responses(client: tuple[TestClient, Counter], path: str) -> None:
    test_client, _ = client
    first = test_client.get(path)
    test_client.cookies.clear()  # /cookie sets one; a Cookie request header would bypass
    second = test_client.get(path)
    assert first.text != second.text
    assert (first.headers["x-cache"], second.headers["x-cache"]) == ("MISS", "MISS")


def test_large_stream_passes_through(client: tuple[TestClient, Counter]) -> None:
    test_client, _ = client
    first = test_client.get("/stream")
    second = test_client.get("/stream")
    assert first.text == "y" * 2500 + "1"
    assert second.text == "y" * 2500 + "2"


@pytest.mark.parametrize(
    "headers",
    [
        {"authorization": "Bearer x"},
        {"cookie": "a=b"},
        {"cache-control": "no-cache"},
        {"cache-control": "max-age=0, no-store"},
        {"pragma": "no-cache"},
    ],
)
def test_request_bypass(client: tuple[TestClient, Counter], headers: dict[str, str]) -> None:
    test_client, _ = client
    test_client.get("/items")  # fill the cache
    assert test_client.get("/items").headers["x-cache"] == "HIT"
    bypassed = test_client.get("/items", headers=headers)
    assert bypassed.json() == {"n": 2, "q": ""}
    assert "x-cache" not in bypassed.headers


def test_cache_authenticated_option(redis_url: str) -> None:
    app, _ = build_app(redis_url, cache_authenticated=True, hit_header="X-Hit")
    with TestClient(app) as test_client:
        assert test_client.get("/items", headers={"cookie": "a=b"}).headers["x-hit"] == "MISS"
        assert test_client.get("/items", headers={"cookie": "a=b"}).headers["x-hit"] == "HIT"


def test_post_not_cached(client: tuple[TestClient, Counter]) -> None:
    test_client, _ = client
    assert test_client.post("/items").json() == {"n": 1}
    assert test_client.post("/items").json() == {"n": 2}


def test_redis_outage_degrades(
    redis_server: Any, caplog: pytest.LogCaptureFixture
) -> None:
    app, _ = build_app(redis_server.url)
    with TestClient(app) as test_client:
        assert test_client.get("/items").headers["x-cache"] == "MISS"
        assert test_client.get("/items").headers["x-cache"] == "HIT"
        redis_server.stop()
        with caplog.at_level("WARNING", logger="fasterapi.redis_cache"):
            down = test_client.get("/items")
            assert (down.status_code, down.json()) == (200, {"n": 2, "q": ""})
            assert "x-cache" not in down.headers
            again = test_client.get("/items")  # within the back-off: Redis not even tried
            assert (again.status_code, again.json()) == (200, {"n": 3, "q": ""})
        assert any("Redis cache lookup failed" in r.getMessage() for r in caplog.records)


def test_unreachable_redis_from_the_start() -> None:
    app, _ = build_app("redis://127.0.0.1:1/0")
    with TestClient(app) as test_client:
        assert test_client.get("/items").json() == {"n": 1, "q": ""}
        assert test_client.get("/items").json() == {"n": 2, "q": ""}


def test_missing_client_library_message(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "redis.asyncio", None)
    with pytest.raises(ImportError, match=r'pip install "fasterapi-extras\[redis\]"'):
        RedisCacheMiddleware(Faster())
