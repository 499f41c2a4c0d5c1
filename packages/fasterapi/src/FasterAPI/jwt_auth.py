"""``FasterAPI.jwt_auth``: verify JWT bearer tokens and issue OAuth2 token responses."""

from fasterapi_security.jwt import (
    JWTBearer,
    create_access_token,
    oauth2_access_token_json,
    oauth2_password_token_response,
)
from fasterapi_security.utils import compare_secrets

__all__ = [
    "JWTBearer",
    "compare_secrets",
    "create_access_token",
    "oauth2_access_token_json",
    "oauth2_password_token_response",
]
