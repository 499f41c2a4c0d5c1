"""The security scheme objects of the OpenAPI models (``fastapi.openapi.models.APIKey``,
``OAuth2``, ``OpenIdConnect``...); see :mod:`fasterapi_routing.openapi.models`, which
re-exports them under FastAPI's names."""

from __future__ import annotations

from enum import Enum
from typing import Literal

from fasterapi_core._optional import require

require("pydantic", "fasterapi[pydantic]")  # a clear error naming the extra when it is missing

from pydantic import Field  # noqa: E402

from fasterapi_routing.openapi.schema_models import BaseModelWithConfig  # noqa: E402

__all__ = [
    "APIKey",
    "APIKeyIn",
    "HTTPBase",
    "HTTPBearer",
    "OAuth2",
    "OAuthFlow",
    "OAuthFlowAuthorizationCode",
    "OAuthFlowClientCredentials",
    "OAuthFlowImplicit",
    "OAuthFlowPassword",
    "OAuthFlows",
    "OpenIdConnect",
    "SecurityBase",
    "SecurityScheme",
    "SecuritySchemeType",
]


class SecuritySchemeType(Enum):
    """The kind of a security scheme."""

    apiKey = "apiKey"
    http = "http"
    oauth2 = "oauth2"
    openIdConnect = "openIdConnect"


class SecurityBase(BaseModelWithConfig):
    """What every security scheme has: its ``type`` and description."""

    type_: SecuritySchemeType = Field(alias="type")
    description: str | None = None


class APIKeyIn(Enum):
    """Where an API key is sent: ``query``, ``header`` or ``cookie``."""

    query = "query"
    header = "header"
    cookie = "cookie"


class APIKey(SecurityBase):
    """An API key security scheme."""

    type_: SecuritySchemeType = Field(default=SecuritySchemeType.apiKey, alias="type")
    in_: APIKeyIn = Field(alias="in")
    name: str


class HTTPBase(SecurityBase):
    """An HTTP authentication security scheme (``scheme``: basic, digest...)."""

    type_: SecuritySchemeType = Field(default=SecuritySchemeType.http, alias="type")
    scheme: str


class HTTPBearer(HTTPBase):
    """HTTP bearer authentication (``scheme: bearer``)."""

    scheme: Literal["bearer"] = "bearer"
    bearerFormat: str | None = None


class OAuthFlow(BaseModelWithConfig):
    """What every OAuth2 flow has: its scopes and refresh URL."""

    refreshUrl: str | None = None
    scopes: dict[str, str] = {}


class OAuthFlowImplicit(OAuthFlow):
    """The OAuth2 implicit flow."""

    authorizationUrl: str


class OAuthFlowPassword(OAuthFlow):
    """The OAuth2 password flow."""

    tokenUrl: str


class OAuthFlowClientCredentials(OAuthFlow):
    """The OAuth2 client credentials flow."""

    tokenUrl: str


class OAuthFlowAuthorizationCode(OAuthFlow):
    """The OAuth2 authorization code flow."""

    authorizationUrl: str
    tokenUrl: str


class OAuthFlows(BaseModelWithConfig):
    """The OAuth2 flows a scheme supports."""

    implicit: OAuthFlowImplicit | None = None
    password: OAuthFlowPassword | None = None
    clientCredentials: OAuthFlowClientCredentials | None = None
    authorizationCode: OAuthFlowAuthorizationCode | None = None


class OAuth2(SecurityBase):
    """An OAuth2 security scheme."""

    type_: SecuritySchemeType = Field(default=SecuritySchemeType.oauth2, alias="type")
    flows: OAuthFlows


class OpenIdConnect(SecurityBase):
    """An OpenID Connect security scheme."""

    type_: SecuritySchemeType = Field(default=SecuritySchemeType.openIdConnect, alias="type")
    openIdConnectUrl: str


SecurityScheme = APIKey | HTTPBase | OAuth2 | OpenIdConnect | HTTPBearer
