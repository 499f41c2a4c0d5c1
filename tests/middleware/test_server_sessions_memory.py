"""ServerSideSessionMiddleware with MemorySessionStore: the cookie holds only an id, the data
stays on the server; writes only on change, expiry, fixation protection, clear, bad cookies."""

from __future__ import annotations

import re
from typing import Any

import pytest

import FasterAPI
from FasterAPI.middleware import (
    MemorySessionStore,
    ServerSideSessionMiddleware,
    regenerate_session_id,
)
from FasterAPI.testclient import TestClient
from fasterapi_core.websockets import WebSocketDisconnect

ID = r"[A-Za-z0-9_-]{43}"
FLAGS = "path=/; Max-Age=60; httponly; samesite=lax"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def build(store: Any, **options: Any) -> FasterAPI.Faster:
    app = FasterAPI.Faster()
    app.add_middleware(ServerSideSessionMiddleware, store=store, **options)

    @app.get("/login/{name}")
    def login(name: str, request: FasterAPI.Request) -> dict[str, Any]:
        request.session["user"] = name
        regenerate_session_id(request)
        return dict(request.session)

    @app.get("/put/{key}/{value}")
    def put(key: str, value: str, request: FasterAPI.Request) -> dict[str, Any]:
        request.session[key] = value
        return dict(request.session)

    @app.get("/me")
    def me(request: FasterAPI.Request) -> dict[str, Any]:
        return dict(request.session)

    @app.get("/logout")
    def logout(request: FasterAPI.Request) -> dict[str, bool]:
        request.session.clear()
        return {"ok": True}

    @app.get("/logout-with-flash")
    def logout_with_flash(request: FasterAPI.Request) -> dict[str, bool]:
        request.session.clear()
        request.session["flash"] = "bye"
        return {"ok": True}

    @app.get("/replace")
    def replace(request: FasterAPI.Request) -> dict[str, bool]:
        request.scope["session"] = {"replaced": True}
        return {"ok": True}

    @app.get("/unserializable")
    def unserializable(request: FasterAPI.Request) -> dict[str, bool]:
        request.session["bad"] = object()
        return {"ok": True}

    @app.get("/logged-out-meanwhile")
    async def logged_out_meanwhile(request: FasterAPI.Request) -> dict[str, bool]:
        await store.delete(request.session["sid"])  # as a concurrent logout would
        request.session["late"] = True
        return {"ok": True}

    @app.get("/plain")
    def plain() -> dict[str, bool]:
        return {"ok": True}

    @app.websocket("/ws")
    async def ws(websocket: FasterAPI.WebSocket) -> None:
        await websocket.accept()
        websocket.session["from_ws"] = True  # read-only semantics: never saved
        await websocket.send_json({"user": websocket.session.get("user")})
        await websocket.close()

    return app


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(clock: Clock) -> MemorySessionStore:
    return MemorySessionStore(clock=clock)


@pytest.fixture
def client(store: MemorySessionStore) -> TestClient:
    return TestClient(build(store, max_age=60), cookies=None)


def get(client: TestClient, path: str, cookie: str | None = None) -> Any:
    client.cookies.clear()
    headers = {} if cookie is None else {"cookie": f"session={cookie}".encode("latin-1")}
    return client.get(path, headers=headers)


def session_id(response: Any) -> str:
    match = re.fullmatch(f"session=({ID}); {FLAGS}", response.headers["set-cookie"])
    assert match is not None, response.headers["set-cookie"]
    return match.group(1)


def test_the_cookie_holds_only_a_random_id_and_the_data_stays_in_the_store(
    client: TestClient, store: MemorySessionStore
) -> None:
    first = get(client, "/put/user/ada")
    assert (first.status_code, first.json(), first.headers["vary"]) == (
        200,
        {"user": "ada"},
        "Cookie",
    )
    sid = session_id(first)
    assert "ada" not in first.headers["set-cookie"]
    assert len(store) == 1
    other = session_id(get(client, "/put/user/ada"))
    assert other != sid  # a new random id per new session
    me = get(client, "/me", sid)
    assert (me.json(), me.headers["vary"], me.headers.get("set-cookie")) == (
        {"user": "ada"},
        "Cookie",
        None,  # only read: not written back, no cookie
    )


