"""Starlette's ``AuthenticationMiddleware`` runs on a FasterAPI application: ``request.user``
and ``request.auth`` read what it stores, as on Starlette. (Starlette's ``requires``
decorator insists on Starlette's own ``Request`` class; a dependency checking
``request.auth.scopes`` does its work.)"""

from typing import Any

from starlette.authentication import (
    AuthCredentials,
    AuthenticationBackend,
    SimpleUser,
)
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.requests import HTTPConnection as StarletteConnection

import FasterAPI
from FasterAPI.testclient import TestClient


class TokenBackend(AuthenticationBackend):
    async def authenticate(self, conn: StarletteConnection) -> Any:
        token = conn.headers.get("authorization")
        if token != "Bearer good":
            return None
        return AuthCredentials(["authenticated", "admin"]), SimpleUser("ada")


def make_app() -> FasterAPI.Faster:
    app = FasterAPI.Faster()
    app.add_middleware(AuthenticationMiddleware, backend=TokenBackend())

    @app.get("/me")
    def me(request: FasterAPI.Request) -> dict[str, Any]:
        return {
            "authenticated": request.user.is_authenticated,
            "name": request.user.display_name,
            "scopes": request.auth.scopes,
        }

    def admin_only(request: FasterAPI.Request) -> None:
        if "admin" not in request.auth.scopes:
            raise FasterAPI.HTTPException(status_code=403)

    @app.get("/admin", dependencies=[FasterAPI.Depends(admin_only)])
    async def admin(request: FasterAPI.Request) -> dict[str, str]:
        return {"admin": request.user.username}

    return app


def test_request_user_and_auth() -> None:
    client = TestClient(make_app())
    assert client.get("/me").json() == {"authenticated": False, "name": "", "scopes": []}
    assert client.get("/me", headers={"authorization": "Bearer good"}).json() == {
        "authenticated": True,
        "name": "ada",
        "scopes": ["authenticated", "admin"],
    }


def test_scopes_guard_an_endpoint() -> None:
    client = TestClient(make_app())
    assert client.get("/admin").status_code == 403
    assert client.get("/admin", headers={"authorization": "Bearer good"}).json() == {"admin": "ada"}


def test_user_without_the_middleware_is_a_500() -> None:
    app = FasterAPI.Faster()

    @app.get("/")
    def root(request: FasterAPI.Request) -> str:
        return str(request.user)

    assert TestClient(app, raise_server_exceptions=False).get("/").status_code == 500
