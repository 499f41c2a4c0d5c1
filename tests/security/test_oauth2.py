"""OAuth2 bearer schemes, the password request forms and SecurityScopes."""

from __future__ import annotations

from typing import Any

import pytest

from fasterapi_core import Depends, Request, Security, SecurityScopes
from fasterapi_core.security_base import SecurityBase
from fasterapi_core.testclient import TestClient
from fasterapi_routing import Faster
from fasterapi_security import (
    OAuth2,
    OAuth2AuthorizationCodeBearer,
    OAuth2PasswordBearer,
    OAuth2PasswordRequestForm,
    OAuth2PasswordRequestFormStrict,
)
from fasterapi_security import SecurityScopes as ReexportedScopes

NOT_AUTH = {"detail": "Not authenticated"}


def _token_client(scheme: Any) -> TestClient:
    app = Faster()

    @app.get("/me")
    async def me(token: str | None = Depends(scheme)) -> dict[str, Any]:
        return {"token": token}

    return TestClient(app)


# ------------------------------------------------------------------ bearers


def test_password_bearer_returns_the_token() -> None:
    client = _token_client(OAuth2PasswordBearer(tokenUrl="/token"))
    response = client.get("/me", headers={"Authorization": "Bearer abc.def"})
    assert response.status_code == 200
    assert response.json() == {"token": "abc.def"}
    lower = client.get("/me", headers={"Authorization": "bearer xyz"})
    assert lower.json() == {"token": "xyz"}


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Basic abc"}, {"Authorization": "x"}])
def test_password_bearer_missing_is_401(headers: dict[str, str]) -> None:
    response = _token_client(OAuth2PasswordBearer("/token")).get("/me", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == NOT_AUTH


def test_password_bearer_auto_error_false() -> None:
    client = _token_client(OAuth2PasswordBearer("/token", auto_error=False))
    assert client.get("/me").json() == {"token": None}
    assert client.get("/me", headers={"Authorization": "Basic abc"}).json() == {"token": None}


def test_password_bearer_without_token_gives_empty_string_like_fastapi() -> None:
    client = _token_client(OAuth2PasswordBearer("/token"))
    assert client.get("/me", headers={"Authorization": "Bearer"}).json() == {"token": ""}


def test_authorization_code_bearer() -> None:
    scheme = OAuth2AuthorizationCodeBearer(
        authorizationUrl="/authorize", tokenUrl="/token", scopes={"read": "Read"}
    )
    client = _token_client(scheme)
    assert client.get("/me", headers={"Authorization": "Bearer t"}).json() == {"token": "t"}
    response = client.get("/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert scheme.model == {
        "type": "oauth2",
        "flows": {
            "authorizationCode": {
                "authorizationUrl": "/authorize",
                "tokenUrl": "/token",
                "scopes": {"read": "Read"},
            }
        },
    }


def test_plain_oauth2_returns_the_whole_header() -> None:
    client = _token_client(OAuth2(flows={"implicit": {"authorizationUrl": "/a", "scopes": {}}}))
    assert client.get("/me", headers={"Authorization": "Custom v"}).json() == {"token": "Custom v"}
    response = client.get("/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_password_bearer_models() -> None:
    plain = OAuth2PasswordBearer(tokenUrl="/token")
    assert isinstance(plain, SecurityBase)
    assert plain.scheme_name == "OAuth2PasswordBearer"
    assert plain.model == {
        "type": "oauth2",
        "flows": {"password": {"tokenUrl": "/token", "scopes": {}}},
    }
    full = OAuth2PasswordBearer(
        tokenUrl="/token",
        scheme_name="Login",
        scopes={"me": "Read me", "items": "Read items"},
        description="Password flow",
        refreshUrl="/refresh",
    )
    assert full.scheme_name == "Login"
    assert full.model == {
        "type": "oauth2",
        "description": "Password flow",
        "flows": {
            "password": {
                "tokenUrl": "/token",
                "refreshUrl": "/refresh",
                "scopes": {"me": "Read me", "items": "Read items"},
            }
        },
    }


# -------------------------------------------------------------------- forms


def _form_app() -> TestClient:
    app = Faster()

    def dump(form: OAuth2PasswordRequestForm) -> dict[str, Any]:
        return {
            "grant_type": form.grant_type,
            "username": form.username,
            "password": form.password,
            "scopes": form.scopes,
            "client_id": form.client_id,
            "client_secret": form.client_secret,
        }

    @app.post("/token")
    async def token(form: OAuth2PasswordRequestForm = Depends()) -> dict[str, Any]:
        return dump(form)

    @app.post("/explicit")
    async def explicit(
        form: OAuth2PasswordRequestForm = Depends(OAuth2PasswordRequestForm),
    ) -> dict[str, Any]:
        return dump(form)

    @app.post("/strict")
    async def strict(form: OAuth2PasswordRequestFormStrict = Depends()) -> dict[str, Any]:
        return dump(form)

    @app.post("/manual")
    async def manual(request: Request) -> dict[str, Any]:
        return dump(await OAuth2PasswordRequestForm.from_request(request))

    @app.post("/manual-strict")
    async def manual_strict(request: Request) -> dict[str, Any]:
        return dump(await OAuth2PasswordRequestFormStrict.from_request(request))

    return TestClient(app)


FULL = {
    "grant_type": "password",
    "username": "alice",
    "password": "secret",
    "scope": "me  items:read",
    "client_id": "cid",
    "client_secret": "csecret",
}
FULL_OUT = {
    "grant_type": "password",
    "username": "alice",
    "password": "secret",
    "scopes": ["me", "items:read"],
    "client_id": "cid",
    "client_secret": "csecret",
}
MINIMAL_OUT = {
    "grant_type": None,
    "username": "bob",
    "password": "pw",
    "scopes": [],
    "client_id": None,
    "client_secret": None,
}


@pytest.mark.parametrize("path", ["/token", "/explicit", "/strict", "/manual", "/manual-strict"])
def test_form_parses_every_field(path: str) -> None:
    response = _form_app().post(path, data=FULL)
    assert response.status_code == 200
    assert response.json() == FULL_OUT


@pytest.mark.parametrize("path", ["/token", "/manual"])
def test_form_minimal(path: str) -> None:
    response = _form_app().post(path, data={"username": "bob", "password": "pw"})
    assert response.status_code == 200
    assert response.json() == MINIMAL_OUT


@pytest.mark.parametrize("path", ["/token", "/strict", "/manual", "/manual-strict"])
def test_form_wrong_grant_type_is_422(path: str) -> None:
    data = {"grant_type": "client_credentials", "username": "a", "password": "b"}
    response = _form_app().post(path, data=data)
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "string_pattern_mismatch",
                "loc": ["body", "grant_type"],
                "msg": "String should match pattern '^password$'",
                "input": "client_credentials",
                "ctx": {"pattern": "^password$"},
            }
        ]
    }


