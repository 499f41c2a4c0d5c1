"""ServerSideSessionMiddleware with RedisSessionStore against a real redis-server: keys and
TTLs, expiry, fixation protection, clear, one session read by two server processes, and a
killed or stalled Redis answering 503 quickly instead of hanging."""

from __future__ import annotations

import re
import signal
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from cli_process import start, stop

import FasterAPI
from FasterAPI.middleware import (
    RedisSessionStore,
    ServerSideSessionMiddleware,
    regenerate_session_id,
)
from FasterAPI.testclient import TestClient
from fasterapi_core.websockets import WebSocketDisconnect

ID = r"[A-Za-z0-9_-]{43}"
UNAVAILABLE = {"detail": "Session store unavailable"}
PREFIX = "fasterapi:session:"

APP_SOURCE = textwrap.dedent(
    """
    import os

    from FasterAPI import Faster, Request
    from FasterAPI.middleware import (
        RedisSessionStore,
        ServerSideSessionMiddleware,
        regenerate_session_id,
    )

    app = Faster()
    app.add_middleware(
        ServerSideSessionMiddleware,
        store=RedisSessionStore(os.environ["SESSIONS_REDIS_URL"]),
        secret_key="shared-secret",
        max_age=60,
    )


    @app.get("/health")
    def health():
        return {"pid": os.getpid()}


    @app.get("/put/{key}/{value}")
    def put(key: str, value: str, request: Request):
        request.session[key] = value
        return {"pid": os.getpid(), "session": dict(request.session)}


    @app.get("/login/{name}")
    def login(name: str, request: Request):
        request.session["user"] = name
        regenerate_session_id(request)
        return {"pid": os.getpid(), "session": dict(request.session)}


    @app.get("/me")
    def me(request: Request):
        return {"pid": os.getpid(), "session": dict(request.session)}


    @app.get("/logout")
    def logout(request: Request):
        request.session.clear()
        return {"pid": os.getpid(), "session": dict(request.session)}
    """
)


def build(store: RedisSessionStore, **options: Any) -> FasterAPI.Faster:
    app = FasterAPI.Faster()
    app.add_middleware(ServerSideSessionMiddleware, store=store, **options)

    @app.get("/put/{key}/{value}")
    def put(key: str, value: str, request: FasterAPI.Request) -> dict[str, Any]:
        request.session[key] = value
        return dict(request.session)

    @app.get("/login/{name}")
    def login(name: str, request: FasterAPI.Request) -> dict[str, Any]:
        request.session["user"] = name
        regenerate_session_id(request)
        return dict(request.session)

    @app.get("/me")
    def me(request: FasterAPI.Request) -> dict[str, Any]:
        return dict(request.session)

    @app.get("/logout")
    def logout(request: FasterAPI.Request) -> dict[str, bool]:
        request.session.clear()
        return {"ok": True}

    @app.websocket("/ws")
    async def ws(websocket: FasterAPI.WebSocket) -> None:
        await websocket.accept()
        await websocket.send_json(dict(websocket.session))
        await websocket.close()

    return app


@pytest.fixture
def client(redis_url: str) -> Iterator[TestClient]:
    store = RedisSessionStore(redis_url, timeout=0.5)
    with TestClient(build(store, max_age=60)) as test_client:
        yield test_client


def get(client: TestClient | httpx.Client, path: str, cookie: str | None = None) -> Any:
    client.cookies.clear()
    headers = {} if cookie is None else {"cookie": f"session={cookie}"}
    return client.get(path, headers=headers)


def cookie_of(response: Any, signed: bool = False) -> str:
    value = f"{ID}\\.[A-Za-z0-9_-]{{43}}" if signed else ID
    match = re.fullmatch(
        f"session=({value}); path=/; Max-Age=60; httponly; samesite=lax",
        response.headers["set-cookie"],
    )
    assert match is not None, response.headers["set-cookie"]
    return match.group(1)


def test_sessions_live_in_redis_with_max_age_as_ttl(client: TestClient, redis_url: str) -> None:
    sid = cookie_of(get(client, "/put/user/ada"))
    server = redis.Redis.from_url(redis_url)
    assert server.keys(f"{PREFIX}*") == [f"{PREFIX}{sid}".encode()]
    assert 55 <= server.ttl(f"{PREFIX}{sid}") <= 60
    me = get(client, "/me", sid)
    assert (me.json(), me.headers["vary"], me.headers.get("set-cookie")) == (
        {"user": "ada"},
        "Cookie",
        None,
    )


def test_regenerate_deletes_the_old_key(client: TestClient, redis_url: str) -> None:
    before = cookie_of(get(client, "/put/cart/3"))
    after = cookie_of(get(client, "/login/ada", before))
    assert after != before
    assert redis.Redis.from_url(redis_url).keys(f"{PREFIX}*") == [f"{PREFIX}{after}".encode()]
    assert get(client, "/me", before).json() == {}
    assert get(client, "/me", after).json() == {"cart": "3", "user": "ada"}


def test_clear_deletes_the_key(client: TestClient, redis_url: str) -> None:
    sid = cookie_of(get(client, "/put/user/ada"))
    logout = get(client, "/logout", sid)
    assert logout.headers["set-cookie"].startswith("session=null; path=/; expires=Thu, 01 Jan")
    assert redis.Redis.from_url(redis_url).keys(f"{PREFIX}*") == []
    assert get(client, "/me", sid).json() == {}


