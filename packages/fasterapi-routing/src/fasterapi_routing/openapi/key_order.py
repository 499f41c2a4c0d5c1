"""FastAPI's key order for the OpenAPI document, as plain tuples (no pydantic needed).

FastAPI ends ``get_openapi`` with ``jsonable_encoder(OpenAPI(**output), by_alias=True,
exclude_none=True)``: every object of the document comes out with the fields of its model in
``fastapi.openapi.models`` first, in their declared order, then its extra keys in their own
order; None values go at any depth of a dict (not in lists); the ``float`` fields of a schema
(``maximum``...) become floats (``10.0``), and defaults are written (an OAuth flow's
``scopes: {}``). A value typed ``Any`` (examples, defaults, ``x-`` extensions) keeps its own
order. :func:`ordered_document` gives a document the same text; the tables below are checked
against FastAPI's models by ``tests/openapi/test_key_order.py``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

__all__ = ["KINDS", "ObjectKind", "ordered_document"]


class ObjectKind(NamedTuple):
    """One model of the document: its fields' names (aliases) in order, and how to read them."""

    fields: tuple[str, ...]
    #: field -> (shape, kind): shape "one", "list" or "map" (a dict of that kind).
    children: dict[str, tuple[str, str]]
    required: tuple[str, ...] = ()
    #: written when missing (non-None defaults: jsonable_encoder does not exclude unset).
    defaults: dict[str, Any] = {}  # never mutated
    floats: frozenset[str] = frozenset()
    extra: bool = True  # extra keys kept (after the fields), else dropped
    #: fields whose value only pydantic's lax mode reads (see ``_Walk``)
    lax: tuple[str, ...] = ()


_SCHEMA_FIELDS = (
    *("$schema", "$vocabulary", "$id", "$anchor", "$dynamicAnchor", "$ref", "$dynamicRef"),
    *("$defs", "$comment", "allOf", "anyOf", "oneOf", "not", "if", "then", "else"),
    *("dependentSchemas", "prefixItems", "items", "contains", "properties"),
    *("patternProperties", "additionalProperties", "propertyNames", "unevaluatedItems"),
    *("unevaluatedProperties", "type", "enum", "const", "multipleOf", "maximum"),
    *("exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern"),
    *("maxItems", "minItems", "uniqueItems", "maxContains", "minContains", "maxProperties"),
    *("minProperties", "required", "dependentRequired", "format", "contentEncoding"),
    *("contentMediaType", "contentSchema", "title", "description", "default", "deprecated"),
    *("readOnly", "writeOnly", "examples", "discriminator", "xml", "externalDocs", "example"),
)
_SUBSCHEMA = ("one", "SchemaOrBool")
_SUBSCHEMAS = ("list", "SchemaOrBool")
_SUBSCHEMA_MAP = ("map", "SchemaOrBool")
_PARAMETER_BASE = (
    *("description", "required", "deprecated", "style", "explode", "allowReserved"),
    *("schema", "example", "examples", "content"),
)
_PARAMETER_CHILDREN = {
    "schema": ("one", "Schema"),
    "examples": ("map", "Example"),
    "content": ("map", "MediaType"),
}
_OPERATION = ("one", "Operation")
_SECURITY_BASE = ("type", "description")
_FLOW = ("refreshUrl", "scopes")

