"""The OpenAPI 3.1 document as pydantic models, under FastAPI's names (``fastapi.openapi.models``).

FasterAPI builds its documents as plain dicts and never imports this module itself: it is for
code that reads or checks a document (``OpenAPI.model_validate(app.openapi())``) or builds parts
of one, as with FastAPI. Importing it needs pydantic. Every object takes the specification's
extension keys (``x-...``) and any other key (``extra="allow"``); fields named like Python
keywords or starting with ``$`` carry the document's name as their alias (``in_`` is ``in``,
``ref`` is ``$ref``, ``schema_`` is ``schema``...).
"""

from __future__ import annotations

from enum import Enum
from importlib.util import find_spec
from typing import TYPE_CHECKING, Annotated, Any

from fasterapi_core._optional import require

require("pydantic", "fasterapi[pydantic]")  # a clear error naming the extra when it is missing

from pydantic import AnyUrl, ConfigDict, Field  # noqa: E402
from typing_extensions import TypedDict  # noqa: E402  (pydantic needs it before Python 3.12)

from fasterapi_routing.openapi.schema_models import (  # noqa: E402
    XML,
    BaseModelWithConfig,
    Discriminator,
    ExternalDocumentation,
    Reference,
    Schema,
    SchemaOrBool,
    SchemaType,
)
from fasterapi_routing.openapi.security_models import (  # noqa: E402
    APIKey,
    APIKeyIn,
    HTTPBase,
    HTTPBearer,
    OAuth2,
    OAuthFlow,
    OAuthFlowAuthorizationCode,
    OAuthFlowClientCredentials,
    OAuthFlowImplicit,
    OAuthFlowPassword,
    OAuthFlows,
    OpenIdConnect,
    SecurityBase,
    SecurityScheme,
    SecuritySchemeType,
)

__all__ = [
    "XML",
    "APIKey",
    "APIKeyIn",
    "BaseModelWithConfig",
    "Components",
    "Contact",
    "Discriminator",
    "Encoding",
    "Example",
    "ExternalDocumentation",
    "HTTPBase",
    "HTTPBearer",
    "Header",
    "Info",
    "License",
    "Link",
    "MediaType",
    "OAuth2",
    "OAuthFlow",
    "OAuthFlowAuthorizationCode",
    "OAuthFlowClientCredentials",
    "OAuthFlowImplicit",
    "OAuthFlowPassword",
    "OAuthFlows",
    "OpenAPI",
    "OpenIdConnect",
    "Operation",
    "Parameter",
    "ParameterBase",
    "ParameterInType",
    "PathItem",
    "Reference",
    "RequestBody",
    "Response",
    "Schema",
    "SchemaOrBool",
    "SchemaType",
    "SecurityBase",
    "SecurityScheme",
    "SecuritySchemeType",
    "Server",
    "ServerVariable",
    "Tag",
]

if TYPE_CHECKING:
    EmailStr = str
else:  # pydantic's EmailStr needs email-validator; without it an address is any string
    from pydantic import EmailStr as _PydanticEmailStr

    EmailStr = _PydanticEmailStr if find_spec("email_validator") else str


class Contact(BaseModelWithConfig):
    """The API's contact (``info.contact``)."""

    name: str | None = None
    url: AnyUrl | None = None
    email: EmailStr | None = None


class License(BaseModelWithConfig):
    """The API's license (``info.license``)."""

    name: str
    identifier: str | None = None
    url: AnyUrl | None = None


class Info(BaseModelWithConfig):
    """The document's ``info``: title, version and descriptions."""

    title: str
    summary: str | None = None
    description: str | None = None
    termsOfService: str | None = None
    contact: Contact | None = None
    license: License | None = None
    version: str


class ServerVariable(BaseModelWithConfig):
    """A variable of a server URL template."""

    enum: Annotated[list[str] | None, Field(min_length=1)] = None
    default: str
    description: str | None = None


class Server(BaseModelWithConfig):
    """A server the API is served from (``servers``)."""

    url: AnyUrl | str
    description: str | None = None
    variables: dict[str, ServerVariable] | None = None


class Example(TypedDict, total=False):
    """An Example Object (other keys are kept)."""

    __pydantic_config__ = ConfigDict(extra="allow")  # type: ignore[misc]

    summary: str | None
    description: str | None
    value: Any | None
    externalValue: AnyUrl | None


class ParameterInType(Enum):
    """Where a parameter is read: ``query``, ``header``, ``path`` or ``cookie``."""

    query = "query"
    header = "header"
    path = "path"
    cookie = "cookie"


