"""JWT, HTTP Basic and API-key protected routes under attack."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from hostile_http import Reply, get

from examples.hostile_app import ADMIN, API_KEY, AUDIENCE, ISSUER, SECRET


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base: dict[str, Any] = {"sub": "alice", "aud": AUDIENCE, "iss": ISSUER, "exp": now + 600}
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned(header: dict[str, Any], payload: dict[str, Any], signature: str = "") -> str:
    return ".".join(
        [b64(json.dumps(header).encode()), b64(json.dumps(payload).encode()), signature]
    )


def empty_key_token(header: dict[str, Any]) -> str:
    """A token correctly signed with the empty HMAC key (what ``/dev/null`` would give)."""
    signing_input = unsigned(header, claims())[:-1]
    signature = hmac.new(b"", signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64(signature)


def bearer(port: int, token: str) -> Reply:
    return get(port, "/me", headers={"Authorization": f"Bearer {token}"})


def assert_refused(reply: Reply) -> None:
    assert reply.status == 401, reply.status
    assert (reply.header("www-authenticate") or "").startswith("Bearer")
    assert b"alice" not in reply.body


def test_valid_token_is_accepted(port: int) -> None:
    reply = bearer(port, jwt.encode(claims(), SECRET, algorithm="HS256"))
    assert (reply.status, reply.body) == (200, b'{"sub":"alice"}')


_RSA = rsa.generate_private_key(public_exponent=65537, key_size=2048)
_RSA_PEM = _RSA.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
)


def _hs(payload: dict[str, Any], key: str | bytes = SECRET, **headers: Any) -> str:
    return jwt.encode(payload, key, algorithm="HS256", headers=headers or None)


ATTACKS = {
    # CVE-2015-9235 family: "alg": "none" with an empty signature.
    "alg-none": unsigned({"alg": "none", "typ": "JWT"}, claims()),
    "alg-None": unsigned({"alg": "None", "typ": "JWT"}, claims()),
    "alg-none-with-signature": unsigned({"alg": "none"}, claims(), "c2ln"),
    "wrong-secret": _hs(claims(), "not-the-secret-" + "y" * 32),
    # Key confusion (CVE-2016-10555 shape): an RS256 token, and an HS512 token with the secret.
    "rs256-attacker-key": jwt.encode(claims(), _RSA_PEM, algorithm="RS256"),
    "hs512-not-allowed": jwt.encode(claims(), SECRET, algorithm="HS512"),
    "expired": _hs(claims(exp=int(time.time()) - 60)),
    "not-yet-valid": _hs(claims(nbf=int(time.time()) + 3600)),
    "no-exp": _hs(claims(exp=None)),
    "wrong-audience": _hs(claims(aud="someone-else")),
    "no-audience": _hs(claims(aud=None)),
    "wrong-issuer": _hs(claims(iss="https://evil.example")),
    "no-issuer": _hs(claims(iss=None)),
    # kid / jku / jwk / x5u point at attacker-controlled keys; none may be used.
    # /dev/null read as a key gives b"": an HMAC over the empty key.
    "kid-traversal": empty_key_token({"alg": "HS256", "kid": "../../../../dev/null"}),
    "kid-sql": _hs(claims(), "x", kid="' UNION SELECT 'x' --"),
    "jku": jwt.encode(
        claims(), _RSA_PEM, algorithm="RS256", headers={"jku": "https://evil.example/jwks.json"}
    ),
    "x5u": jwt.encode(
        claims(), _RSA_PEM, algorithm="RS256", headers={"x5u": "https://evil.example/cert.pem"}
    ),
    "tampered-payload": (
        lambda t: t.split(".")[0] + "." + b64(b'{"sub":"admin"}') + "." + t.split(".")[2]
    )(_hs(claims())),
    "oversized": _hs(claims(pad="p" * 20_000)),
    "garbage": "a.b.c",
    "two-parts": "a.b",
    "non-ascii": "ey\u00e9.x.y",
}


@pytest.mark.parametrize("token", list(ATTACKS.values()), ids=list(ATTACKS))
def test_jwt_attacks_are_refused(port: int, token: str) -> None:
    assert_refused(bearer(port, token))


@pytest.mark.parametrize(
    "authorization",
    ["", "Bearer", "Bearer ", "Basic abc", "bearer", "Token x", "Bearer a b c"],
)
def test_jwt_missing_or_malformed_authorization(port: int, authorization: str) -> None:
    reply = get(port, "/me", headers={"Authorization": authorization})
    assert reply.status == 401


def basic_header(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


GOOD_BASIC = basic_header(*ADMIN)

SPELLINGS = [
    "/admin/",
    "//admin",
    "/ADMIN",
    "/Admin",
    "/admin%2f",
    "/./admin",
    "/admin/.",
    "/admin;x",
    "/admin%00",
    "/admin%20",
    "/%61dmin",
    "/admin?",
    "/admin#",
]


@pytest.mark.parametrize("path", SPELLINGS)
def test_basic_auth_cannot_be_bypassed_by_path_spelling(port: int, path: str) -> None:
    reply = get(port, path)
    assert reply.status in (307, 401, 404, 422), reply.status
    assert b'"admin":"yes"' not in reply.body
    location = reply.header("location")
    if location is not None:
        followed = get(port, location.replace("http://127.0.0.1", "") or "/")
        assert followed.status in (401, 404)


@pytest.mark.parametrize("path", [p.replace("admin", "keyed") for p in SPELLINGS])
def test_api_key_cannot_be_bypassed_by_path_spelling(port: int, path: str) -> None:
    reply = get(port, path)
    assert reply.status in (307, 401, 403, 404, 422), reply.status
    assert b'"keyed":"yes"' not in reply.body


@pytest.mark.parametrize(
    "authorization",
    [
        "Basic !!!notbase64",
        "Basic " + base64.b64encode(b"no-colon").decode(),
        "Basic " + base64.b64encode(b"\xff\xfe:\xff").decode(),
        "Basic " + base64.b64encode(b"admin:").decode(),
        "Basic " + "A" * 20_000,
        basic_header("admin", ADMIN[1] + "x"),
        basic_header("ADMIN", ADMIN[1]),
        "Basic",
    ],
)
def test_basic_auth_malformed_or_wrong_credentials(port: int, authorization: str) -> None:
    reply = get(port, "/admin", headers={"Authorization": authorization})
    assert reply.status == 401, reply.status
    assert b'"admin":"yes"' not in reply.body


def test_basic_auth_correct_credentials(port: int) -> None:
    reply = get(port, "/admin", headers={"Authorization": GOOD_BASIC})
    assert (reply.status, reply.body) == (200, b'{"admin":"yes"}')


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-API-Key": ""},
        {"X-API-Key": API_KEY[:4] + " " + API_KEY[4:]},
        {"X-API-Key": API_KEY.upper()},
        {"X-Api-Key-Extra": API_KEY},
        {"Cookie": f"X-API-Key={API_KEY}"},
    ],
)
def test_api_key_variants_are_refused(port: int, headers: dict[str, str]) -> None:
    reply = get(port, "/keyed", headers=headers)
    assert reply.status in (401, 403)
    reply = get(port, "/keyed?X-API-Key=" + API_KEY, headers=headers)
    assert reply.status in (401, 403)


def test_api_key_surrounding_whitespace_is_not_part_of_the_value(port: int) -> None:
    """RFC 9110 §5.5: a field value excludes leading and trailing whitespace, on every server."""
    reply = get(port, "/keyed", headers={"X-API-Key": API_KEY + " \t "})
    assert reply.status == 200, reply.status


def test_api_key_correct(port: int) -> None:
    reply = get(port, "/keyed", headers={"X-API-Key": API_KEY})
    assert (reply.status, reply.body) == (200, b'{"keyed":"yes"}')
