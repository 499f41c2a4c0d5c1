"""Attacks on JWTBearer: every forged, tampered or malformed token is a 401, never a 500.

Tokens are built by hand (or with PyJWT where it allows it) and sent through a real app.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import time
import urllib.request
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from security_helpers import SECRET, KeyPair, make_pair

from fasterapi_core import Depends
from fasterapi_core.testclient import TestClient
from fasterapi_routing import Faster
from fasterapi_security import JWTBearer, create_access_token

CHALLENGE = 'Bearer error="invalid_token"'
INVALID = {"detail": "Invalid token"}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _segment(obj: Any) -> str:
    return _b64(json.dumps(obj, separators=(",", ":")).encode())


def _claims(**extra: Any) -> dict[str, Any]:
    now = int(time.time())
    return {"sub": "alice", "iat": now, "exp": now + 600, **extra}


def _hs256(header: dict[str, Any], claims: dict[str, Any], key: bytes) -> str:
    signing_input = f"{_segment(header)}.{_segment(claims)}"
    signature = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def _client(scheme: JWTBearer) -> TestClient:
    app = Faster()

    @app.get("/private")
    async def private(claims: dict[str, Any] = Depends(scheme)) -> dict[str, Any]:
        return {"sub": claims["sub"]}

    return TestClient(app)


def _assert_rejected(client: TestClient, token: str, detail: dict[str, str] = INVALID) -> None:
    response = client.get("/private", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == CHALLENGE
    assert response.json() == detail


@pytest.fixture
def hs_client() -> TestClient:
    return _client(JWTBearer(secret=SECRET))


@pytest.fixture
def rs_client(rsa_keys: KeyPair) -> TestClient:
    return _client(JWTBearer(secret=rsa_keys.public_pem, algorithms=["RS256"]))


def test_control_a_genuine_token_is_accepted(hs_client: TestClient) -> None:
    token = create_access_token("alice", SECRET)
    response = hs_client.get("/private", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json() == {"sub": "alice"}


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE"])
def test_alg_none_is_rejected(hs_client: TestClient, alg: str) -> None:
    token = f"{_segment({'alg': alg, 'typ': 'JWT'})}.{_segment(_claims())}."
    _assert_rejected(hs_client, token)


def test_alg_none_made_by_pyjwt_is_rejected(hs_client: TestClient) -> None:
    token = jwt.encode(_claims(), None, algorithm="none")
    _assert_rejected(hs_client, token)


def test_key_confusion_hs256_signed_with_rsa_public_key(
    rs_client: TestClient, rsa_keys: KeyPair
) -> None:
    # The classic attack: the verifier's public key used as an HMAC secret.
    token = _hs256({"alg": "HS256", "typ": "JWT"}, _claims(sub="admin"), rsa_keys.public_pem)
    _assert_rejected(rs_client, token)


def test_key_confusion_cannot_be_configured(rsa_keys: KeyPair) -> None:
    with pytest.raises(ValueError, match="cannot mix"):
        JWTBearer(secret=rsa_keys.public_pem, algorithms=["RS256", "HS256"])
    with pytest.raises(ValueError, match="cannot be used as an HMAC"):
        JWTBearer(secret=rsa_keys.public_pem, algorithms=["HS256"])


def test_algorithm_not_in_the_pinned_list_is_rejected(hs_client: TestClient) -> None:
    token = jwt.encode(_claims(), SECRET, algorithm="HS512")  # right key, wrong algorithm
    _assert_rejected(hs_client, token)


def test_tampered_payload_is_rejected(hs_client: TestClient) -> None:
    header, _, signature = create_access_token("alice", SECRET).split(".")
    forged = f"{header}.{_segment(_claims(sub='admin'))}.{signature}"
    _assert_rejected(hs_client, forged)


def test_tampered_header_is_rejected(hs_client: TestClient) -> None:
    _, payload, signature = create_access_token("alice", SECRET).split(".")
    forged = f"{_segment({'alg': 'HS256', 'typ': 'JWT', 'kid': 'x'})}.{payload}.{signature}"
    _assert_rejected(hs_client, forged)


def test_signature_with_another_secret_is_rejected(hs_client: TestClient) -> None:
    token = create_access_token("alice", "another-secret-that-is-long-enough-too!!")
    _assert_rejected(hs_client, token)


@pytest.mark.parametrize("keep_dot", [True, False])
def test_stripped_signature_is_rejected(hs_client: TestClient, keep_dot: bool) -> None:
    header, payload, _ = create_access_token("alice", SECRET).split(".")
    token = f"{header}.{payload}." if keep_dot else f"{header}.{payload}"
    _assert_rejected(hs_client, token)


def test_rs256_stripped_signature_is_rejected(rs_client: TestClient, rsa_keys: KeyPair) -> None:
    header, payload, _ = create_access_token("a", rsa_keys.private_pem, algorithm="RS256").split(
        "."
    )
    _assert_rejected(rs_client, f"{header}.{payload}.")


def test_expired_token_is_rejected(hs_client: TestClient) -> None:
    now = int(time.time())
    token = jwt.encode({"sub": "alice", "iat": now - 7200, "exp": now - 3600}, SECRET)
    _assert_rejected(hs_client, token, {"detail": "Token expired"})


def test_nbf_in_the_future_is_rejected(hs_client: TestClient) -> None:
    token = jwt.encode(_claims(nbf=int(time.time()) + 3600), SECRET)
    _assert_rejected(hs_client, token)


def test_iat_in_the_future_is_rejected(hs_client: TestClient) -> None:
    now = int(time.time())
    token = jwt.encode({"sub": "alice", "iat": now + 3600, "exp": now + 7200}, SECRET)
    _assert_rejected(hs_client, token)


@pytest.mark.parametrize("bad", [{"exp": "never"}, {"exp": None}, {"sub": 42}, {"iat": "now"}])
def test_malformed_claims_are_rejected(hs_client: TestClient, bad: dict[str, Any]) -> None:
    token = jwt.encode(_claims(**bad), SECRET)
    _assert_rejected(hs_client, token)


def test_wrong_audience_is_rejected() -> None:
    client = _client(JWTBearer(secret=SECRET, audience="api"))
    _assert_rejected(client, create_access_token("a", SECRET, audience="other-api"))
    _assert_rejected(client, create_access_token("a", SECRET))  # no aud at all


def test_unexpected_audience_is_rejected(hs_client: TestClient) -> None:
    _assert_rejected(hs_client, create_access_token("a", SECRET, audience="some-api"))


def test_wrong_issuer_is_rejected() -> None:
    client = _client(JWTBearer(secret=SECRET, issuer="https://good.example"))
    _assert_rejected(client, create_access_token("a", SECRET, issuer="https://evil.example"))
    _assert_rejected(client, create_access_token("a", SECRET))


def test_oversized_token_is_rejected(hs_client: TestClient) -> None:
    token = create_access_token("alice", SECRET, extra_claims={"pad": "x" * 100_000})
    assert len(token) > 100_000
    _assert_rejected(hs_client, token)


def test_max_token_bytes_is_configurable() -> None:
    token = create_access_token("alice", SECRET, extra_claims={"pad": "x" * 10_000})
    client = _client(JWTBearer(secret=SECRET, max_token_bytes=64_000))
    assert client.get("/private", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    _assert_rejected(_client(JWTBearer(secret=SECRET, max_token_bytes=1000)), token)


GARBAGE_TOKENS = [
    "garbage",
    "a.b",
    "a.b.c",
    "a.b.c.d",
    "!!!.@@@.###",
    "....",
    "eyJhbGciOiJIUzI1NiJ9.%%%.abc",
    _segment([1, 2]) + "." + _segment({"sub": "a"}) + ".sig",  # header not an object
    _segment({"alg": "HS256"}) + "." + _segment([1, 2]) + ".sig",  # payload not an object
    _b64(b"\xff\xfe") + "." + _b64(b"\xff") + "." + _b64(b"\x00"),  # not UTF-8 / JSON
    _segment({"typ": "JWT"}) + "." + _segment(_claims()) + ".sig",  # no alg
    _segment({"alg": None}) + "." + _segment(_claims()) + ".sig",
    _segment({"alg": ["HS256"]}) + "." + _segment(_claims()) + ".sig",
]


# Numbered ids: some tokens embed the current time, and ids that change between pytest-xdist
# workers' collections would make a parallel run refuse to start.
@pytest.mark.parametrize(
    "token", GARBAGE_TOKENS, ids=[f"garbage{i}" for i in range(len(GARBAGE_TOKENS))]
)
def test_garbage_tokens_are_rejected(hs_client: TestClient, token: str) -> None:
    _assert_rejected(hs_client, token)


def test_valid_json_payload_that_is_not_an_object_but_signed(hs_client: TestClient) -> None:
    header = _segment({"alg": "HS256", "typ": "JWT"})
    payload = _b64(b'"just a string"')
    signing_input = f"{header}.{payload}"
    signature = hmac.new(SECRET.encode(), signing_input.encode(), hashlib.sha256).digest()
    _assert_rejected(hs_client, f"{signing_input}.{_b64(signature)}")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Record (and refuse) any attempt to reach the network while the test runs."""
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise OSError("network access attempted")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


