"""OpenID Connect discovery: documents the provider, reads the ``Authorization`` header."""

from __future__ import annotations

from typing import Any

from fasterapi_core.exceptions import HTTPException
from fasterapi_core.requests import HTTPConnection
from fasterapi_core.security_base import SecurityBase

__all__ = ["OpenIdConnect"]


class OpenIdConnect(SecurityBase):
    """An OpenID Connect scheme (OpenAPI ``openIdConnect`` with ``openIdConnectUrl``, the
    provider's discovery document). As a dependency it returns the raw ``Authorization`` header
    value, or answers 401 ``Not authenticated`` with ``WWW-Authenticate: Bearer`` when it is
    missing (``None`` with ``auto_error=False``), as FastAPI's does. Verifying the token is the
    application's work."""

    def __init__(
        self,
        *,
        openIdConnectUrl: str,
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        self.model: dict[str, Any] = {"type": "openIdConnect", "openIdConnectUrl": openIdConnectUrl}
        if description is not None:
            self.model["description"] = description
        self.scheme_name = scheme_name or type(self).__name__
        self.auto_error = auto_error

    def make_not_authenticated_error(self) -> HTTPException:
        """The 401 ``Not authenticated`` error with ``WWW-Authenticate: Bearer``."""
        return HTTPException(401, "Not authenticated", headers={"WWW-Authenticate": "Bearer"})

    async def __call__(self, request: HTTPConnection) -> str | None:
        authorization: str | None = request.headers.get("authorization")
        if not authorization:
            if self.auto_error:
                raise self.make_not_authenticated_error()
            return None
        return authorization
