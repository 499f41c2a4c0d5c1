"""RateLimitMiddleware with the memory store and a real Redis store; client-key resolution."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from fasterapi_core.types import Message, Receive, Scope, Send
from fasterapi_middleware import (
    MemoryRateLimitStore,
    RateLimitMiddleware,
    RateLimitResult,
    RedisRateLimitStore,
)
from fasterapi_middleware.rate_limit import client_address

pytestmark = pytest.mark.anyio


async def ok_app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.accept"})
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"x-app", b"1")]})
    await send({"type": "http.response.body", "body": b"ok"})


def client(app: Any, peer: str = "198.51.100.7") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(peer, 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def rl_headers(r: httpx.Response) -> dict[str, str]:
    return {k: v for k, v in r.headers.items() if k.startswith("ratelimit-") or k == "retry-after"}


async def test_memory_sliding_window_log() -> None:
    clock = Clock()
    store = MemoryRateLimitStore(clock=clock)
    mw = RateLimitMiddleware(ok_app, limit=3, window=60, store=store)
    async with client(mw) as c:
        statuses = []
        for step in range(3):
            r = await c.get("/")
            statuses.append(r.status_code)
            assert r.text == "ok"
            assert r.headers["x-app"] == "1"
            assert rl_headers(r) == {
                "ratelimit-limit": "3",
                "ratelimit-remaining": str(2 - step),
                "ratelimit-reset": str(60 - 10 * step),
            }
            clock.now += 10
        assert statuses == [200, 200, 200]
        # t = 30: the window still holds requests made at t = 0, 10, 20.
        r = await c.get("/")
        assert r.status_code == 429
        assert r.json() == {"detail": "Too Many Requests"}
        assert r.headers["content-type"] == "application/json"
        assert rl_headers(r) == {
            "ratelimit-limit": "3",
            "ratelimit-remaining": "0",
            "ratelimit-reset": "30",
            "retry-after": "30",
        }
        assert "x-app" not in r.headers
        # t = 60: the first request has left the window, exactly one slot frees up.
        clock.now = 1060.0
        assert (await c.get("/")).status_code == 200
        assert (await c.get("/")).status_code == 429
        # Another client has its own window.
    async with client(mw, peer="198.51.100.8") as other:
        assert (await other.get("/")).status_code == 200


async def test_rotating_forwarded_headers_from_untrusted_peer_do_not_reset() -> None:
    mw = RateLimitMiddleware(
        ok_app, limit=2, forwarded_for_header="X-Forwarded-For", trusted_proxies=["10.0.0.0/8"]
    )
    async with client(mw, peer="203.0.113.9") as c:
        statuses = []
        for i in range(6):
            headers = {
                "x-forwarded-for": f"192.0.2.{i}",
                "forwarded": f"for=192.0.2.{i}",
                "x-real-ip": f"192.0.2.{i}",
            }
            statuses.append((await c.get("/", headers=headers)).status_code)
    assert statuses == [200, 200, 429, 429, 429, 429]


async def test_trusted_proxy_chain_uses_rightmost_untrusted_hop() -> None:
    mw = RateLimitMiddleware(
        ok_app,
        limit=2,
        forwarded_for_header="X-Forwarded-For",
        trusted_proxies=["10.0.0.0/8", "2001:db8::1"],
    )
    async with client(mw, peer="10.1.2.3") as c:
        statuses = []
        for i in range(4):
            # The client forges the left part; the proxies append the real address and themselves.
            xff = f"1.1.1.{i}, 203.0.113.5, 10.9.9.9"
            statuses.append((await c.get("/", headers={"x-forwarded-for": xff})).status_code)
        assert statuses == [200, 200, 429, 429]
        r = await c.get("/", headers={"x-forwarded-for": "203.0.113.6"})
        assert r.status_code == 200  # a different real client behind the same proxy


@pytest.mark.parametrize(
    ("peer", "header", "values", "expected"),
    [
        ("10.0.0.1", b"x-forwarded-for", [b"1.2.3.4"], "1.2.3.4"),
        ("10.0.0.1", b"x-forwarded-for", [b"9.9.9.9, 1.2.3.4", b"10.0.0.2"], "1.2.3.4"),
        ("10.0.0.1", b"x-forwarded-for", [b"10.0.0.3, 10.0.0.2"], "10.0.0.3"),
        ("10.0.0.1", b"x-forwarded-for", [b"1.2.3.4:5555"], "1.2.3.4"),
        ("10.0.0.1", b"x-forwarded-for", [b"::ffff:1.2.3.4"], "1.2.3.4"),
        ("10.0.0.1", b"x-forwarded-for", [], "10.0.0.1"),
        ("10.0.0.1", b"x-forwarded-for", [b"unknown"], "unknown"),
        ("10.0.0.1", b"forwarded", [b'for="[2001:db8:cafe::17]:4711"'], "2001:db8:cafe::17"),
        (
            "10.0.0.1",
            b"forwarded",
            [b"for=192.0.2.43, for=198.51.100.17;proto=https"],
            "198.51.100.17",
        ),
        ("10.0.0.1", b"forwarded", [b"for=192.0.2.43;by=10.0.0.1, for=10.0.0.5"], "192.0.2.43"),
        ("8.8.8.8", b"x-forwarded-for", [b"1.2.3.4"], "8.8.8.8"),
        ("::ffff:8.8.8.8", b"x-forwarded-for", [b"1.2.3.4"], "8.8.8.8"),
    ],
)
def test_client_address(peer: str, header: bytes, values: list[bytes], expected: str) -> None:
    import ipaddress

    scope = {"client": (peer, 1), "headers": [(header, v) for v in values]}
    trusted = (ipaddress.ip_network("10.0.0.0/8"),)
    assert client_address(scope, header, trusted) == expected


def test_client_address_without_header_or_client() -> None:
    assert client_address({"client": None, "headers": []}, None, ()) == "unknown"
    scope = {"client": ("2001:DB8::0:1", 1), "headers": [(b"x-forwarded-for", b"1.2.3.4")]}
    assert client_address(scope, None, ()) == "2001:db8::1"


async def test_exempt_paths_and_key_func() -> None:
    mw = RateLimitMiddleware(
        ok_app, limit=1, exempt_paths=["/health"], key_func=lambda s: s["path"].split("/")[1]
    )
    async with client(mw) as c:
        assert [(await c.get("/health")).status_code for _ in range(3)] == [200, 200, 200]
        assert "ratelimit-limit" not in (await c.get("/health")).headers
        assert (await c.get("/a/1")).status_code == 200
        assert (await c.get("/a/2")).status_code == 429
        assert (await c.get("/b/1")).status_code == 200


async def test_websocket_limited_then_closed() -> None:
    mw = RateLimitMiddleware(ok_app, limit=1)
    results: list[list[Message]] = []
    for _ in range(2):
        sent: list[Message] = []

        async def send(message: Message, sent: list[Message] = sent) -> None:
            sent.append(message)

        scope = {"type": "websocket", "path": "/ws", "headers": [], "client": ("1.2.3.4", 1)}
        await mw(scope, None, send)  # type: ignore[arg-type]
        results.append(sent)
    assert results == [
        [{"type": "websocket.accept"}],
        [{"type": "websocket.close", "code": 1008, "reason": "Too Many Requests"}],
    ]


async def test_lifespan_passes_through() -> None:
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope["type"])

    await RateLimitMiddleware(app)({"type": "lifespan"}, None, None)  # type: ignore[arg-type]
    assert seen == ["lifespan"]


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"limit": 0}, "limit"),
        ({"window": 0}, "window"),
        ({"on_store_error": "maybe"}, "on_store_error"),
        ({"forwarded_for_header": "X-Forwarded-For"}, "trusted_proxies"),
        ({"forwarded_for_header": "X-Forwarded-For", "key_func": str}, "mutually exclusive"),
        ({"forwarded_for_header": "X-Forwarded-For", "trusted_proxies": ["nope"]}, "invalid"),
    ],
)
def test_option_errors(options: dict[str, Any], error: str) -> None:
    with pytest.raises(ValueError, match=error):
        RateLimitMiddleware(ok_app, **options)


def test_store_type_checked() -> None:
    with pytest.raises(TypeError, match="hit"):
        RateLimitMiddleware(ok_app, store=object())  # type: ignore[arg-type]


async def test_memory_store_evicts_idle_keys_and_is_bounded() -> None:
    clock = Clock()
    store = MemoryRateLimitStore(max_keys=3, clock=clock)
    for key in ("a", "b", "c"):
        await store.hit(key, 5, 10)
    assert len(store) == 3
    clock.now += 11  # every key is idle now
    assert await store.hit("d", 5, 10) == RateLimitResult(True, 4, 10.0)
    assert len(store) == 1
    for key in ("e", "f", "g", "h"):
        await store.hit(key, 5, 10)
    assert len(store) == 3  # least recently seen keys dropped beyond max_keys
    with pytest.raises(ValueError):
        MemoryRateLimitStore(max_keys=0)


async def test_redis_store_shared_by_two_app_instances(redis_url: str) -> None:
    store_a = RedisRateLimitStore(redis_url)
    store_b = RedisRateLimitStore(redis_url, key_prefix="fasterapi:rl:")
    app_a = RateLimitMiddleware(ok_app, limit=3, window=60, store=store_a)
    app_b = RateLimitMiddleware(ok_app, limit=3, window=60, store=store_b)
    try:
        async with (
            client(app_a) as a,
            client(app_b) as b,
            client(app_b, peer="198.51.100.99") as c,
        ):
            responses = [await a.get("/"), await b.get("/"), await a.get("/"), await b.get("/")]
            other = await c.get("/")
        assert [r.status_code for r in responses] == [200, 200, 200, 429]
        assert [r.headers["ratelimit-remaining"] for r in responses] == ["2", "1", "0", "0"]
        assert responses[3].json() == {"detail": "Too Many Requests"}
        assert 59 <= int(responses[3].headers["retry-after"]) <= 60
        assert other.status_code == 200
        raw = Redis.from_url(redis_url)
        assert await raw.zcard("fasterapi:rl:198.51.100.7") == 3
        assert 0 < await raw.pttl("fasterapi:rl:198.51.100.7") <= 60_000
        await raw.aclose()
    finally:
        await store_a.aclose()
        await store_b.aclose()


async def test_redis_store_window_slides(redis_url: str) -> None:
    import anyio

    redis_client = Redis.from_url(redis_url)
    store = RedisRateLimitStore(redis_client, key_prefix="t:")
    try:
        first = await store.hit("k", 1, 0.2)
        second = await store.hit("k", 1, 0.2)
        assert first.allowed and first.remaining == 0
        assert not second.allowed and 0 < second.reset <= 0.2
        await anyio.sleep(0.25)  # real time: the server's clock drives the window
        assert (await store.hit("k", 1, 0.2)).allowed
    finally:
        await redis_client.aclose()


@pytest.mark.parametrize("mode", ["open", "closed"])
async def test_redis_outage(redis_server: Any, mode: str, caplog: pytest.LogCaptureFixture) -> None:
    store = RedisRateLimitStore(redis_server.url, socket_timeout=0.5)
    mw = RateLimitMiddleware(ok_app, limit=5, store=store, on_store_error=mode)  # type: ignore[arg-type]
    try:
        async with client(mw) as c:
            before = await c.get("/")
            assert before.status_code == 200
            assert before.headers["ratelimit-remaining"] == "4"
            redis_server.stop()
            with caplog.at_level(logging.WARNING, logger="fasterapi.middleware.rate_limit"):
                during = await c.get("/")
        if mode == "open":
            assert during.status_code == 200
            assert during.text == "ok"
            assert "ratelimit-limit" not in during.headers
        else:
            assert during.status_code == 503
            assert during.json() == {"detail": "Service Unavailable"}
        assert f"rate-limit store failed; failing {mode}" in caplog.text
    finally:
        await store.aclose()


async def test_redis_closed_port_fails_closed(caplog: pytest.LogCaptureFixture) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    store = RedisRateLimitStore(f"redis://127.0.0.1:{port}/0", socket_timeout=0.5)
    mw = RateLimitMiddleware(ok_app, store=store, on_store_error="closed")
    try:
        async with client(mw) as c:
            r = await c.get("/")
        assert r.status_code == 503
        assert "rate-limit store failed" in caplog.text
        ws: list[Message] = []

        async def send(message: Message) -> None:
            ws.append(message)

        scope = {"type": "websocket", "path": "/", "headers": [], "client": ("1.2.3.4", 1)}
        await mw(scope, None, send)  # type: ignore[arg-type]
        assert ws == [{"type": "websocket.close", "code": 1011}]
    finally:
        await store.aclose()
