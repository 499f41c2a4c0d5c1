"""Small helpers shared by the security schemes."""

from __future__ import annotations

import hmac

__all__ = ["compare_secrets", "get_authorization_scheme_param"]


def get_authorization_scheme_param(value: str | None) -> tuple[str, str]:
    """Split an ``Authorization`` header value at its first space: ``("Bearer", "abc")``.

    A missing or empty value gives ``("", "")``; the parameter is stripped of surrounding spaces.
    """
    if not value:
        return "", ""
    scheme, _, param = value.partition(" ")
    return scheme, param.strip()


def _as_bytes(value: str | bytes) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else value


def compare_secrets(a: str | bytes, b: str | bytes) -> bool:
    """Compare two secrets in constant time (UTF-8 bytes, :func:`hmac.compare_digest`).

    Use it for API keys, passwords and tokens: ``==`` leaks, through its timing, how many
    leading characters matched.
    """
    return hmac.compare_digest(_as_bytes(a), _as_bytes(b))