class Encoding(BaseModelWithConfig):
    """How one property of a form body is encoded."""

    contentType: str | None = None
    headers: dict[str, Header | Reference] | None = None
    style: str | None = None
    explode: bool | None = None
    allowReserved: bool | None = None


class MediaType(BaseModelWithConfig):
    """A body's schema and examples for one media type."""

    schema_: Schema | Reference | None = Field(default=None, alias="schema")
    example: Any | None = None
    examples: dict[str, Example | Reference] | None = None
    encoding: dict[str, Encoding] | None = None


class ParameterBase(BaseModelWithConfig):
    """What a Parameter Object and a Header Object share."""

    description: str | None = None
    required: bool | None = None
    deprecated: bool | None = None
    style: str | None = None
    explode: bool | None = None
    allowReserved: bool | None = None
    schema_: Schema | Reference | None = Field(default=None, alias="schema")
    example: Any | None = None
    examples: dict[str, Example | Reference] | None = None
    content: dict[str, MediaType] | None = None


class Parameter(ParameterBase):
    """An operation's parameter: its name, where it is read (``in``) and its schema."""

    name: str
    in_: ParameterInType = Field(alias="in")


class Header(ParameterBase):
    """A Header Object: a parameter whose name and location are its key's."""


class RequestBody(BaseModelWithConfig):
    """An operation's request body, by media type."""

    description: str | None = None
    content: dict[str, MediaType]
    required: bool | None = None


class Link(BaseModelWithConfig):
    """A design-time link from a response to another operation."""

    operationRef: str | None = None
    operationId: str | None = None
    parameters: dict[str, Any | str] | None = None  # a value or a runtime expression
    requestBody: Any | str | None = None
    description: str | None = None
    server: Server | None = None


class Response(BaseModelWithConfig):
    """One response of an operation: description, headers, content."""

    description: str
    headers: dict[str, Header | Reference] | None = None
    content: dict[str, MediaType] | None = None
    links: dict[str, Link | Reference] | None = None


class Operation(BaseModelWithConfig):
    """One operation (a method of a path)."""

    tags: list[str] | None = None
    summary: str | None = None
    description: str | None = None
    externalDocs: ExternalDocumentation | None = None
    operationId: str | None = None
    parameters: list[Parameter | Reference] | None = None
    requestBody: RequestBody | Reference | None = None
    responses: dict[str, Response | Any] | None = None  # Any: extension keys
    callbacks: dict[str, dict[str, PathItem] | Reference] | None = None
    deprecated: bool | None = None
    security: list[dict[str, list[str]]] | None = None
    servers: list[Server] | None = None


class PathItem(BaseModelWithConfig):
    """The operations of one path, by method."""

    ref: str | None = Field(default=None, alias="$ref")
    summary: str | None = None
    description: str | None = None
    get: Operation | None = None
    put: Operation | None = None
    post: Operation | None = None
    delete: Operation | None = None
    options: Operation | None = None
    head: Operation | None = None
    patch: Operation | None = None
    trace: Operation | None = None
    servers: list[Server] | None = None
    parameters: list[Parameter | Reference] | None = None


class Components(BaseModelWithConfig):
    """Reusable objects: schemas, responses, parameters, security schemes..."""

    schemas: dict[str, Schema | Reference] | None = None
    responses: dict[str, Response | Reference] | None = None
    parameters: dict[str, Parameter | Reference] | None = None
    examples: dict[str, Example | Reference] | None = None
    requestBodies: dict[str, RequestBody | Reference] | None = None
    headers: dict[str, Header | Reference] | None = None
    securitySchemes: dict[str, SecurityScheme | Reference] | None = None
    links: dict[str, Link | Reference] | None = None
    callbacks: dict[str, dict[str, PathItem] | Reference | Any] | None = None
    pathItems: dict[str, PathItem | Reference] | None = None


class Tag(BaseModelWithConfig):
    """A tag used by operations, with its description."""

    name: str
    description: str | None = None
    externalDocs: ExternalDocumentation | None = None


class OpenAPI(BaseModelWithConfig):
    """The whole document: ``OpenAPI.model_validate(app.openapi())``."""

    openapi: str
    info: Info
    jsonSchemaDialect: str | None = None
    servers: list[Server] | None = None
    paths: dict[str, PathItem | Any] | None = None  # Any: extension keys
    webhooks: dict[str, PathItem | Reference] | None = None
    components: Components | None = None
    security: list[dict[str, list[str]]] | None = None
    tags: list[Tag] | None = None
    externalDocs: ExternalDocumentation | None = None


for _model in (Encoding, Operation, OpenAPI):
    _model.model_rebuild()
