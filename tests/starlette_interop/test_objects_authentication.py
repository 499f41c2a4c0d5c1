"""Starlette's ``AuthenticationMiddleware`` and its ``requires`` decorator, which insists on
Starlette's ``Request``: an endpoint taking ``request: starlette.requests.Request`` gets one,
so the decorator works as on FastAPI."""

from types import ModuleType
from typing import Any

from starlette.authentication import (
    AuthCredentials,
    AuthenticationBackend,
    SimpleUser,
    requires,
)
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.requests import HTTPConnection, Request
from twins import Twins


class TokenBackend(AuthenticationBackend):
    async def authenticate(self, conn: HTTPConnection) -> Any:
        token = conn.headers.get("x-token")
        if token is None:
            return None
        scopes = ["authenticated", *(["admin"] if token == "root" else [])]
        return AuthCredentials(scopes), SimpleUser(token)


def test_requires_with_starlettes_request() -> None:
    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI(middleware=[Middleware(AuthenticationMiddleware, backend=TokenBackend())])

        @app.get("/me")
        @requires("authenticated")
        async def me(request: Request) -> Any:
            return {"user": request.user.display_name, "scopes": request.auth.scopes}

        @app.get("/admin")
        @requires("admin", status_code=403)
        def admin(request: Request) -> Any:
            return {"admin": request.user.display_name}

        return app

    twins = Twins(app)
    assert twins.get("/me", headers={"x-token": "ada"}).json()["user"] == "ada"
    assert twins.get("/me").status_code == 403
    assert twins.get("/admin", headers={"x-token": "ada"}).status_code == 403
    assert twins.get("/admin", headers={"x-token": "root"}).json() == {"admin": "root"}
