"""docs/examples/scaling_out.py (guide/scaling-out.md) on a real redis-server: two app instances
(standing for two hosts) share the chat room, the rate limit and the sessions. The same app
behind nginx, as real processes, is tested in tests/scale_out/."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from types import ModuleType

from redis import Redis

from FasterAPI import TestClient

Load = Callable[[str], ModuleType]

PROXY = ("127.0.0.1", 50000)  # requests come from the load balancer, a trusted proxy
CLIENT = {"x-forwarded-for": "203.0.113.9"}  # who the proxy says the client is


def test_each_response_names_its_backend(load_example: Load, redis_url: str) -> None:
    example = load_example("scaling_out")
    with TestClient(example.create_app(redis_url)) as client:
        response = client.get("/health")
        assert (response.status_code, response.json()) == (
            200,
            {"status": "ok", "backend": example.BACKEND},
        )
        assert response.headers["x-backend"] == example.BACKEND
        assert "ratelimit-limit" not in response.headers  # /health is exempt


def test_session_made_on_one_instance_is_read_on_the_other(
    load_example: Load, redis_url: str
) -> None:
    example = load_example("scaling_out")
    with (
        TestClient(example.create_app(redis_url)) as host_a,
        TestClient(example.create_app(redis_url)) as host_b,
    ):
        refused = host_a.post("/login", json={"username": "ada", "password": "nope"})
        assert (refused.status_code, refused.json()) == (
            401,
            {"detail": "Wrong username or password"},
        )
        logged_in = host_a.post("/login", json={"username": "ada", "password": "secret"})
        assert (logged_in.status_code, logged_in.json()) == (200, {"user": "ada"})
        host_b.cookies["session"] = host_a.cookies["session"]
        assert host_b.get("/me").json() == {"user": "ada"}
        assert host_b.get("/me", cookies={"session": "forged"}).json() == {"user": None}


def test_rate_limit_is_counted_across_instances(load_example: Load, redis_url: str) -> None:
    example = load_example("scaling_out")
    with (
        TestClient(example.create_app(redis_url, rate_limit=3), client=PROXY) as host_a,
        TestClient(example.create_app(redis_url, rate_limit=3), client=PROXY) as host_b,
    ):
        remaining = [
            client.get("/me", headers=CLIENT).headers["ratelimit-remaining"]
            for client in (host_a, host_b, host_a)
        ]
        assert remaining == ["2", "1", "0"]
        refused = host_b.get("/me", headers=CLIENT)
        assert (refused.status_code, refused.json()) == (429, {"detail": "Too Many Requests"})
        assert refused.headers["x-backend"] == example.BACKEND
        other_client = host_b.get("/me", headers={"x-forwarded-for": "203.0.113.10"})
        assert (other_client.status_code, other_client.headers["ratelimit-remaining"]) == (200, "2")
    with TestClient(example.create_app(redis_url, rate_limit=3)) as untrusted:
        for address in ("203.0.113.11", "203.0.113.12", "203.0.113.13"):  # not believed
            assert untrusted.get("/me", headers={"x-forwarded-for": address}).status_code == 200
        assert untrusted.get("/me", headers={"x-forwarded-for": "203.0.113.14"}).status_code == 429


def test_message_posted_on_one_instance_reaches_websockets_on_both(
    load_example: Load, redis_url: str
) -> None:
    example = load_example("scaling_out")
    ready = {"event": "ready", "backend": example.BACKEND}
    with (
        TestClient(example.create_app(redis_url)) as host_a,
        TestClient(example.create_app(redis_url)) as host_b,
        host_a.websocket_connect("/rooms/lobby/ws") as alice,
        host_b.websocket_connect("/rooms/lobby/ws") as bob,
    ):
        assert (alice.receive_json(), bob.receive_json()) == (ready, ready)
        posted = host_a.post("/rooms/lobby/messages", json={"name": "eve", "text": "hi"})
        assert (posted.status_code, posted.json()) == (200, {"sent_by": example.BACKEND})
        said = {"event": "message", "name": "eve", "text": "hi"}
        assert (alice.receive_json(), bob.receive_json()) == (said, said)
        bob.send_text("yo")
        said = {"event": "message", "text": "yo"}
        assert (alice.receive_json(), bob.receive_json()) == (said, said)
        assert (
            host_b.post("/rooms/bad room/messages", json={"name": "x", "text": "y"}).status_code
            == 422
        )


def test_long_polling_gets_the_next_message_from_any_instance(
    load_example: Load, redis_url: str
) -> None:
    example = load_example("scaling_out")
    with (
        TestClient(example.create_app(redis_url)) as host_a,
        TestClient(example.create_app(redis_url)) as host_b,
        ThreadPoolExecutor(1) as pool,
    ):
        nothing = host_a.get("/rooms/quiet/next", params={"wait": 0.2})
        assert (nothing.status_code, nothing.content) == (204, b"")
        waiting = pool.submit(host_a.get, "/rooms/lobby/next", params={"wait": 20})
        redis = Redis.from_url(redis_url)
        deadline = time.monotonic() + 10
        while dict(redis.pubsub_numsub("chat:lobby"))[b"chat:lobby"] == 0:
            assert time.monotonic() < deadline and not waiting.done()
            time.sleep(0.02)
        host_b.post("/rooms/lobby/messages", json={"name": "eve", "text": "hi"})
        answer = waiting.result(timeout=10)
        assert (answer.status_code, answer.json()) == (
            200,
            {"event": "message", "name": "eve", "text": "hi"},
        )
        assert host_a.get("/rooms/lobby/next", params={"wait": 31}).status_code == 422