#: Every model of ``fastapi.openapi.models`` that the document holds, by class name.
KINDS: dict[str, ObjectKind] = {
    "OpenAPI": ObjectKind(
        (
            *("openapi", "info", "jsonSchemaDialect", "servers", "paths", "webhooks"),
            *("components", "security", "tags", "externalDocs"),
        ),
        {
            "info": ("one", "Info"),
            "servers": ("list", "Server"),
            "paths": ("map", "PathItem|Any"),
            "webhooks": ("map", "PathItem"),
            "components": ("one", "Components"),
            "tags": ("list", "Tag"),
            "externalDocs": ("one", "ExternalDocumentation"),
        },
        required=("openapi", "info"),
    ),
    "Info": ObjectKind(
        ("title", "summary", "description", "termsOfService", "contact", "license", "version"),
        {"contact": ("one", "Contact"), "license": ("one", "License")},
        required=("title", "version"),
    ),
    "Contact": ObjectKind(("name", "url", "email"), {}),
    "License": ObjectKind(("name", "identifier", "url"), {}, required=("name",)),
    "Server": ObjectKind(
        ("url", "description", "variables"),
        {"variables": ("map", "ServerVariable")},
        required=("url",),
    ),
    "ServerVariable": ObjectKind(("enum", "default", "description"), {}, required=("default",)),
    "ExternalDocumentation": ObjectKind(("description", "url"), {}, required=("url",)),
    "Tag": ObjectKind(
        ("name", "description", "externalDocs"),
        {"externalDocs": ("one", "ExternalDocumentation")},
        required=("name",),
    ),
    "PathItem": ObjectKind(
        (
            *("$ref", "summary", "description", "get", "put", "post", "delete", "options"),
            *("head", "patch", "trace", "servers", "parameters"),
        ),
        {
            **dict.fromkeys(
                ("get", "put", "post", "delete", "options", "head", "patch", "trace"), _OPERATION
            ),
            "servers": ("list", "Server"),
            "parameters": ("list", "Parameter"),
        },
    ),
    "Operation": ObjectKind(
        (
            *("tags", "summary", "description", "externalDocs", "operationId", "parameters"),
            *("requestBody", "responses", "callbacks", "deprecated", "security", "servers"),
        ),
        {
            "externalDocs": ("one", "ExternalDocumentation"),
            "parameters": ("list", "Parameter"),
            "requestBody": ("one", "RequestBody"),
            "responses": ("map", "Response|Any"),
            "callbacks": ("map", "Callback"),
            "servers": ("list", "Server"),
        },
        lax=("externalDocs",),  # found by trying: pydantic's smart union reads it laxly here
    ),
    "Parameter": ObjectKind(
        (*_PARAMETER_BASE, "name", "in"),
        _PARAMETER_CHILDREN,
        required=("name", "in"),
        lax=("in",),  # an enum
    ),
    "Header": ObjectKind(_PARAMETER_BASE, _PARAMETER_CHILDREN),
    "RequestBody": ObjectKind(
        ("description", "content", "required"),
        {"content": ("map", "MediaType")},
        required=("content",),
    ),
    "MediaType": ObjectKind(
        ("schema", "example", "examples", "encoding"),
        {
            "schema": ("one", "Schema"),
            "examples": ("map", "Example"),
            "encoding": ("map", "Encoding"),
        },
    ),
    "Encoding": ObjectKind(
        ("contentType", "headers", "style", "explode", "allowReserved"),
        {"headers": ("map", "Header")},
    ),
    "Example": ObjectKind(("summary", "description", "value", "externalValue"), {}),
    "Response": ObjectKind(
        ("description", "headers", "content", "links"),
        {
            "headers": ("map", "Header"),
            "content": ("map", "MediaType"),
            "links": ("map", "Link"),
        },
        required=("description",),
    ),
    "Link": ObjectKind(
        ("operationRef", "operationId", "parameters", "requestBody", "description", "server"),
        {"server": ("one", "Server")},
    ),
    "Components": ObjectKind(
        (
            *("schemas", "responses", "parameters", "examples", "requestBodies", "headers"),
            *("securitySchemes", "links", "callbacks", "pathItems"),
        ),
        {
            "schemas": ("map", "Schema"),
            "responses": ("map", "Response"),
            "parameters": ("map", "Parameter"),
            "examples": ("map", "Example"),
            "requestBodies": ("map", "RequestBody"),
            "headers": ("map", "Header"),
            "securitySchemes": ("map", "SecurityScheme"),
            "links": ("map", "Link"),
            "callbacks": ("map", "Callback|Any"),
            "pathItems": ("map", "PathItem"),
        },
    ),
    "Schema": ObjectKind(
        _SCHEMA_FIELDS,
        {
            "$defs": _SUBSCHEMA_MAP,
            **dict.fromkeys(("allOf", "anyOf", "oneOf", "prefixItems"), _SUBSCHEMAS),
            **dict.fromkeys(
                ("dependentSchemas", "properties", "patternProperties"), _SUBSCHEMA_MAP
            ),
            **dict.fromkeys(
                (
                    *("not", "if", "then", "else", "items", "contains", "additionalProperties"),
                    *("propertyNames", "unevaluatedItems", "unevaluatedProperties"),
                    "contentSchema",
                ),
                _SUBSCHEMA,
            ),
            "discriminator": ("one", "Discriminator"),
            "xml": ("one", "XML"),
            "externalDocs": ("one", "ExternalDocumentation"),
        },
        floats=frozenset(
            ("multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum")
        ),
    ),
    "Discriminator": ObjectKind(
        ("propertyName", "mapping"), {}, required=("propertyName",), extra=False
    ),
    "XML": ObjectKind(("name", "namespace", "prefix", "attribute", "wrapped"), {}),
    # the security schemes, in the order of FastAPI's ``SecurityScheme`` union
    "APIKey": ObjectKind(
        (*_SECURITY_BASE, "in", "name"), {}, required=("in", "name"), defaults={"type": "apiKey"}
    ),
    "HTTPBase": ObjectKind(
        (*_SECURITY_BASE, "scheme"), {}, required=("scheme",), defaults={"type": "http"}
    ),
    "OAuth2": ObjectKind(
        (*_SECURITY_BASE, "flows"),
        {"flows": ("one", "OAuthFlows")},
        required=("flows",),
        defaults={"type": "oauth2"},
    ),
    "OpenIdConnect": ObjectKind(
        (*_SECURITY_BASE, "openIdConnectUrl"),
        {},
        required=("openIdConnectUrl",),
        defaults={"type": "openIdConnect"},
    ),
    "HTTPBearer": ObjectKind(
        (*_SECURITY_BASE, "scheme", "bearerFormat"),
        {},
        defaults={"type": "http", "scheme": "bearer"},
    ),
    "OAuthFlows": ObjectKind(
        ("implicit", "password", "clientCredentials", "authorizationCode"),
        {
            "implicit": ("one", "OAuthFlowImplicit"),
            "password": ("one", "OAuthFlowPassword"),
            "clientCredentials": ("one", "OAuthFlowClientCredentials"),
            "authorizationCode": ("one", "OAuthFlowAuthorizationCode"),
        },
    ),
    **{
        name: ObjectKind((*_FLOW, *urls), {}, required=urls, defaults={"scopes": {}})
        for name, urls in (
            ("OAuthFlowImplicit", ("authorizationUrl",)),
            ("OAuthFlowPassword", ("tokenUrl",)),
            ("OAuthFlowClientCredentials", ("tokenUrl",)),
            ("OAuthFlowAuthorizationCode", ("authorizationUrl", "tokenUrl")),
        )
    },
}
_SECURITY_SCHEMES = ("APIKey", "HTTPBase", "OAuth2", "OpenIdConnect", "HTTPBearer")
_RANKS = {name: {key: i for i, key in enumerate(kind.fields)} for name, kind in KINDS.items()}


