"""Validation of JWT algorithms and keys, done once when a scheme or token is configured."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jwt

__all__ = ["algorithm_family", "check_algorithms", "prepare_verification_key", "signing_key"]

_FAMILIES = {
    "HS256": "hmac",
    "HS384": "hmac",
    "HS512": "hmac",
    "RS256": "rsa",
    "RS384": "rsa",
    "RS512": "rsa",
    "PS256": "rsa",
    "PS384": "rsa",
    "PS512": "rsa",
    "ES256": "ec",
    "ES256K": "ec",
    "ES384": "ec",
    "ES512": "ec",
    "EdDSA": "okp",
    "Ed25519": "okp",
    "Ed448": "okp",
}
_ASYMMETRIC_MARKERS = (b"-----BEGIN", b"ssh-rsa", b"ssh-ed25519", b"ssh-dss", b"ecdsa-sha2-")


def algorithm_family(algorithm: str) -> str:
    """``"hmac"``, ``"rsa"``, ``"ec"`` or ``"okp"``; ``none`` and unknown names are refused."""
    family = _FAMILIES.get(algorithm)
    if family is None:
        raise ValueError(f"unsupported JWT algorithm {algorithm!r}")
    return family


def check_algorithms(algorithms: Sequence[str]) -> str:
    """Refuse an empty list and any mix of key families (e.g. HS256 with RS256)."""
    if isinstance(algorithms, str):
        raise TypeError("algorithms must be a list of names, e.g. ['HS256']")
    if not algorithms:
        raise ValueError("at least one JWT algorithm is required")
    families = {algorithm_family(name) for name in algorithms}
    if len(families) > 1:
        raise ValueError(
            f"cannot mix JWT algorithm families {sorted(families)} in one scheme: "
            "an asymmetric public key must never be usable as an HMAC secret"
        )
    return families.pop()


def _check_hmac_secret(secret: Any) -> bytes:
    if isinstance(secret, str):
        secret = secret.encode("utf-8")
    if not isinstance(secret, bytes):
        raise ValueError("an HMAC (HS*) secret must be str or bytes")
    if not secret:
        raise ValueError("the HMAC secret is empty")
    stripped = secret.lstrip()
    if any(marker in stripped[:64] for marker in _ASYMMETRIC_MARKERS) or b"-----BEGIN" in secret:
        raise ValueError(
            "this looks like a PEM or SSH key: it cannot be used as an HMAC (HS*) secret"
        )
    return secret


def prepare_verification_key(secret: Any, algorithms: Sequence[str]) -> Any:
    """Parse ``secret`` once for verification; private keys are reduced to their public half."""
    family = check_algorithms(algorithms)
    if family == "hmac":
        return _check_hmac_secret(secret)
    if secret is None or secret == "" or secret == b"":
        raise ValueError("a public key is required for asymmetric JWT algorithms")
    algorithm = jwt.get_algorithm_by_name(algorithms[0])
    try:
        key = algorithm.prepare_key(secret)
    except (jwt.InvalidKeyError, ValueError, TypeError) as exc:
        raise ValueError(f"invalid key for {algorithms[0]}: {exc}") from exc
    public_key = getattr(key, "public_key", None)
    return public_key() if callable(public_key) else key


def signing_key(secret: Any, algorithm: str) -> Any:
    """Check a signing key against its algorithm (HS* secrets must not look like PEM keys)."""
    if algorithm_family(algorithm) == "hmac":
        return _check_hmac_secret(secret)
    if secret is None or secret == "" or secret == b"":
        raise ValueError(f"a private key is required to sign with {algorithm}")
    return secret
