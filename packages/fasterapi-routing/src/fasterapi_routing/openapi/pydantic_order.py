"""The key order pydantic writes a type's JSON Schema in, for schemas made by another library.

FastAPI's document keeps the order pydantic's generator gives where its own models do not
reorder the keys (a path item with parameters, see ``key_order``): a parameter's
``{"type": "string", "format": "date-time"}``, ``{"type": "array", "uniqueItems": true,
"items": ...}``, constraints in ``multipleOf``, ``maximum``, ``minimum``... order. msgspec
writes the same keys in another order; :func:`in_pydantic_order` rewrites it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["in_pydantic_order"]

#: The keys of a type's schema, in the order pydantic's ``GenerateJsonSchema`` adds them
#: (its ``ValidationsMapping`` gives the constraints' order).
_TYPE_KEYS = (
    *("$ref", "anyOf", "oneOf", "allOf", "enum", "const", "type", "format"),
    *("contentEncoding", "contentMediaType", "uniqueItems", "prefixItems", "items"),
    *("additionalProperties", "patternProperties", "propertyNames", "multipleOf", "maximum"),
    *("minimum", "exclusiveMaximum", "exclusiveMinimum", "minLength", "maxLength", "pattern"),
    *("minItems", "maxItems", "minProperties", "maxProperties"),
)
_RANK = {key: rank for rank, key in enumerate(_TYPE_KEYS)}
_SUBSCHEMA = frozenset(("items", "additionalProperties", "propertyNames", "not"))
_SUBSCHEMAS = frozenset(("anyOf", "oneOf", "allOf", "prefixItems"))


def in_pydantic_order(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with its type keys (and its subschemas') in pydantic's order, before any
    other key (title, description... in their own order)."""
    known = sorted((key for key in schema if key in _RANK), key=_RANK.__getitem__)
    out: dict[str, Any] = {}
    for key in (*known, *(key for key in schema if key not in _RANK)):
        value = schema[key]
        if key in _SUBSCHEMA and isinstance(value, dict):
            value = in_pydantic_order(value)
        elif key in _SUBSCHEMAS and isinstance(value, list):
            value = [in_pydantic_order(v) if isinstance(v, dict) else v for v in value]
        out[key] = value
    return out
