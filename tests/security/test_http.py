"""HTTP Basic, Bearer and Digest schemes."""

from __future__ import annotations

import base64
from typing import Any

import msgspec
import pytest

from fasterapi_core import Depends
from fasterapi_core.testclient import TestClient
from fasterapi_routing import Faster
from fasterapi_security import (
    HTTPAuthorizationCredentials,
    HTTPBasic,
    HTTPBasicCredentials,
    HTTPBearer,
    HTTPDigest,
    compare_secrets,
    get_authorization_scheme_param,
)

NOT_AUTH = {"detail": "Not authenticated"}


def _basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def _client(scheme: Any) -> TestClient:
    app = Faster()

    @app.get("/me")
    async def me(creds: Any = Depends(scheme)) -> Any:
        return {"creds": msgspec.to_builtins(creds) if creds is not None else None}

    return TestClient(app)


# ----------------------------------------------------------------------- Basic


def test_basic_credentials_are_injected() -> None:
    response = _client(HTTPBasic()).get("/me", headers=_basic("alice", "pa:ss word"))
    assert response.status_code == 200
    assert response.json() == {"creds": {"username": "alice", "password": "pa:ss word"}}


def test_basic_credentials_type() -> None:
    creds = HTTPBasicCredentials(username="u", password="p")
    assert (creds.username, creds.password) == ("u", "p")


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": ""}, {"Authorization": "Bearer abc"}, {"Authorization": "Basicabc"}],
)
def test_basic_missing_or_other_scheme_is_401(headers: dict[str, str]) -> None:
    response = _client(HTTPBasic()).get("/me", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Basic"
    assert response.json() == NOT_AUTH


def test_basic_realm_is_in_the_challenge() -> None:
    response = _client(HTTPBasic(realm="admin area")).get("/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Basic realm="admin area"'
    assert response.json() == NOT_AUTH


@pytest.mark.parametrize(
    "value",
    [
        "Basic !!!not-base64",
        "Basic YWxpY2U",  # bad padding
        "Basic " + base64.b64encode(b"no-colon-here").decode(),
        "Basic " + base64.b64encode("caf\xe9:x".encode("latin-1")).decode(),  # not ASCII
    ],
)
def test_basic_malformed_credentials_are_401_even_without_auto_error(value: str) -> None:
    for scheme in (HTTPBasic(), HTTPBasic(auto_error=False)):
        response = _client(scheme).get("/me", headers={"Authorization": value})
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Basic"
        assert response.json() == NOT_AUTH


def test_basic_auto_error_false_gives_none_when_missing() -> None:
    response = _client(HTTPBasic(auto_error=False)).get("/me")
    assert response.status_code == 200
    assert response.json() == {"creds": None}


def test_basic_scheme_is_case_insensitive() -> None:
    token = base64.b64encode(b"bob:pw").decode()
    response = _client(HTTPBasic()).get("/me", headers={"Authorization": f"bAsIc {token}"})
    assert response.json() == {"creds": {"username": "bob", "password": "pw"}}


def test_basic_with_constant_time_password_check() -> None:
    security = HTTPBasic()
    app = Faster()

    @app.get("/admin")
    async def admin(creds: HTTPBasicCredentials = Depends(security)) -> dict[str, str]:
        from fasterapi_core import HTTPException

        user_ok = compare_secrets(creds.username, "admin")
        pass_ok = compare_secrets(creds.password, "correct horse")
        if not (user_ok and pass_ok):
            raise HTTPException(
                401, "Incorrect username or password", headers={"WWW-Authenticate": "Basic"}
            )
        return {"user": creds.username}

    client = TestClient(app)
    assert client.get("/admin", headers=_basic("admin", "correct horse")).json() == {
        "user": "admin"
    }
    bad = client.get("/admin", headers=_basic("admin", "wrong"))
    assert bad.status_code == 401
    assert bad.headers["www-authenticate"] == "Basic"
    assert bad.json() == {"detail": "Incorrect username or password"}


# ---------------------------------------------------------------------- Bearer


def test_bearer_credentials_are_injected() -> None:
    response = _client(HTTPBearer()).get("/me", headers={"Authorization": "Bearer  tok.en "})
    assert response.status_code == 200
    assert response.json() == {"creds": {"scheme": "Bearer", "credentials": "tok.en"}}


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer   "},
        {"Authorization": "Basic abc"},
        {"Authorization": "Token abc"},
    ],
)
def test_bearer_missing_or_other_scheme_is_401(headers: dict[str, str]) -> None:
    response = _client(HTTPBearer()).get("/me", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == NOT_AUTH


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Basic abc"}])
def test_bearer_auto_error_false_gives_none(headers: dict[str, str]) -> None:
    response = _client(HTTPBearer(auto_error=False)).get("/me", headers=headers)
    assert response.status_code == 200
    assert response.json() == {"creds": None}


def test_bearer_and_basic_models() -> None:
    assert HTTPBearer().model == {"type": "http", "scheme": "bearer"}
    assert HTTPBearer(bearerFormat="JWT", description="d").model == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "d",
    }
    assert HTTPBearer().scheme_name == "HTTPBearer"
    assert HTTPBasic().model == {"type": "http", "scheme": "basic"}
    assert HTTPBasic(scheme_name="Admin").scheme_name == "Admin"
    assert HTTPDigest().model == {"type": "http", "scheme": "digest"}


def test_credentials_type() -> None:
    creds = HTTPAuthorizationCredentials(scheme="Bearer", credentials="x")
    assert (creds.scheme, creds.credentials) == ("Bearer", "x")


# ---------------------------------------------------------------------- Digest


def test_digest_credentials_are_injected() -> None:
    response = _client(HTTPDigest()).get("/me", headers={"Authorization": 'Digest username="a"'})
    assert response.json() == {"creds": {"scheme": "Digest", "credentials": 'username="a"'}}


def test_digest_missing_is_401() -> None:
    response = _client(HTTPDigest()).get("/me", headers={"Authorization": "Bearer x"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Digest"
    assert response.json() == NOT_AUTH


# ----------------------------------------------------------------------- utils


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ("", "")),
        ("", ("", "")),
        ("Bearer abc", ("Bearer", "abc")),
        ("Bearer  abc  ", ("Bearer", "abc")),
        ("Bearer", ("Bearer", "")),
        ("Basic a b", ("Basic", "a b")),
    ],
)
def test_get_authorization_scheme_param(value: str | None, expected: tuple[str, str]) -> None:
    assert get_authorization_scheme_param(value) == expected