@pytest.mark.parametrize("path", ["/token", "/manual"])
def test_form_missing_credentials_is_422(path: str) -> None:
    response = _form_app().post(path, data={"scope": "me"})
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "missing",
                "loc": ["body", "username"],
                "msg": "Field required",
                "input": None,
            },
            {
                "type": "missing",
                "loc": ["body", "password"],
                "msg": "Field required",
                "input": None,
            },
        ]
    }


@pytest.mark.parametrize("path", ["/strict", "/manual-strict"])
def test_strict_form_requires_grant_type(path: str) -> None:
    response = _form_app().post(path, data={"username": "a", "password": "b"})
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "missing",
                "loc": ["body", "grant_type"],
                "msg": "Field required",
                "input": None,
            }
        ]
    }


def test_form_from_request_rejects_a_file_in_a_text_field() -> None:
    response = _form_app().post(
        "/manual", data={"password": "pw"}, files={"username": ("u.txt", b"alice", "text/plain")}
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "string_type",
                "loc": ["body", "username"],
                "msg": "Input should be a valid string",
                "input": None,
            }
        ]
    }


# ------------------------------------------------------------------- scopes


def test_security_scopes_is_core_class() -> None:
    assert ReexportedScopes is SecurityScopes


def test_security_scopes_accumulate_down_the_graph() -> None:
    oauth2 = OAuth2PasswordBearer(tokenUrl="/token", scopes={"me": "", "items": ""})
    seen: dict[str, Any] = {}

    async def current_user(security_scopes: SecurityScopes, token: str = Depends(oauth2)) -> str:
        seen["scopes"] = security_scopes.scopes
        seen["scope_str"] = security_scopes.scope_str
        return token

    async def active_user(user: str = Security(current_user, scopes=["me"])) -> str:
        return user

    app = Faster()

    @app.get("/items")
    async def items(user: str = Security(active_user, scopes=["items"])) -> dict[str, str]:
        return {"user": user}

    client = TestClient(app)
    response = client.get("/items", headers={"Authorization": "Bearer tok"})
    assert response.status_code == 200
    assert response.json() == {"user": "tok"}
    assert seen == {"scopes": ["items", "me"], "scope_str": "items me"}

    route = next(r for r in app.routes if getattr(r, "path", None) == "/items")
    schemes = [d for d in route.plan.flat if isinstance(d.call, SecurityBase)]
    assert len(schemes) == 1
    assert schemes[0].call is oauth2
    assert schemes[0].security_scopes == ["items", "me"]
