"""Server-side sessions: the cookie holds a random id, the data lives in Redis (or memory).

Run it with::

    REDIS_URL=redis://localhost:6379/0 SESSION_SECRET=change-me \
        fasterapi run docs/examples/server_sessions.py --workers 4

Without ``REDIS_URL`` the sessions stay in this process's memory (one worker only).
"""

import os

import msgspec

from FasterAPI import Faster, HTTPException, Request
from FasterAPI.middleware import (
    MemorySessionStore,
    RedisSessionStore,
    ServerSideSessionMiddleware,
    SessionStore,
    regenerate_session_id,
)


class Login(msgspec.Struct):
    username: str
    password: str


def create_app(store: SessionStore, secret_key: str = "change-me") -> Faster:
    app = Faster()
    app.add_middleware(
        ServerSideSessionMiddleware,
        store=store,
        secret_key=secret_key,  # signs the id: forged cookies never reach the store
        max_age=30 * 60,  # the session ends 30 minutes after its last change
    )

    @app.post("/cart/{item}")
    def add_to_cart(item: str, request: Request) -> dict[str, list[str]]:
        # Anonymous visitors have a session too; it is created on the first write.
        request.session["cart"] = [*request.session.get("cart", []), item]
        return {"cart": request.session["cart"]}

    @app.post("/login")
    def login(credentials: Login, request: Request) -> dict[str, str]:
        if credentials.password != "secret":  # check against your user store instead
            raise HTTPException(status_code=401, detail="Wrong username or password")
        regenerate_session_id(request)  # a new id on login: session fixation protection
        request.session["user"] = credentials.username
        return {"user": credentials.username}

    @app.get("/me")
    def me(request: Request) -> dict[str, object]:
        return {"user": request.session.get("user"), "cart": request.session.get("cart", [])}

    @app.post("/logout")
    def logout(request: Request) -> dict[str, bool]:
        request.session.clear()  # deletes the stored session and expires the cookie
        return {"logged_out": True}

    return app


def default_store() -> SessionStore:
    redis_url = os.environ.get("REDIS_URL")
    return RedisSessionStore(redis_url) if redis_url else MemorySessionStore()


app = create_app(default_store(), os.environ.get("SESSION_SECRET", "change-me"))
