"""JWTBearer, create_access_token and the OAuth2 token helpers: documented happy paths."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import jwt
import pytest
from security_helpers import SECRET, KeyPair

from fasterapi_core import Depends, Security, WebSocket, WebSocketDisconnect
from fasterapi_core.testclient import TestClient, WebSocketDenialResponse
from fasterapi_routing import Faster
from fasterapi_security import (
    APIKeyQuery,
    JWTBearer,
    OAuth2PasswordRequestForm,
    create_access_token,
    oauth2_access_token_json,
    oauth2_password_token_response,
)

INVALID = 'Bearer error="invalid_token"'


def _client(scheme: JWTBearer, scopes: list[str] | None = None) -> TestClient:
    app = Faster()

    @app.get("/claims")
    async def claims(claims: dict[str, Any] | None = Depends(scheme)) -> Any:
        return {"claims": claims}

    @app.get("/scoped")
    async def scoped(
        claims: dict[str, Any] = Security(scheme, scopes=scopes or ["items:read"]),
    ) -> Any:
        return {"sub": claims["sub"]}

    return TestClient(app)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_claims_are_injected() -> None:
    token = create_access_token("alice", SECRET, extra_claims={"role": "admin"})
    response = _client(JWTBearer(secret=SECRET)).get("/claims", headers=_bearer(token))
    assert response.status_code == 200
    claims = response.json()["claims"]
    assert claims["sub"] == "alice"
    assert claims["role"] == "admin"
    assert claims["exp"] - claims["iat"] == 3600
    assert abs(claims["iat"] - time.time()) < 60


def test_create_access_token_claims() -> None:
    token = create_access_token(
        {"sub": "42", "tenant": "acme"},
        SECRET,
        expires_delta=timedelta(minutes=5),
        audience="api",
        issuer="https://issuer.example",
    )
    claims = jwt.decode(
        token, SECRET, algorithms=["HS256"], audience="api", issuer="https://issuer.example"
    )
    assert claims["sub"] == "42"
    assert claims["tenant"] == "acme"
    assert claims["exp"] - claims["iat"] == 300
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT"}


def test_create_access_token_subject_is_stringified_and_expiry_optional() -> None:
    token = create_access_token(7, SECRET, expires_minutes=None)
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert claims["sub"] == "7"
    assert "exp" not in claims


def test_create_access_token_refuses_none_and_pem_secrets(rsa_keys: KeyPair) -> None:
    with pytest.raises(ValueError, match="unsupported JWT algorithm 'none'"):
        create_access_token("a", SECRET, algorithm="none")
    with pytest.raises(ValueError, match="cannot be used as an HMAC"):
        create_access_token("a", rsa_keys.public_pem, algorithm="HS256")


def test_audience_and_issuer_happy_path() -> None:
    scheme = JWTBearer(secret=SECRET, audience="api", issuer="https://issuer.example")
    token = create_access_token("a", SECRET, audience="api", issuer="https://issuer.example")
    response = _client(scheme).get("/claims", headers=_bearer(token))
    assert response.status_code == 200
    assert response.json()["claims"]["aud"] == "api"


def test_leeway_accepts_a_just_expired_token() -> None:
    token = create_access_token("a", SECRET, expires_delta=timedelta(seconds=-5))
    strict = _client(JWTBearer(secret=SECRET)).get("/claims", headers=_bearer(token))
    assert strict.status_code == 401
    lenient = _client(JWTBearer(secret=SECRET, leeway=60)).get("/claims", headers=_bearer(token))
    assert lenient.status_code == 200


def test_required_claims_can_be_relaxed() -> None:
    token = create_access_token("a", SECRET, expires_minutes=None)
    strict = _client(JWTBearer(secret=SECRET)).get("/claims", headers=_bearer(token))
    assert strict.status_code == 401
    assert strict.json() == {"detail": "Invalid token"}
    relaxed = JWTBearer(secret=SECRET, required_claims=())
    assert _client(relaxed).get("/claims", headers=_bearer(token)).status_code == 200


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer"}]
)
def test_missing_token_is_401_not_authenticated(headers: dict[str, str]) -> None:
    response = _client(JWTBearer(secret=SECRET)).get("/claims", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == {"detail": "Not authenticated"}


def test_auto_error_false_gives_none() -> None:
    client = _client(JWTBearer(secret=SECRET, auto_error=False))
    assert client.get("/claims").json() == {"claims": None}
    assert client.get("/claims", headers=_bearer("garbage")).json() == {"claims": None}


def test_scopes_are_enforced() -> None:
    client = _client(JWTBearer(secret=SECRET), scopes=["items:read", "me"])
    good = create_access_token("a", SECRET, extra_claims={"scope": "me items:read other"})
    assert client.get("/scoped", headers=_bearer(good)).json() == {"sub": "a"}
    listed = create_access_token("b", SECRET, extra_claims={"scopes": ["me", "items:read"]})
    assert client.get("/scoped", headers=_bearer(listed)).json() == {"sub": "b"}
    poor = create_access_token("a", SECRET, extra_claims={"scope": "me"})
    response = client.get("/scoped", headers=_bearer(poor))
    assert response.status_code == 403
    assert response.headers["www-authenticate"] == (
        'Bearer error="insufficient_scope", scope="items:read me"'
    )
    assert response.json() == {"detail": "Not enough permissions"}
    unscoped = create_access_token("a", SECRET)
    assert client.get("/scoped", headers=_bearer(unscoped)).status_code == 403


def test_model_and_scheme_name() -> None:
    scheme = JWTBearer(secret=SECRET)
    assert scheme.model == {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    assert scheme.scheme_name == "JWTBearer"
    named = JWTBearer(secret=SECRET, scheme_name="Token", description="JWT access token")
    assert named.scheme_name == "Token"
    assert named.model["description"] == "JWT access token"


@pytest.mark.parametrize(
    ("algorithm", "fixture"),
    [("RS256", "rsa_keys"), ("PS256", "rsa_keys"), ("ES256", "ec_keys"), ("EdDSA", "ed_keys")],
)
def test_asymmetric_algorithms(
    algorithm: str, fixture: str, request: pytest.FixtureRequest
) -> None:
    keys: KeyPair = request.getfixturevalue(fixture)
    token = create_access_token("alice", keys.private_pem, algorithm=algorithm)
    scheme = JWTBearer(secret=keys.public_pem, algorithms=[algorithm])
    response = _client(scheme).get("/claims", headers=_bearer(token))
    assert response.status_code == 200
    assert response.json()["claims"]["sub"] == "alice"
    # a private key given for verification is reduced to its public half
    private_scheme = JWTBearer(secret=keys.private_pem, algorithms=[algorithm])
    assert _client(private_scheme).get("/claims", headers=_bearer(token)).status_code == 200


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"secret": SECRET, "algorithms": ["HS256", "RS256"]}, "cannot mix"),
        ({"secret": SECRET, "algorithms": ["none"]}, "unsupported JWT algorithm 'none'"),
        ({"secret": SECRET, "algorithms": []}, "at least one"),
        ({"secret": "", "algorithms": ["HS256"]}, "empty"),
        ({"secret": None, "algorithms": ["RS256"]}, "public key is required"),
        ({"secret": "not a pem", "algorithms": ["RS256"]}, "invalid key for RS256"),
    ],
)
def test_bad_configuration_is_refused(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        JWTBearer(**kwargs)


def test_rsa_public_key_can_never_be_an_hmac_secret(rsa_keys: KeyPair) -> None:
    for secret in (rsa_keys.public_pem, rsa_keys.public_pem.decode(), b"\n" + rsa_keys.public_pem):
        with pytest.raises(ValueError, match="cannot be used as an HMAC"):
            JWTBearer(secret=secret, algorithms=["HS256"])
    with pytest.raises(ValueError, match="cannot be used as an HMAC"):
        JWTBearer(secret="ssh-rsa AAAAB3NzaC1yc2E user@host")


def test_algorithms_as_a_string_is_refused() -> None:
    with pytest.raises(TypeError):
        JWTBearer(secret=SECRET, algorithms="HS256")


# ------------------------------------------------------------ token helpers


def test_oauth2_access_token_json() -> None:
    assert oauth2_access_token_json("t") == {"access_token": "t", "token_type": "bearer"}
    assert oauth2_access_token_json("t", token_type="Bearer", expires_in=60, scope="a b") == {
        "access_token": "t",
        "token_type": "Bearer",
        "expires_in": 60,
        "scope": "a b",
    }


def _form(username: str, password: str, scope: str = "") -> OAuth2PasswordRequestForm:
    return OAuth2PasswordRequestForm(username=username, password=password, scope=scope)


def _verify_sync(username: str, password: str) -> str | None:
    return username if (username, password) == ("alice", "wonderland") else None


async def _verify_async(username: str, password: str) -> str | None:
    return _verify_sync(username, password)


@pytest.mark.anyio
@pytest.mark.parametrize("verify", [_verify_sync, _verify_async])
async def test_password_token_response(verify: Any) -> None:
    body = await oauth2_password_token_response(
        _form("alice", "wonderland", "me items"),
        secret=SECRET,
        authenticate=verify,
        expires_minutes=15,
    )
    assert set(body) == {"access_token", "token_type", "expires_in", "scope"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    assert body["scope"] == "me items"
    claims = jwt.decode(body["access_token"], SECRET, algorithms=["HS256"])
    assert claims["sub"] == "alice"
    assert claims["scope"] == "me items"
    assert claims["exp"] - claims["iat"] == 900


@pytest.mark.anyio
async def test_password_token_response_allowed_scopes_and_no_scope() -> None:
    body = await oauth2_password_token_response(
        _form("alice", "wonderland", "me admin"),
        secret=SECRET,
        authenticate=_verify_sync,
        allowed_scopes={"me"},
    )
    assert body["scope"] == "me"
    plain = await oauth2_password_token_response(
        _form("alice", "wonderland"), secret=SECRET, authenticate=_verify_sync
    )
    assert set(plain) == {"access_token", "token_type", "expires_in"}
    assert "scope" not in jwt.decode(plain["access_token"], SECRET, algorithms=["HS256"])


def test_password_token_endpoint_rejects_bad_credentials() -> None:
    app = Faster()

    @app.post("/token")
    async def token(form: OAuth2PasswordRequestForm = Depends(OAuth2PasswordRequestForm)) -> Any:
        return await oauth2_password_token_response(form, secret=SECRET, authenticate=_verify_async)

    client = TestClient(app)
    response = client.post("/token", data={"username": "alice", "password": "nope"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == {"detail": "Incorrect username or password"}
    ok = client.post("/token", data={"username": "alice", "password": "wonderland"})
    assert ok.status_code == 200
    assert ok.json()["token_type"] == "bearer"


def test_facade_modules_export_the_names() -> None:
    import FasterAPI.jwt_auth as jwt_auth
    import FasterAPI.security as security

    assert security.JWTBearer is JWTBearer
    assert jwt_auth.create_access_token is create_access_token
    for module in (security, jwt_auth):
        for name in module.__all__:
            assert hasattr(module, name), name
    assert {"APIKeyHeader", "HTTPBasic", "OAuth2PasswordBearer", "SecurityScopes"} <= set(
        security.__all__
    )


def test_schemes_work_on_websocket_routes() -> None:
    app = Faster()
    api_key = APIKeyQuery(keys=["good"])
    scheme = JWTBearer(secret=SECRET)

    @app.websocket("/ws")
    async def ws(
        websocket: WebSocket,
        key: str = Depends(api_key),
        claims: dict[str, Any] = Depends(scheme),
    ) -> None:
        await websocket.accept()
        await websocket.send_json({"key": key, "sub": claims["sub"]})
        await websocket.close()

    client = TestClient(app)
    token = create_access_token("alice", SECRET)
    with client.websocket_connect("/ws?api_key=good", headers=_bearer(token)) as session:
        assert session.receive_json() == {"key": "good", "sub": "alice"}
    for url, headers in [("/ws?api_key=bad", _bearer(token)), ("/ws?api_key=good", {})]:
        # the handshake is refused with the scheme's HTTP error, as in FastAPI
        with (
            pytest.raises(WebSocketDisconnect) as info,
            client.websocket_connect(url, headers=headers) as session,
        ):
            session.receive_json()
        assert isinstance(info.value, WebSocketDenialResponse)
        assert info.value.status_code in (401, 403)