def test_a_session_expires_max_age_after_its_last_write(redis_url: str) -> None:
    with TestClient(build(RedisSessionStore(redis_url), max_age=1)) as client:
        response = get(client, "/put/user/ada")
        sid = re.match(f"session=({ID});", response.headers["set-cookie"])
        assert sid is not None
        assert get(client, "/me", sid.group(1)).json() == {"user": "ada"}
        time.sleep(1.3)
        assert get(client, "/me", sid.group(1)).json() == {}
        written = get(client, "/put/user/eve", sid.group(1))
        assert sid.group(1) not in written.headers["set-cookie"]  # never the expired id again


def test_undecodable_data_starts_an_empty_session(client: TestClient, redis_url: str) -> None:
    sid = cookie_of(get(client, "/put/user/ada"))
    redis.Redis.from_url(redis_url).set(f"{PREFIX}{sid}", b"\xc1 not msgpack")
    assert get(client, "/me", sid).json() == {}


def test_a_killed_redis_answers_503_without_hanging(client: TestClient, redis_server: Any) -> None:
    sid = cookie_of(get(client, "/put/user/ada"))
    redis_server.stop()
    started = time.monotonic()
    loading = get(client, "/me", sid)
    assert (loading.status_code, loading.json()) == (503, UNAVAILABLE)
    assert loading.headers["content-type"] == "application/json"
    assert loading.headers.get("set-cookie") is None
    saving = get(client, "/put/user/eve")  # no cookie: the store is only needed to save
    assert (saving.status_code, saving.json(), saving.headers.get("set-cookie")) == (
        503,
        UNAVAILABLE,
        None,
    )
    assert get(client, "/me").json() == {}  # no cookie, nothing written: served without Redis
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        client.websocket_connect("/ws", headers={"cookie": f"session={sid}"}),
    ):
        pass
    # The middleware's own refusal (the store is down, the endpoint never runs), not an
    # application error: those propagate now, as in FastAPI (tests/websockets/
    # test_websocket_app_errors.py); a close before accept reads as 403 on the wire.
    assert (refused.value.code, refused.value.reason) == (1011, "")
    assert time.monotonic() - started < 3


def test_a_stalled_redis_answers_503_within_the_timeout(
    client: TestClient, redis_server: Any
) -> None:
    sid = cookie_of(get(client, "/put/user/ada"))
    redis_server.process.send_signal(signal.SIGSTOP)
    try:
        started = time.monotonic()
        stalled = get(client, "/me", sid)
        elapsed = time.monotonic() - started
    finally:
        redis_server.process.send_signal(signal.SIGCONT)
    assert (stalled.status_code, stalled.json()) == (503, UNAVAILABLE)
    assert 0.4 < elapsed < 2  # the store's timeout is 0.5 s
    assert get(client, "/me", sid).json() == {"user": "ada"}  # back once Redis answers again


@pytest.mark.anyio
async def test_saving_only_if_the_session_still_exists(redis_url: str) -> None:
    store = RedisSessionStore(redis_url, key_prefix="t:")
    try:
        assert await store.save("a", b"1", 60, only_if_exists=True) is False
        assert await store.load("a") is None
        assert await store.save("a", b"1", 60) is True
        assert await store.save("a", b"2", 60, only_if_exists=True) is True
        assert await store.load("a") == b"2"
        await store.delete("a")
        assert await store.save("a", b"3", 60, only_if_exists=True) is False
        assert redis.Redis.from_url(redis_url).keys("t:*") == []
    finally:
        await store.aclose()


def test_store_options_are_checked() -> None:
    with pytest.raises(ValueError, match="timeout must be > 0"):
        RedisSessionStore("redis://127.0.0.1:1/0", timeout=0)


def test_one_session_is_shared_by_two_server_processes(
    tmp_path: Path, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sessions_app.py").write_text(APP_SOURCE)
    monkeypatch.setenv("SESSIONS_REDIS_URL", redis_url)
    first, first_port = start(["run", "sessions_app.py:app"], tmp_path, tmp_path / "a.log")
    try:
        second, second_port = start(["run", "sessions_app.py:app"], tmp_path, tmp_path / "b.log")
        try:
            with (
                httpx.Client(base_url=f"http://127.0.0.1:{first_port}", timeout=5) as a,
                httpx.Client(base_url=f"http://127.0.0.1:{second_port}", timeout=5) as b,
            ):
                assert get(a, "/health").json() != get(b, "/health").json()  # two processes
                before = cookie_of(get(a, "/put/cart/3"), signed=True)
                assert get(b, "/me", before).json()["session"] == {"cart": "3"}
                after = cookie_of(get(b, "/login/ada", before), signed=True)
                assert after != before
                # The old id is dead everywhere.
                assert get(a, "/me", before).json()["session"] == {}
                assert get(a, "/me", after).json()["session"] == {"cart": "3", "user": "ada"}
                assert get(a, "/logout", after).headers["set-cookie"].startswith("session=null;")
                assert get(b, "/me", after).json()["session"] == {}
        finally:
            stop(second)
    finally:
        stop(first)