def test_no_cookie_and_no_change_touch_nothing(
    client: TestClient, store: MemorySessionStore
) -> None:
    plain = get(client, "/plain")
    assert (plain.json(), plain.headers.get("vary"), plain.headers.get("set-cookie")) == (
        {"ok": True},
        None,
        None,
    )
    me = get(client, "/me")
    assert (me.json(), me.headers["vary"], me.headers.get("set-cookie")) == ({}, "Cookie", None)
    assert len(store) == 0


def test_a_change_keeps_the_id_and_rewrites_the_store(client: TestClient) -> None:
    sid = session_id(get(client, "/put/user/ada"))
    again = get(client, "/put/theme/dark", sid)
    assert session_id(again) == sid
    assert get(client, "/me", sid).json() == {"user": "ada", "theme": "dark"}


def test_regenerate_moves_the_data_to_a_new_id_and_kills_the_old_one(
    client: TestClient, store: MemorySessionStore
) -> None:
    before = session_id(get(client, "/put/cart/3"))
    login = get(client, "/login/ada", before)
    after = session_id(login)
    assert after != before
    assert login.json() == {"cart": "3", "user": "ada"}
    assert get(client, "/me", after).json() == {"cart": "3", "user": "ada"}
    assert get(client, "/me", before).json() == {}
    assert len(store) == 1


def test_regenerate_needs_the_middleware() -> None:
    app = FasterAPI.Faster()

    @app.get("/")
    def index(request: FasterAPI.Request) -> None:
        regenerate_session_id(request)

    with pytest.raises(RuntimeError, match="needs ServerSideSessionMiddleware to be installed"):
        TestClient(app).get("/")


def test_clear_deletes_the_stored_session_and_expires_the_cookie(
    client: TestClient, store: MemorySessionStore
) -> None:
    sid = session_id(get(client, "/put/user/ada"))
    logout = get(client, "/logout", sid)
    assert logout.headers["set-cookie"] == (
        "session=null; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly; samesite=lax"
    )
    assert len(store) == 0
    assert get(client, "/me", sid).json() == {}
    # Clearing a session that does not exist sends nothing.
    assert get(client, "/logout").headers.get("set-cookie") is None


def test_a_change_never_resurrects_a_session_deleted_meanwhile(
    client: TestClient, store: MemorySessionStore
) -> None:
    sid = session_id(get(client, "/put/user/ada"))
    sid_again = session_id(get(client, f"/put/sid/{sid}", sid))
    assert sid_again == sid
    late = get(client, "/logged-out-meanwhile", sid)
    assert (late.status_code, late.json()) == (200, {"ok": True})
    assert late.headers.get("set-cookie") is None  # would overwrite a concurrent login's
    assert len(store) == 0
    assert get(client, "/me", sid).json() == {}


def test_data_written_after_clear_gets_a_new_id(
    client: TestClient, store: MemorySessionStore
) -> None:
    sid = session_id(get(client, "/put/user/ada"))
    new = session_id(get(client, "/logout-with-flash", sid))
    assert new != sid
    assert get(client, "/me", new).json() == {"flash": "bye"}
    assert get(client, "/me", sid).json() == {}
    assert len(store) == 1


@pytest.mark.parametrize(
    "cookie",
    [
        "A" * 43,  # well-formed, but the store never issued it
        "short",
        "A" * 42 + "!",
        "é" * 43,
        "",
    ],
)
def test_unknown_or_malformed_ids_start_an_empty_session_with_a_new_id(
    client: TestClient, cookie: str
) -> None:
    assert get(client, "/me", cookie).json() == {}
    written = get(client, "/put/user/eve", cookie)
    assert written.json() == {"user": "eve"}
    assert session_id(written) != cookie  # a client-chosen id is never adopted


