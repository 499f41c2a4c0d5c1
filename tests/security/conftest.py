"""Shared keys for the security tests (generated once per session)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

SECRET = "test-secret-key-that-is-long-enough-for-hs256!"


@dataclass(frozen=True)
class KeyPair:
    private_pem: bytes
    public_pem: bytes


def _pair(private_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey) -> KeyPair:
    private_pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return KeyPair(private_pem, public_pem)


@pytest.fixture(scope="session")
def rsa_keys() -> KeyPair:
    return _pair(rsa.generate_private_key(public_exponent=65537, key_size=2048))


@pytest.fixture(scope="session")
def other_rsa_keys() -> KeyPair:
    return _pair(rsa.generate_private_key(public_exponent=65537, key_size=2048))


@pytest.fixture(scope="session")
def ec_keys() -> KeyPair:
    return _pair(ec.generate_private_key(ec.SECP256R1()))


@pytest.fixture(scope="session")
def ed_keys() -> KeyPair:
    return _pair(ed25519.Ed25519PrivateKey.generate())


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
