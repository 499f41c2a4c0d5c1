"""HTTP authentication schemes: Basic, Bearer and Digest (RFC 7617, RFC 6750, RFC 7616)."""

from __future__ import annotations

import binascii
from base64 import b64decode
from typing import Any

import msgspec

from fasterapi_core.exceptions import HTTPException
from fasterapi_core.requests import HTTPConnection
from fasterapi_core.security_base import SecurityBase
from fasterapi_security.utils import get_authorization_scheme_param

__all__ = [
    "HTTPAuthorizationCredentials",
    "HTTPBase",
    "HTTPBasic",
    "HTTPBasicCredentials",
    "HTTPBearer",
    "HTTPDigest",
]


class _Credentials(msgspec.Struct):
    """Credentials read from an ``Authorization`` header (FastAPI's are pydantic models)."""

    def model_dump(self, *, mode: str = "python") -> dict[str, Any]:
        """The fields as a dict, as pydantic's ``model_dump`` of FastAPI's class gives them
        (the same in ``mode="json"``: every field is a string)."""
        if mode not in ("python", "json"):
            raise ValueError(f"mode must be 'python' or 'json', not {mode!r}")
        return msgspec.structs.asdict(self)


class HTTPBasicCredentials(_Credentials):
    """The ``username`` and ``password`` of an HTTP Basic ``Authorization`` header."""

    username: str
    password: str


class HTTPAuthorizationCredentials(_Credentials):
    """An ``Authorization`` header split at its first space: ``scheme`` and ``credentials``."""

    scheme: str
    credentials: str


class HTTPBase(SecurityBase):
    """An HTTP authentication scheme (OpenAPI ``type: http``).

    Called as a dependency it returns the header's scheme and credentials, or answers 401
    ``Not authenticated`` with a ``WWW-Authenticate`` challenge naming the scheme.
    """

    def __init__(
        self,
        *,
        scheme: str,
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        self.model: dict[str, Any] = {"type": "http", "scheme": scheme}
        if description is not None:
            self.model["description"] = description
        self.scheme_name = scheme_name or type(self).__name__
        self.auto_error = auto_error
        self._challenge = {"WWW-Authenticate": scheme.title()}

    def make_authenticate_headers(self) -> dict[str, str]:
        """The ``WWW-Authenticate`` challenge sent with a 401."""
        return dict(self._challenge)

    def make_not_authenticated_error(self) -> HTTPException:
        """The 401 ``Not authenticated`` error, with the challenge."""
        return HTTPException(401, "Not authenticated", headers=self._challenge)

    async def __call__(self, request: HTTPConnection) -> HTTPAuthorizationCredentials | None:
        authorization = request.headers.get("authorization")
        scheme, credentials = get_authorization_scheme_param(authorization)
        if not (scheme and credentials):
            if self.auto_error:
                raise self.make_not_authenticated_error()
            return None
        return HTTPAuthorizationCredentials(scheme=scheme, credentials=credentials)


class _SchemeChecked(HTTPBase):
    """An HTTP scheme that only accepts its own scheme name (case-insensitive)."""

    _expected = ""

    async def __call__(self, request: HTTPConnection) -> HTTPAuthorizationCredentials | None:
        authorization = request.headers.get("authorization")
        scheme, credentials = get_authorization_scheme_param(authorization)
        if not (scheme and credentials) or scheme.lower() != self._expected:
            if self.auto_error:
                raise self.make_not_authenticated_error()
            return None
        return HTTPAuthorizationCredentials(scheme=scheme, credentials=credentials)


class HTTPBasic(HTTPBase):
    """HTTP Basic authentication → :class:`HTTPBasicCredentials`.

    A missing or non-Basic header answers 401 ``Not authenticated`` with
    ``WWW-Authenticate: Basic`` (``Basic realm="..."`` when ``realm`` is set), or gives ``None``
    with ``auto_error=False``. Credentials that are not valid base64 of ``user:password`` always
    answer 401, as in FastAPI. Compare the password with :func:`compare_secrets`.
    """

    def __init__(
        self,
        *,
        scheme_name: str | None = None,
        realm: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        super().__init__(
            scheme="basic",
            scheme_name=scheme_name,
            description=description,
            auto_error=auto_error,
        )
        self.realm = realm
        if realm:
            self._challenge = {"WWW-Authenticate": f'Basic realm="{realm}"'}

    async def __call__(self, request: HTTPConnection) -> HTTPBasicCredentials | None:  # type: ignore[override]
        authorization = request.headers.get("authorization")
        scheme, param = get_authorization_scheme_param(authorization)
        if not authorization or scheme.lower() != "basic":
            if self.auto_error:
                raise self.make_not_authenticated_error()
            return None
        try:
            data = b64decode(param).decode("ascii")
        except (ValueError, binascii.Error) as exc:  # UnicodeDecodeError is a ValueError
            raise self.make_not_authenticated_error() from exc
        username, separator, password = data.partition(":")
        if not separator:
            raise self.make_not_authenticated_error()
        return HTTPBasicCredentials(username=username, password=password)


class HTTPBearer(_SchemeChecked):
    """HTTP Bearer authentication → :class:`HTTPAuthorizationCredentials` (RFC 6750)."""

    _expected = "bearer"

    def __init__(
        self,
        *,
        bearerFormat: str | None = None,
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        super().__init__(
            scheme="bearer",
            scheme_name=scheme_name,
            description=description,
            auto_error=auto_error,
        )
        if bearerFormat is not None:
            self.model["bearerFormat"] = bearerFormat


class HTTPDigest(_SchemeChecked):
    """HTTP Digest: returns the raw credentials; verifying them is up to the application."""

    _expected = "digest"

    def __init__(
        self,
        *,
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        super().__init__(
            scheme="digest",
            scheme_name=scheme_name,
            description=description,
            auto_error=auto_error,
        )
