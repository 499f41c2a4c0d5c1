"""The JSON Schema object of the OpenAPI models (``fastapi.openapi.models.Schema``) and the
small objects it holds; see :mod:`fasterapi_routing.openapi.models`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fasterapi_core._optional import require

require("pydantic", "fasterapi[pydantic]")  # a clear error naming the extra when it is missing

from pydantic import (  # noqa: E402
    AnyUrl,
    BaseModel,
    ConfigDict,
    Field,
)
from typing_extensions import deprecated as typing_deprecated  # noqa: E402

__all__ = [
    "XML",
    "BaseModelWithConfig",
    "Discriminator",
    "ExternalDocumentation",
    "Reference",
    "Schema",
    "SchemaOrBool",
    "SchemaType",
]

_NonNegative = Annotated[int | None, Field(ge=0)]


class BaseModelWithConfig(BaseModel):
    """An OpenAPI object: extension (``x-``) and other keys are kept."""

    model_config = ConfigDict(extra="allow")


class Reference(BaseModel):
    """``{"$ref": "..."}`` (no other key)."""

    ref: str = Field(alias="$ref")


class Discriminator(BaseModel):
    """Which property tells the members of a ``oneOf``/``anyOf`` apart."""

    propertyName: str
    mapping: dict[str, str] | None = None


class XML(BaseModelWithConfig):
    """How a schema is written as XML."""

    name: str | None = None
    namespace: str | None = None
    prefix: str | None = None
    attribute: bool | None = None
    wrapped: bool | None = None


class ExternalDocumentation(BaseModelWithConfig):
    """A link to documentation elsewhere (``externalDocs``)."""

    description: str | None = None
    url: AnyUrl


SchemaType = Literal["array", "boolean", "integer", "null", "number", "object", "string"]
"""The JSON Schema 2020-12 ``type`` names."""


class Schema(BaseModelWithConfig):
    """A JSON Schema 2020-12 object, with OpenAPI 3.1's ``discriminator``, ``xml``,
    ``externalDocs`` and (deprecated) ``example``."""

    # core vocabulary
    schema_: str | None = Field(default=None, alias="$schema")
    vocabulary: str | None = Field(default=None, alias="$vocabulary")
    id: str | None = Field(default=None, alias="$id")
    anchor: str | None = Field(default=None, alias="$anchor")
    dynamicAnchor: str | None = Field(default=None, alias="$dynamicAnchor")
    ref: str | None = Field(default=None, alias="$ref")
    dynamicRef: str | None = Field(default=None, alias="$dynamicRef")
    defs: dict[str, SchemaOrBool] | None = Field(default=None, alias="$defs")
    comment: str | None = Field(default=None, alias="$comment")
    # applying subschemas
    allOf: list[SchemaOrBool] | None = None
    anyOf: list[SchemaOrBool] | None = None
    oneOf: list[SchemaOrBool] | None = None
    not_: SchemaOrBool | None = Field(default=None, alias="not")
    if_: SchemaOrBool | None = Field(default=None, alias="if")
    then: SchemaOrBool | None = None
    else_: SchemaOrBool | None = Field(default=None, alias="else")
    dependentSchemas: dict[str, SchemaOrBool] | None = None
    prefixItems: list[SchemaOrBool] | None = None
    items: SchemaOrBool | None = None
    contains: SchemaOrBool | None = None
    properties: dict[str, SchemaOrBool] | None = None
    patternProperties: dict[str, SchemaOrBool] | None = None
    additionalProperties: SchemaOrBool | None = None
    propertyNames: SchemaOrBool | None = None
    unevaluatedItems: SchemaOrBool | None = None
    unevaluatedProperties: SchemaOrBool | None = None
    # structural validation
    type: SchemaType | list[SchemaType] | None = None
    enum: list[Any] | None = None
    const: Any | None = None
    multipleOf: Annotated[float | None, Field(gt=0)] = None
    maximum: float | None = None
    exclusiveMaximum: float | None = None
    minimum: float | None = None
    exclusiveMinimum: float | None = None
    maxLength: _NonNegative = None
    minLength: _NonNegative = None
    pattern: str | None = None
    maxItems: _NonNegative = None
    minItems: _NonNegative = None
    uniqueItems: bool | None = None
    maxContains: _NonNegative = None
    minContains: _NonNegative = None
    maxProperties: _NonNegative = None
    minProperties: _NonNegative = None
    required: list[str] | None = None
    dependentRequired: dict[str, set[str]] | None = None
    # format, string-encoded content
    format: str | None = None
    contentEncoding: str | None = None
    contentMediaType: str | None = None
    contentSchema: SchemaOrBool | None = None
    # meta-data
    title: str | None = None
    description: str | None = None
    default: Any | None = None
    deprecated: bool | None = None
    readOnly: bool | None = None
    writeOnly: bool | None = None
    examples: list[Any] | None = None
    # OpenAPI's additions
    discriminator: Discriminator | None = None
    xml: XML | None = None
    externalDocs: ExternalDocumentation | None = None
    example: Annotated[
        Any | None, typing_deprecated("Deprecated by OpenAPI 3.1 (still accepted): use examples")
    ] = None


SchemaOrBool = Schema | bool
"""A JSON Schema is an object or a boolean."""

Schema.model_rebuild()