def test_expiry_is_counted_from_the_last_write(client: TestClient, clock: Clock) -> None:
    sid = session_id(get(client, "/put/user/ada"))
    clock.now += 59
    assert get(client, "/me", sid).json() == {"user": "ada"}  # reading extends nothing
    clock.now += 1
    assert get(client, "/me", sid).json() == {}
    sid = session_id(get(client, "/put/user/ada"))
    clock.now += 50
    assert session_id(get(client, "/put/theme/dark", sid)) == sid  # a write restarts max_age
    clock.now += 50
    assert get(client, "/me", sid).json() == {"user": "ada", "theme": "dark"}


def test_signed_ids_reject_tampering(store: MemorySessionStore) -> None:
    client = TestClient(build(store, secret_key="k1", max_age=60))
    response = get(client, "/put/user/ada")
    match = re.fullmatch(
        f"session=({ID})\\.([A-Za-z0-9_-]{{43}}); {FLAGS}", response.headers["set-cookie"]
    )
    assert match is not None
    sid, signature = match.groups()
    assert get(client, "/me", f"{sid}.{signature}").json() == {"user": "ada"}
    assert get(client, "/me", sid).json() == {}  # signature missing
    assert get(client, "/me", f"{sid}.{signature[:-1]}B").json() == {}
    other_key = TestClient(build(store, secret_key="k2", max_age=60))
    assert get(other_key, "/me", f"{sid}.{signature}").json() == {}


def test_cookie_options(store: MemorySessionStore) -> None:
    client = TestClient(
        build(
            store,
            session_cookie="sid",
            max_age=5,
            path="/app",
            same_site="strict",
            https_only=True,
            domain="example.org",
            partitioned=True,
        )
    )
    cookie = client.get("/put/a/b").headers["set-cookie"]
    assert re.fullmatch(
        f"sid={ID}; path=/app; Max-Age=5; httponly; samesite=strict; secure; "
        "domain=example.org; partitioned",
        cookie,
    ), cookie


def test_a_replaced_session_dict_is_saved(client: TestClient) -> None:
    sid = session_id(get(client, "/put/user/ada"))
    assert session_id(get(client, "/replace", sid)) == sid
    assert get(client, "/me", sid).json() == {"replaced": True}


def test_unserializable_values_are_a_clear_error(client: TestClient) -> None:
    with pytest.raises(TypeError, match="session values must be serializable by msgspec"):
        get(client, "/unserializable")


def test_websockets_read_the_session_and_their_changes_are_not_saved(
    client: TestClient,
) -> None:
    sid = session_id(get(client, "/put/user/ada"))
    with client.websocket_connect("/ws", headers={"cookie": f"session={sid}"}) as websocket:
        assert websocket.receive_json() == {"user": "ada"}
        with pytest.raises(WebSocketDisconnect):
            websocket.receive_json()
    assert get(client, "/me", sid).json() == {"user": "ada"}


def test_memory_store_is_bounded(clock: Clock) -> None:
    store = MemorySessionStore(max_sessions=2, clock=clock)
    client = TestClient(build(store, max_age=60))
    ids = [session_id(get(client, f"/put/n/{n}")) for n in range(3)]
    assert len(store) == 2
    assert get(client, "/me", ids[0]).json() == {}  # least recently used: evicted
    assert get(client, "/me", ids[2]).json() == {"n": "2"}
    clock.now += 61
    get(client, "/put/n/3")
    assert len(store) == 1  # expired entries are dropped as they are met


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"max_age": 0}, ValueError, "max_age must be a positive number"),
        ({"max_age": None}, ValueError, "max_age must be a positive number"),
        ({"same_site": "lax "}, ValueError, "same_site must be"),
        ({"secret_key": ""}, ValueError, "secret_key must be non-empty"),
        ({"store": object()}, TypeError, "store must be a SessionStore"),
    ],
)
def test_bad_options_are_clear_errors(
    store: MemorySessionStore, options: dict[str, Any], error: type[Exception], message: str
) -> None:
    arguments: dict[str, Any] = {"store": store, **options}
    with pytest.raises(error, match=message):
        ServerSideSessionMiddleware(FasterAPI.Faster(), **arguments)
    with pytest.raises(ValueError, match="max_sessions must be >= 1"):
        MemorySessionStore(max_sessions=0)