@pytest.mark.parametrize(
    "extra_header",
    [
        {"jku": "https://attacker.example/jwks.json", "kid": "attacker"},
        {"x5u": "https://attacker.example/cert.pem"},
        {"kid": "https://attacker.example/key"},
    ],
)
def test_key_location_headers_are_never_followed(
    rs_client: TestClient, no_network: list[Any], extra_header: dict[str, str]
) -> None:
    attacker = make_pair(rsa.generate_private_key(public_exponent=65537, key_size=2048))
    token = jwt.encode(
        _claims(sub="admin"), attacker.private_pem, algorithm="RS256", headers=extra_header
    )
    _assert_rejected(rs_client, token)
    assert no_network == []


def test_embedded_jwk_header_is_ignored(
    rs_client: TestClient, other_rsa_keys: KeyPair, no_network: list[Any]
) -> None:
    public_key = serialization.load_pem_public_key(other_rsa_keys.public_pem)
    public_jwk = jwt.algorithms.RSAAlgorithm.to_jwk(public_key, as_dict=True)
    token = jwt.encode(
        _claims(sub="admin"),
        other_rsa_keys.private_pem,
        algorithm="RS256",
        headers={"jwk": public_jwk},
    )
    _assert_rejected(rs_client, token)
    assert no_network == []


def test_kid_path_traversal_with_empty_hmac_key(hs_client: TestClient) -> None:
    token = _hs256({"alg": "HS256", "kid": "../../../../dev/null"}, _claims(sub="admin"), b"")
    _assert_rejected(hs_client, token)


def test_token_signed_with_our_key_but_carrying_jku_is_judged_on_our_key_only(
    rs_client: TestClient, rsa_keys: KeyPair, no_network: list[Any]
) -> None:
    token = jwt.encode(
        _claims(),
        rsa_keys.private_pem,
        algorithm="RS256",
        headers={"jku": "https://attacker.example/jwks.json"},
    )
    response = rs_client.get("/private", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json() == {"sub": "alice"}
    assert no_network == []
