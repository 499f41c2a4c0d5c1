"""SessionMiddleware: ``request.session`` in a signed cookie, answering as Starlette's does
(same Set-Cookie and Vary), and sharing its cookie format both ways."""

import time
from typing import Any

import fastapi
import itsdangerous
import pytest
from fastapi.testclient import TestClient as FastAPIClient
from starlette.middleware.sessions import SessionMiddleware as StarletteSessions

import FasterAPI
from FasterAPI.middleware import SessionMiddleware
from FasterAPI.testclient import TestClient

SECRET = "s3cret"


def build(fw: Any, app_cls: Any, middleware: Any, secret: str = SECRET, **options: Any) -> Any:
    app = app_cls()
    app.add_middleware(middleware, secret_key=secret, **options)

    @app.get("/login/{name}")
    def login(name: str, request: fw.Request) -> dict[str, Any]:
        request.session["user"] = name
        request.session.setdefault("visits", 0)
        return dict(request.session)

    @app.get("/me")
    def me(request: fw.Request) -> dict[str, Any]:
        return {"user": request.session.get("user")}

    @app.get("/logout")
    def logout(request: fw.Request) -> dict[str, bool]:
        request.session.clear()
        return {"ok": True}

    @app.get("/plain")
    def plain() -> dict[str, bool]:
        return {"ok": True}

    @app.websocket("/ws")
    async def ws(websocket: fw.WebSocket) -> None:
        await websocket.accept()
        await websocket.send_json({"user": websocket.session.get("user")})
        await websocket.close()

    return app


def pair(**options: Any) -> tuple[Any, Any]:
    ours = TestClient(build(FasterAPI, FasterAPI.Faster, SessionMiddleware, **options))
    theirs = FastAPIClient(build(fastapi, fastapi.FastAPI, StarletteSessions, **options))
    return ours, theirs


def answer(response: Any) -> tuple[int, Any, str | None, str | None]:
    cookie = response.headers.get("set-cookie")
    if cookie is not None and not cookie.startswith("session=null"):
        cookie = cookie.split(";", 1)[1]  # the signed value differs with the time
    return response.status_code, response.json(), response.headers.get("vary"), cookie


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"max_age": None, "same_site": "strict", "https_only": True, "domain": "example.org"},
        {"session_cookie": "sid", "path": "/app", "partitioned": True},
    ],
)
def test_a_session_flow_answers_as_starlette(options: dict[str, Any]) -> None:
    ours, theirs = pair(**options)
    for path in ("/plain", "/me", "/login/ada", "/me", "/plain", "/logout", "/me", "/logout"):
        assert answer(ours.get(path)) == answer(theirs.get(path)), path


def test_cookies_are_shared_with_starlette_both_ways() -> None:
    ours, theirs = pair()
    theirs.get("/login/bob")
    ours.cookies.set("session", theirs.cookies["session"])
    assert ours.get("/me").json() == {"user": "bob"}
    ours, theirs = pair()
    ours.get("/login/eve")
    theirs.cookies.set("session", ours.cookies["session"])
    assert theirs.get("/me").json() == {"user": "eve"}


def test_websockets_read_the_session() -> None:
    ours, _ = pair()
    ours.get("/login/ann")
    with ours.websocket_connect("/ws") as websocket:
        assert websocket.receive_json() == {"user": "ann"}


@pytest.mark.parametrize(
    "cookie",
    ["garbage", "eyJ1c2VyIjogImFkYSJ9.tampered.sig", "WyJub3QiLCAiYSBkaWN0Il0=.x.y"],
)
def test_a_bad_cookie_is_an_empty_session(cookie: str) -> None:
    ours, _ = pair()
    ours.cookies.set("session", cookie)
    response = ours.get("/me")
    assert (response.status_code, response.json()) == (200, {"user": None})
    assert "set-cookie" not in response.headers


def test_a_cookie_signed_with_another_key_is_refused() -> None:
    ours, _ = pair()
    other = TestClient(build(FasterAPI, FasterAPI.Faster, SessionMiddleware, secret="another"))
    other.get("/login/mallory")
    ours.cookies.set("session", other.cookies["session"])
    assert ours.get("/me").json() == {"user": None}


def test_an_expired_cookie_is_refused() -> None:
    middleware = SessionMiddleware(FasterAPI.Faster(), secret_key=SECRET, max_age=60)
    session, valid = middleware.load(middleware.signer.sign(b"eyJ1c2VyIjogImFkYSJ9").decode())
    assert (dict(session), valid) == ({"user": "ada"}, True)

    class HourAgo(itsdangerous.TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - 3600

    stale = HourAgo(SECRET).sign(b"eyJ1c2VyIjogImFkYSJ9").decode()
    assert middleware.load(stale) == ({}, False)


def test_session_needs_the_middleware() -> None:
    app = FasterAPI.Faster()

    @app.get("/")
    def root(request: FasterAPI.Request) -> dict[str, Any]:
        return dict(request.session)

    response = TestClient(app, raise_server_exceptions=False).get("/")
    assert response.status_code == 500


def test_an_empty_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="non-empty secret_key"):
        SessionMiddleware(FasterAPI.Faster(), secret_key="")
