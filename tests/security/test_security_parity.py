"""The same security apps built with FastAPI and with FasterAPI answer identically.

Each case sends one request to both and compares status, JSON body and ``WWW-Authenticate``.
(No ``from __future__ import annotations`` here: FastAPI must see real annotations.)
"""

import base64
import warnings
from types import SimpleNamespace
from typing import Any

import fastapi
import fastapi.security
import pytest

import fasterapi_core
import fasterapi_security
from fasterapi_core.testclient import TestClient
from fasterapi_routing import Faster

with warnings.catch_warnings():  # starlette's notice about its httpx client
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient as FastAPITestClient

FASTAPI = SimpleNamespace(
    App=fastapi.FastAPI,
    Depends=fastapi.Depends,
    Security=fastapi.Security,
    SecurityScopes=fastapi.security.SecurityScopes,
    sec=fastapi.security,
)
FASTERAPI = SimpleNamespace(
    App=Faster,
    Depends=fasterapi_core.Depends,
    Security=fasterapi_core.Security,
    SecurityScopes=fasterapi_core.SecurityScopes,
    sec=fasterapi_security,
)


def _dump(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    return {
        name: getattr(value, name)
        for name in ("username", "password", "scheme", "credentials")
        if hasattr(value, name)
    }


def build(ns: SimpleNamespace) -> Any:
    app = ns.App()
    sec = ns.sec
    Depends = ns.Depends

    schemes = {
        "header": sec.APIKeyHeader(name="X-Key"),
        "header-opt": sec.APIKeyHeader(name="X-Key", auto_error=False),
        "query": sec.APIKeyQuery(name="api_key"),
        "cookie": sec.APIKeyCookie(name="session"),
        "basic": sec.HTTPBasic(),
        "basic-realm": sec.HTTPBasic(realm="staff"),
        "basic-opt": sec.HTTPBasic(auto_error=False),
        "bearer": sec.HTTPBearer(),
        "bearer-opt": sec.HTTPBearer(auto_error=False),
        "digest": sec.HTTPDigest(),
        "oauth2": sec.OAuth2PasswordBearer(tokenUrl="/token"),
        "oauth2-opt": sec.OAuth2PasswordBearer(tokenUrl="/token", auto_error=False),
        "authcode": sec.OAuth2AuthorizationCodeBearer(authorizationUrl="/auth", tokenUrl="/token"),
    }

    def add(path: str, scheme: Any) -> None:
        async def endpoint(value: Any = Depends(scheme)) -> Any:
            return {"value": _dump(value)}

        app.get(path)(endpoint)

    for name, scheme in schemes.items():
        add(f"/{name}", scheme)

    def form_dump(form: Any) -> Any:
        return {
            "grant_type": form.grant_type,
            "username": form.username,
            "password": form.password,
            "scopes": form.scopes,
            "client_id": form.client_id,
            "client_secret": form.client_secret,
        }

    @app.post("/token")
    async def token(form: Any = Depends(sec.OAuth2PasswordRequestForm)) -> Any:
        return form_dump(form)

    @app.post("/token-strict")
    async def token_strict(form: Any = Depends(sec.OAuth2PasswordRequestFormStrict)) -> Any:
        return form_dump(form)

    oauth2 = schemes["oauth2"]

    async def current_user(security_scopes: ns.SecurityScopes, token: str = Depends(oauth2)) -> Any:
        return {
            "token": token,
            "scopes": security_scopes.scopes,
            "scope_str": security_scopes.scope_str,
        }

    async def active_user(user: Any = ns.Security(current_user, scopes=["me"])) -> Any:
        return user

    @app.get("/scoped")
    async def scoped(user: Any = ns.Security(active_user, scopes=["items"])) -> Any:
        return user

    return app


@pytest.fixture(scope="module")
def clients() -> tuple[Any, Any]:
    return FastAPITestClient(build(FASTAPI)), TestClient(build(FASTERAPI))


def _basic(raw: bytes) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


GET_CASES: list[tuple[str, dict[str, Any]]] = [
    ("/header", {}),
    ("/header", {"headers": {"X-Key": ""}}),
    ("/header", {"headers": {"x-key": "k1"}}),
    ("/header-opt", {}),
    ("/query", {}),
    ("/query", {"params": {"api_key": ""}}),
    ("/query", {"params": {"api_key": "k2"}}),
    ("/cookie", {}),
    ("/cookie", {"cookies": {"session": "k3"}}),
    ("/basic", {}),
    ("/basic", {"headers": _basic(b"alice:pw:with:colons")}),
    ("/basic", {"headers": _basic(b"alice:")}),
    ("/basic", {"headers": _basic(b"no-colon")}),
    ("/basic", {"headers": {"Authorization": "Basic !!!"}}),
    ("/basic", {"headers": {"Authorization": "Basic YWxpY2U"}}),
    ("/basic", {"headers": _basic("caf\xe9:x".encode("latin-1"))}),
    ("/basic", {"headers": {"Authorization": "Bearer abc"}}),
    ("/basic", {"headers": {"Authorization": "Basic"}}),
    ("/basic-realm", {}),
    ("/basic-realm", {"headers": {"Authorization": "Basic !!!"}}),
    ("/basic-opt", {}),
    ("/basic-opt", {"headers": {"Authorization": "Bearer abc"}}),
    ("/basic-opt", {"headers": {"Authorization": "Basic !!!"}}),
    ("/bearer", {}),
    ("/bearer", {"headers": {"Authorization": "Bearer tok"}}),
    ("/bearer", {"headers": {"Authorization": "bearer  tok  "}}),
    ("/bearer", {"headers": {"Authorization": "Bearer"}}),
    ("/bearer", {"headers": {"Authorization": "Basic abc"}}),
    ("/bearer-opt", {}),
    ("/bearer-opt", {"headers": {"Authorization": "Token abc"}}),
    ("/digest", {}),
    ("/digest", {"headers": {"Authorization": 'Digest username="a", nonce="n"'}}),
    ("/digest", {"headers": {"Authorization": "Bearer abc"}}),
    ("/oauth2", {}),
    ("/oauth2", {"headers": {"Authorization": "Bearer tok"}}),
    ("/oauth2", {"headers": {"Authorization": "Bearer"}}),
    ("/oauth2", {"headers": {"Authorization": "Basic abc"}}),
    ("/oauth2-opt", {}),
    ("/oauth2-opt", {"headers": {"Authorization": "Basic abc"}}),
    ("/authcode", {}),
    ("/authcode", {"headers": {"Authorization": "Bearer code-token"}}),
    ("/scoped", {}),
    ("/scoped", {"headers": {"Authorization": "Bearer tok"}}),
]

POST_CASES: list[tuple[str, dict[str, Any]]] = [
    (
        "/token",
        {
            "data": {
                "grant_type": "password",
                "username": "alice",
                "password": "pw",
                "scope": "me items:read",
                "client_id": "cid",
                "client_secret": "cs",
            }
        },
    ),
    ("/token", {"data": {"username": "alice", "password": "pw"}}),
    ("/token", {"data": {"username": "alice", "password": "pw", "grant_type": "implicit"}}),
    ("/token", {"data": {"username": "alice"}}),
    ("/token", {"data": {"scope": "me"}}),
    ("/token-strict", {"data": {"username": "alice", "password": "pw"}}),
    ("/token-strict", {"data": {"username": "a", "password": "p", "grant_type": "password"}}),
    ("/token-strict", {"data": {"username": "a", "password": "p", "grant_type": "refresh"}}),
]


def _observe(response: Any) -> tuple[int, Any, str | None]:
    return response.status_code, response.json(), response.headers.get("www-authenticate")


@pytest.mark.parametrize(("path", "kwargs"), GET_CASES)
def test_get_matches_fastapi(clients: tuple[Any, Any], path: str, kwargs: dict[str, Any]) -> None:
    reference, ours = clients
    cookies = kwargs.get("cookies", {})
    kwargs = {key: value for key, value in kwargs.items() if key != "cookies"}
    for client in clients:
        client.cookies.clear()
        for key, value in cookies.items():
            client.cookies.set(key, value)
    expected = _observe(reference.get(path, **kwargs))
    assert _observe(ours.get(path, **kwargs)) == expected


@pytest.mark.parametrize(("path", "kwargs"), POST_CASES)
def test_post_matches_fastapi(clients: tuple[Any, Any], path: str, kwargs: dict[str, Any]) -> None:
    reference, ours = clients
    expected = _observe(reference.post(path, **kwargs))
    assert _observe(ours.post(path, **kwargs)) == expected


def test_models_match_fastapi_openapi_entries() -> None:
    cases = [
        ("APIKeyHeader", {"name": "X-Key", "description": "d"}),
        ("APIKeyQuery", {"name": "k"}),
        ("APIKeyCookie", {"name": "c", "scheme_name": "Cookie"}),
        ("HTTPBasic", {"realm": "r"}),
        ("HTTPBearer", {"bearerFormat": "JWT"}),
        ("HTTPDigest", {}),
        (
            "OAuth2PasswordBearer",
            {"tokenUrl": "/token", "scopes": {"me": "Me"}, "refreshUrl": "/r", "description": "x"},
        ),
        ("OAuth2PasswordBearer", {"tokenUrl": "/token"}),
        ("OAuth2AuthorizationCodeBearer", {"authorizationUrl": "/a", "tokenUrl": "/t"}),
    ]
    for name, kwargs in cases:
        reference = getattr(fastapi.security, name)(**kwargs)
        ours = getattr(fasterapi_security, name)(**kwargs)
        expected = reference.model.model_dump(mode="json", by_alias=True, exclude_none=True)
        assert ours.model == expected, name
        assert ours.scheme_name == reference.scheme_name, name


def test_openapi_security_entries_and_token_forms_match_fastapi() -> None:
    def make(ns: SimpleNamespace) -> Any:
        app = ns.App()
        sec = ns.sec

        @app.post("/token")
        async def token(form: Any = ns.Depends(sec.OAuth2PasswordRequestForm)) -> Any:
            return {}

        @app.post("/strict")
        async def strict(form: Any = ns.Depends(sec.OAuth2PasswordRequestFormStrict)) -> Any:
            return {}

        oauth2 = sec.OAuth2PasswordBearer("/token", scopes={"items": "Read items"})

        @app.get("/k")
        async def k(
            key: Any = ns.Depends(sec.APIKeyHeader(name="X-Key")),
            basic: Any = ns.Depends(sec.HTTPBasic(description="staff")),
            token: Any = ns.Security(oauth2, scopes=["items"]),
        ) -> Any:
            return {}

        return app

    reference = FastAPITestClient(make(FASTAPI)).get("/openapi.json").json()
    ours = TestClient(make(FASTERAPI)).get("/openapi.json").json()
    assert ours["components"]["securitySchemes"] == reference["components"]["securitySchemes"]
    for name in ("Body_token_token_post", "Body_strict_strict_post"):
        assert ours["components"]["schemas"][name] == reference["components"]["schemas"][name]
    assert ours["paths"]["/k"]["get"]["security"] == reference["paths"]["/k"]["get"]["security"]
