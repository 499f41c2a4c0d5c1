"""FasterAPI security: API keys, HTTP Basic/Bearer/Digest, OAuth2 and JWT.

Every scheme is a :class:`~fasterapi_core.security_base.SecurityBase`: a dependency that also
carries its OpenAPI Security Scheme Object (``model``) and ``scheme_name``.
"""

import importlib
from typing import TYPE_CHECKING, Any

from fasterapi_core.params import Security, SecurityScopes
from fasterapi_core.security_base import SecurityBase
from fasterapi_security.api_key import APIKeyBase, APIKeyCookie, APIKeyHeader, APIKeyQuery
from fasterapi_security.http import (
    HTTPAuthorizationCredentials,
    HTTPBase,
    HTTPBasic,
    HTTPBasicCredentials,
    HTTPBearer,
    HTTPDigest,
)
from fasterapi_security.oauth2 import (
    OAuth2,
    OAuth2AuthorizationCodeBearer,
    OAuth2PasswordBearer,
    OAuth2PasswordRequestForm,
    OAuth2PasswordRequestFormStrict,
)
from fasterapi_security.open_id_connect import OpenIdConnect
from fasterapi_security.utils import compare_secrets, get_authorization_scheme_param

if TYPE_CHECKING:
    from fasterapi_security.jwt import (
        JWTBearer,
        create_access_token,
        oauth2_access_token_json,
        oauth2_password_token_response,
    )

# PyJWT and cryptography cost ~130 ms to import: the JWT names load on first use.
_LAZY = {
    name: "fasterapi_security.jwt"
    for name in (
        "JWTBearer",
        "create_access_token",
        "oauth2_access_token_json",
        "oauth2_password_token_response",
    )
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "APIKeyBase",
    "APIKeyCookie",
    "APIKeyHeader",
    "APIKeyQuery",
    "HTTPAuthorizationCredentials",
    "HTTPBase",
    "HTTPBasic",
    "HTTPBasicCredentials",
    "HTTPBearer",
    "HTTPDigest",
    "JWTBearer",
    "OAuth2",
    "OAuth2AuthorizationCodeBearer",
    "OAuth2PasswordBearer",
    "OAuth2PasswordRequestForm",
    "OAuth2PasswordRequestFormStrict",
    "OpenIdConnect",
    "Security",
    "SecurityBase",
    "SecurityScopes",
    "compare_secrets",
    "create_access_token",
    "get_authorization_scheme_param",
    "oauth2_access_token_json",
    "oauth2_password_token_response",
]
