"""OAuth2: bearer-token schemes, the password-flow request form, and required scopes."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fasterapi_core.datastructures import UploadFile
from fasterapi_core.exceptions import RequestValidationError
from fasterapi_core.params import Form, SecurityScopes
from fasterapi_core.requests import HTTPConnection, Request
from fasterapi_security._authorization import AuthorizationHeaderScheme
from fasterapi_security.utils import get_authorization_scheme_param

__all__ = [
    "OAuth2",
    "OAuth2AuthorizationCodeBearer",
    "OAuth2PasswordBearer",
    "OAuth2PasswordRequestForm",
    "OAuth2PasswordRequestFormStrict",
    "SecurityScopes",
]

_GRANT_PATTERN = "^password$"
_FormT = TypeVar("_FormT", bound="OAuth2PasswordRequestForm")
# ``...`` as the default of a ``Form()`` field still means "required" to the dependency
# analyser; it only keeps the class callable when a field is missing and the 422 is pending.
_REQUIRED: Any = ...


def _error(kind: str, name: str, message: str, value: Any) -> dict[str, Any]:
    return {"type": kind, "loc": ("body", name), "msg": message, "input": value}


class OAuth2PasswordRequestForm:
    """The form of an OAuth2 password-flow token request (RFC 6749 §4.3.2).

    Use it as ``form: OAuth2PasswordRequestForm = Depends()``: each ``__init__`` parameter is a
    form field. ``scope`` is a space-separated string, exposed split as ``scopes``.
    """

    _grant_type_required = False

    def __init__(
        self,
        *,
        grant_type: Annotated[str | None, Form(pattern=_GRANT_PATTERN)] = None,
        username: Annotated[str, Form()] = _REQUIRED,
        password: Annotated[str, Form(json_schema_extra={"format": "password"})] = _REQUIRED,
        scope: Annotated[str, Form()] = "",
        client_id: Annotated[str | None, Form()] = None,
        client_secret: Annotated[str | None, Form(json_schema_extra={"format": "password"})] = None,
    ) -> None:
        self.grant_type = grant_type
        self.username = username
        self.password = password
        self.scopes: list[str] = scope.split()
        self.client_id = client_id
        self.client_secret = client_secret

    @classmethod
    async def from_request(cls: type[_FormT], request: Request) -> _FormT:
        """Parse the form of ``request`` by hand; bad input raises a 422 validation error."""
        form = await request.form()
        errors: list[dict[str, Any]] = []
        values: dict[str, str | None] = {}
        required = {"username", "password"}
        if cls._grant_type_required:
            required.add("grant_type")
        for name in ("grant_type", "username", "password", "scope", "client_id", "client_secret"):
            raw = form.get(name)
            if raw is None or raw == "":
                if name in required:
                    errors.append(_error("missing", name, "Field required", None))
                continue
            if isinstance(raw, UploadFile):
                errors.append(_error("string_type", name, "Input should be a valid string", None))
                continue
            values[name] = raw
        grant_type = values.get("grant_type")
        if grant_type is not None and grant_type != "password":
            message = f"String should match pattern '{_GRANT_PATTERN}'"
            problem = _error("string_pattern_mismatch", "grant_type", message, grant_type)
            problem["ctx"] = {"pattern": _GRANT_PATTERN}
            errors.append(problem)
        if errors:
            raise RequestValidationError(errors)
        form_obj = object.__new__(cls)
        OAuth2PasswordRequestForm.__init__(
            form_obj,
            grant_type=grant_type,
            username=values["username"] or "",
            password=values["password"] or "",
            scope=values.get("scope") or "",
            client_id=values.get("client_id"),
            client_secret=values.get("client_secret"),
        )
        return form_obj


class OAuth2PasswordRequestFormStrict(OAuth2PasswordRequestForm):
    """:class:`OAuth2PasswordRequestForm` with ``grant_type=password`` required (RFC 6749)."""

    _grant_type_required = True

    def __init__(
        self,
        grant_type: Annotated[str, Form(pattern=_GRANT_PATTERN)] = _REQUIRED,
        username: Annotated[str, Form()] = _REQUIRED,
        password: Annotated[str, Form()] = _REQUIRED,
        scope: Annotated[str, Form()] = "",
        client_id: Annotated[str | None, Form()] = None,
        client_secret: Annotated[str | None, Form()] = None,
    ) -> None:
        super().__init__(
            grant_type=grant_type,
            username=username,
            password=password,
            scope=scope,
            client_id=client_id,
            client_secret=client_secret,
        )


class OAuth2(AuthorizationHeaderScheme):
    """An OAuth2 scheme with the given ``flows`` (OpenAPI OAuth Flows Object).

    As a dependency it returns the raw ``Authorization`` header value, or answers 401
    ``Not authenticated`` with ``WWW-Authenticate: Bearer`` when it is missing.
    """

    def __init__(
        self,
        *,
        flows: dict[str, dict[str, Any]] | None = None,
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        model = {"type": "oauth2", "flows": dict(flows or {})}
        self._describe(model, scheme_name, description, auto_error)

    def _bearer_token(self, request: HTTPConnection) -> str | None:
        authorization = request.headers.get("authorization")
        scheme, param = get_authorization_scheme_param(authorization)
        if not authorization or scheme.lower() != "bearer":
            if self.auto_error:
                raise self.make_not_authenticated_error()
            return None
        return param


def _flow(scopes: dict[str, str] | None, refresh_url: str | None, **urls: str) -> dict[str, Any]:
    flow: dict[str, Any] = dict(urls)
    if refresh_url is not None:
        flow["refreshUrl"] = refresh_url
    flow["scopes"] = dict(scopes or {})
    return flow


class OAuth2PasswordBearer(OAuth2):
    """The bearer token of the OAuth2 password flow; ``tokenUrl`` is where clients get one.

    Returns the token string (what follows ``Bearer ``); a missing header or another scheme
    answers 401 ``Not authenticated`` with ``WWW-Authenticate: Bearer``.
    """

    def __init__(
        self,
        tokenUrl: str,
        scheme_name: str | None = None,
        scopes: dict[str, str] | None = None,
        description: str | None = None,
        auto_error: bool = True,
        refreshUrl: str | None = None,
    ) -> None:
        super().__init__(
            flows={"password": _flow(scopes, refreshUrl, tokenUrl=tokenUrl)},
            scheme_name=scheme_name,
            description=description,
            auto_error=auto_error,
        )

    async def __call__(self, request: HTTPConnection) -> str | None:
        return self._bearer_token(request)


class OAuth2AuthorizationCodeBearer(OAuth2):
    """The bearer token of the OAuth2 authorization-code flow."""

    def __init__(
        self,
        authorizationUrl: str,
        tokenUrl: str,
        refreshUrl: str | None = None,
        scheme_name: str | None = None,
        scopes: dict[str, str] | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        flow = _flow(scopes, refreshUrl, authorizationUrl=authorizationUrl, tokenUrl=tokenUrl)
        super().__init__(
            flows={"authorizationCode": flow},
            scheme_name=scheme_name,
            description=description,
            auto_error=auto_error,
        )

    async def __call__(self, request: HTTPConnection) -> str | None:
        return self._bearer_token(request)
