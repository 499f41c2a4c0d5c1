"""API keys from headers, query parameters and cookies."""

from __future__ import annotations

from typing import Any

import pytest

from fasterapi_core import Depends
from fasterapi_core.security_base import SecurityBase
from fasterapi_core.testclient import TestClient
from fasterapi_routing import Faster
from fasterapi_security import APIKeyCookie, APIKeyHeader, APIKeyQuery, compare_secrets

NOT_AUTH = {"detail": "Not authenticated"}


def _client(scheme: Any) -> TestClient:
    app = Faster()

    @app.get("/items")
    async def items(key: str | None = Depends(scheme)) -> dict[str, Any]:
        return {"key": key}

    return TestClient(app)


def test_header_key_is_injected() -> None:
    client = _client(APIKeyHeader(name="X-API-Key"))
    response = client.get("/items", headers={"x-api-key": "s3cret"})
    assert response.status_code == 200
    assert response.json() == {"key": "s3cret"}


def test_header_default_name_is_x_api_key() -> None:
    scheme = APIKeyHeader()
    assert scheme.model == {"type": "apiKey", "in": "header", "name": "X-API-Key"}
    response = _client(scheme).get("/items", headers={"X-API-Key": "k"})
    assert response.json() == {"key": "k"}


@pytest.mark.parametrize(
    ("scheme", "kwargs"),
    [
        (APIKeyHeader(name="X-API-Key"), {}),
        (APIKeyHeader(name="X-API-Key"), {"headers": {"X-API-Key": ""}}),
        (APIKeyQuery(name="api_key"), {}),
        (APIKeyQuery(name="api_key"), {"params": {"api_key": ""}}),
        (APIKeyCookie(name="session"), {}),
    ],
)
def test_missing_key_is_401_with_apikey_challenge(scheme: Any, kwargs: dict[str, Any]) -> None:
    response = _client(scheme).get("/items", **kwargs)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "APIKey"
    assert response.json() == NOT_AUTH


def test_query_key_is_injected() -> None:
    response = _client(APIKeyQuery()).get("/items", params={"api_key": "q1"})
    assert response.status_code == 200
    assert response.json() == {"key": "q1"}


def test_cookie_key_is_injected() -> None:
    client = _client(APIKeyCookie())
    client.cookies.set("session", "c1")
    response = client.get("/items")
    assert response.status_code == 200
    assert response.json() == {"key": "c1"}


@pytest.mark.parametrize("scheme", [APIKeyHeader, APIKeyQuery, APIKeyCookie])
def test_auto_error_false_gives_none(scheme: Any) -> None:
    response = _client(scheme(auto_error=False)).get("/items")
    assert response.status_code == 200
    assert "www-authenticate" not in response.headers
    assert response.json() == {"key": None}


def test_models_and_scheme_names() -> None:
    query = APIKeyQuery(name="token", description="the key")
    cookie = APIKeyCookie(name="sid", scheme_name="SessionCookie")
    assert isinstance(query, SecurityBase)
    assert query.model == {
        "type": "apiKey",
        "in": "query",
        "name": "token",
        "description": "the key",
    }
    assert query.scheme_name == "APIKeyQuery"
    assert cookie.model == {"type": "apiKey", "in": "cookie", "name": "sid"}
    assert cookie.scheme_name == "SessionCookie"


def test_keys_accepts_a_known_key() -> None:
    client = _client(APIKeyHeader(keys={"alpha-key", b"beta-key"}))
    assert client.get("/items", headers={"X-API-Key": "beta-key"}).json() == {"key": "beta-key"}
    assert client.get("/items", headers={"X-API-Key": "alpha-key"}).json() == {"key": "alpha-key"}


def test_keys_rejects_an_unknown_key() -> None:
    client = _client(APIKeyQuery(keys=["alpha-key"]))
    response = client.get("/items", params={"api_key": "alpha-kez"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "APIKey"
    assert response.json() == {"detail": "Invalid API key"}


def test_keys_with_auto_error_false_gives_none_for_unknown_key() -> None:
    client = _client(APIKeyHeader(keys=["alpha-key"], auto_error=False))
    assert client.get("/items", headers={"X-API-Key": "nope"}).json() == {"key": None}


def test_empty_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="at least one key"):
        APIKeyHeader(keys=[])


def test_non_ascii_key_is_compared_without_error() -> None:
    client = _client(APIKeyHeader(keys=["alpha-key"]))
    response = client.get("/items", headers={"X-API-Key": "caf\xe9".encode("latin-1")})
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid API key"}


def test_security_scheme_is_found_in_the_route_plan() -> None:
    scheme = APIKeyHeader()
    app = Faster()

    @app.get("/items")
    async def items(key: str = Depends(scheme)) -> str:
        return key

    route = next(r for r in app.routes if getattr(r, "path", None) == "/items")
    found = [d for d in route.plan.flat if isinstance(d.call, SecurityBase)]
    assert [d.call for d in found] == [scheme]


def test_compare_secrets() -> None:
    assert compare_secrets("abc", "abc")
    assert compare_secrets(b"abc", "abc")
    assert compare_secrets("caf\xe9", "caf\xe9".encode())
    assert not compare_secrets("abc", "abd")
    assert not compare_secrets("abc", "abcd")
    assert not compare_secrets("", "a")
