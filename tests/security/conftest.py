"""Shared fixtures for the security tests (keys generated once per session)."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from security_helpers import KeyPair, make_pair


@pytest.fixture(scope="session")
def rsa_keys() -> KeyPair:
    return make_pair(rsa.generate_private_key(public_exponent=65537, key_size=2048))


@pytest.fixture(scope="session")
def other_rsa_keys() -> KeyPair:
    return make_pair(rsa.generate_private_key(public_exponent=65537, key_size=2048))


@pytest.fixture(scope="session")
def ec_keys() -> KeyPair:
    return make_pair(ec.generate_private_key(ec.SECP256R1()))


@pytest.fixture(scope="session")
def ed_keys() -> KeyPair:
    return make_pair(ed25519.Ed25519PrivateKey.generate())


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
