"""OpenID Connect discovery: documents the provider, reads the ``Authorization`` header."""

from __future__ import annotations

from fasterapi_security._authorization import AuthorizationHeaderScheme

__all__ = ["OpenIdConnect"]


class OpenIdConnect(AuthorizationHeaderScheme):
    """An OpenID Connect scheme (OpenAPI ``openIdConnect`` with ``openIdConnectUrl``, the
    provider's discovery document). As a dependency it returns the raw ``Authorization`` header
    value, or answers 401 ``Not authenticated`` with ``WWW-Authenticate: Bearer`` when it is
    missing (``None`` with ``auto_error=False``), as FastAPI's does. Verifying the token is the
    application's work."""

    def __init__(
        self,
        *,
        openIdConnectUrl: str,  # FastAPI's keyword, camel-cased
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        model = {"type": "openIdConnect", "openIdConnectUrl": openIdConnectUrl}
        self._describe(model, scheme_name, description, auto_error)
