"""What OAuth2 and OpenID Connect schemes share: the raw ``Authorization`` header as the
dependency's value, FastAPI's 401 ``Not authenticated`` with a Bearer challenge without it."""

from __future__ import annotations

from typing import Any

from fasterapi_core.exceptions import HTTPException
from fasterapi_core.requests import HTTPConnection
from fasterapi_core.security_base import SecurityBase

__all__ = ["AuthorizationHeaderScheme"]

BEARER_CHALLENGE = {"WWW-Authenticate": "Bearer"}


class AuthorizationHeaderScheme(SecurityBase):
    """A scheme documented by ``model`` whose dependency value is the ``Authorization``
    header (``None`` when it is missing and ``auto_error`` is False)."""

    model: dict[str, Any]
    auto_error: bool

    def _describe(
        self,
        model: dict[str, Any],
        scheme_name: str | None,
        description: str | None,
        auto_error: bool,
    ) -> None:
        if description is not None:
            model["description"] = description
        self.model = model
        self.scheme_name = scheme_name or type(self).__name__
        self.auto_error = auto_error

    def make_not_authenticated_error(self) -> HTTPException:
        """The 401 ``Not authenticated`` error with ``WWW-Authenticate: Bearer``."""
        return HTTPException(401, "Not authenticated", headers=BEARER_CHALLENGE)

    async def __call__(self, request: HTTPConnection) -> str | None:
        authorization: str | None = request.headers.get("authorization")
        if not authorization:
            if self.auto_error:
                raise self.make_not_authenticated_error()
            return None
        return authorization