def ordered_document(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` (an encoded OpenAPI document) with FastAPI's key order and None values
    dropped, as ``jsonable_encoder(OpenAPI(**document), by_alias=True, exclude_none=True)``
    writes it; parts FastAPI's models would reject are kept as they are."""
    ordered: dict[str, Any] = _Walk().as_kind(document, "OpenAPI")
    return ordered


class _ReadLaxly(Exception):
    """A value of a path item that pydantic converts in lax mode only (see ``_Walk``)."""


class _Walk:
    """One pass over a document.

    A path item of ``paths: dict[str, PathItem | Any]`` holding a value pydantic reads in lax
    mode only (a parameter's ``in``, an enum) is read by the ``Any`` of pydantic's smart union:
    it keeps its own key order (FastAPI's generator's), every key below included.
    """

    def __init__(self) -> None:
        self.in_any_union = False

    def as_kind(self, value: Any, kind_name: str) -> Any:
        if not isinstance(value, dict):
            return _plain(value)  # a boolean schema; anything else FastAPI would reject
        if kind_name == "SchemaOrBool":
            kind_name = "Schema"
        elif kind_name == "SecurityScheme":
            kind_name = _security_scheme(value)
        elif kind_name in ("PathItem|Any", "Callback|Any"):
            return self.path_item_or_any(value, kind_name)
        elif kind_name == "Callback":  # dict[str, PathItem] | Reference
            if all(isinstance(item, dict) for item in value.values()):
                return {key: self.as_kind(item, "PathItem") for key, item in value.items()}
            return _reference_or_plain(value)
        elif kind_name == "Response|Any":
            if value.get("description") is None:
                return _plain(value)
            kind_name = "Response"
        kind = KINDS.get(kind_name)
        if kind is None or any(value.get(key) is None for key in kind.required):
            return _reference_or_plain(value)  # not this model: a Reference, or Any
        if kind.lax and self.in_any_union and any(value.get(key) is not None for key in kind.lax):
            raise _ReadLaxly  # PERF: the rest of the path item is not walked for nothing
        rank = _RANKS[kind_name]
        # PERF: the keys given, sorted by rank, rather than a look-up per field of the model
        declared = sorted((key for key in value if key in rank), key=rank.__getitem__)
        given = len(declared)  # the others are extra keys
        if kind.defaults and not kind.defaults.keys() <= value.keys():
            missing = (key for key in kind.defaults if value.get(key) is None)
            declared = sorted({*declared, *missing}, key=rank.__getitem__)
        out: dict[str, Any] = {}
        children = kind.children
        for key in declared:
            item = value.get(key)
            if item is None:
                default = kind.defaults.get(key)
                if default is not None:
                    out[key] = _plain(default)
                continue
            child = children.get(key)
            if child is not None:
                shape, child_kind = child
                if shape == "one":
                    item = self.as_kind(item, child_kind)
                elif shape == "list" and isinstance(item, list):
                    item = [self.as_kind(element, child_kind) for element in item]
                elif shape == "map" and isinstance(item, dict):
                    item = {
                        k: self.as_kind(v, child_kind) for k, v in item.items() if v is not None
                    }
                else:
                    item = _plain(item)
            elif key in kind.floats and isinstance(item, int):
                item = float(item)
            elif isinstance(item, _CONTAINERS):
                item = _plain(item)
            out[key] = item
        if kind.extra and given < len(value):
            for key, item in value.items():
                if item is not None and key not in rank:
                    out[key] = _plain(item)
        return out

    def path_item_or_any(self, value: dict[str, Any], kind_name: str) -> Any:
        """A path item of ``paths`` (``PathItem | Any``), or a callback of ``components``
        (``dict[str, PathItem] | Reference | Any``): the model's order unless read laxly."""
        outer, self.in_any_union = self.in_any_union, True
        try:
            if kind_name == "PathItem|Any":
                return self.as_kind(value, "PathItem")
            if all(isinstance(item, dict) for item in value.values()):
                return {key: self.as_kind(item, "PathItem") for key, item in value.items()}
            return _reference_or_plain(value)
        except _ReadLaxly:
            return _plain(value)
        finally:
            self.in_any_union = outer


def _security_scheme(value: dict[str, Any]) -> str:
    """The member of FastAPI's ``SecurityScheme`` union that pydantic's smart mode picks: of
    the models ``value`` fits, the one with the most fields given, the first on a tie."""
    best, best_count = "", -1
    for name in _SECURITY_SCHEMES:
        kind = KINDS[name]
        if any(value.get(key) is None for key in kind.required):
            continue
        if name == "HTTPBearer" and value.get("scheme", "bearer") != "bearer":
            continue
        count = sum(1 for key in kind.fields if value.get(key) is not None)
        if count > best_count:
            best, best_count = name, count
    return best


def _reference_or_plain(value: dict[str, Any]) -> Any:
    """Not the model expected: a ``Reference`` if it is one, else a value typed ``Any``."""
    ref = value.get("$ref")
    return {"$ref": ref} if isinstance(ref, str) else _plain(value)


def _plain(value: Any) -> Any:
    """A value typed ``Any``: its own order, None dropped from its dicts (not its lists)."""
    # PERF: scalars are not passed to a call of their own
    if isinstance(value, dict):
        return {
            key: _plain(item) if isinstance(item, _CONTAINERS) else item
            for key, item in value.items()
            if item is not None
        }
    if isinstance(value, list):
        return [_plain(item) if isinstance(item, _CONTAINERS) else item for item in value]
    return value


_CONTAINERS = (dict, list)
