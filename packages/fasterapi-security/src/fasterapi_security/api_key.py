"""API keys read from a header, a query parameter or a cookie."""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from typing import Any, Literal

from fasterapi_core.exceptions import HTTPException
from fasterapi_core.requests import HTTPConnection
from fasterapi_core.security_base import SecurityBase

__all__ = ["APIKeyBase", "APIKeyCookie", "APIKeyHeader", "APIKeyQuery"]

_CHALLENGE = {"WWW-Authenticate": "APIKey"}


class APIKeyBase(SecurityBase):
    """Shared behaviour: missing key → 401 ``Not authenticated`` (challenge ``APIKey``).

    With ``keys`` given, the presented key must be one of them (compared in constant time),
    otherwise 401 ``Invalid API key``. With ``auto_error=False`` both cases give ``None``.
    """

    location: Literal["header", "query", "cookie"]
    default_name: str
    """The key's name when ``name`` is not given (``X-API-Key``, ``api_key``, ``session``)."""

    def __init__(
        self,
        name: str | None = None,
        *,
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
        keys: Iterable[str | bytes] | None = None,
    ) -> None:
        name = self.default_name if name is None else name
        self.name = name
        self.auto_error = auto_error
        self.scheme_name = scheme_name or type(self).__name__
        model: dict[str, Any] = {"type": "apiKey", "in": self.location, "name": name}
        if description is not None:
            model["description"] = description
        self.model = model
        self._keys: tuple[bytes, ...] | None = None
        if keys is not None:
            encoded = tuple(k.encode("utf-8") if isinstance(k, str) else k for k in keys)
            if not encoded:
                raise ValueError("keys= must hold at least one key")
            self._keys = encoded

    def _matches(self, key: str) -> bool:
        """Constant time in the presented key: every configured key is compared."""
        assert self._keys is not None
        presented = key.encode("utf-8", "surrogateescape")
        found = False
        for candidate in self._keys:
            found |= hmac.compare_digest(presented, candidate)
        return found

    def check_api_key(self, key: str | None) -> str | None:
        """Return ``key`` if acceptable; raise or return ``None`` otherwise."""
        if not key:
            if self.auto_error:
                raise HTTPException(401, "Not authenticated", headers=_CHALLENGE)
            return None
        if self._keys is not None and not self._matches(key):
            if self.auto_error:
                raise HTTPException(401, "Invalid API key", headers=_CHALLENGE)
            return None
        return key


class APIKeyHeader(APIKeyBase):
    """An API key in a request header: ``key: str = Depends(APIKeyHeader(name="X-API-Key"))``."""

    location = "header"
    default_name = "X-API-Key"

    async def __call__(self, request: HTTPConnection) -> str | None:
        return self.check_api_key(request.headers.get(self.name))


class APIKeyQuery(APIKeyBase):
    """An API key in the query string: ``?api_key=...``."""

    location = "query"
    default_name = "api_key"

    async def __call__(self, request: HTTPConnection) -> str | None:
        return self.check_api_key(request.query_params.get(self.name))


class APIKeyCookie(APIKeyBase):
    """An API key in a cookie (``session`` by default)."""

    location = "cookie"
    default_name = "session"

    async def __call__(self, request: HTTPConnection) -> str | None:
        return self.check_api_key(request.cookies.get(self.name))
