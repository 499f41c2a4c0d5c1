"""JSON Schema for annotations (used by OpenAPI generation)."""

from __future__ import annotations

from typing import Any

import msgspec

from fasterapi_core.validation.adapters import PydanticAdapter, find_adapter
from fasterapi_core.validation.constraints import NO_CONSTRAINTS, Constraints, constrain

__all__ = ["json_schema"]


def json_schema(
    annotation: Any,
    *,
    ref_template: str = "#/components/schemas/{name}",
    constraints: Constraints = NO_CONSTRAINTS,
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """``(schema, definitions)`` for ``annotation``; models are referenced via ``ref_template``.

    msgspec types use ``msgspec.json.schema_components``; adapter types (pydantic) use their
    library's own schema so existing apps keep their exact documents.
    """
    adapter = find_adapter(annotation)
    if adapter is not None:
        return adapter.json_schema(annotation, ref_template)
    constrained, bounds = constrain(annotation, constraints)
    try:
        (schema,), definitions = msgspec.json.schema_components(
            [constrained], ref_template=ref_template
        )
    except TypeError:  # a type msgspec has no schema for (HttpUrl, IPv4Address, Path...)
        return _pydantic_schema(annotation, ref_template)
    schema = dict(schema)
    if bounds is not None:
        keys = {
            "gt": "exclusiveMinimum",
            "ge": "minimum",
            "lt": "exclusiveMaximum",
            "le": "maximum",
            "multiple_of": "multipleOf",
        }
        for key, value in bounds.numeric().items():
            schema[keys[key]] = value
    return _as_pydantic_writes(schema), {
        name: _as_pydantic_writes(dict(d)) for name, d in definitions.items()
    }


def _pydantic_schema(
    annotation: Any, ref_template: str
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Pydantic's schema for a type only pydantic describes (what validates it, see
    ``CustomNode``); ``TypeError`` when pydantic is missing or cannot describe it either."""
    try:
        return PydanticAdapter().json_schema(annotation, ref_template)
    except ImportError:
        raise TypeError(f"no JSON Schema for {annotation!r}") from None
    except Exception as exc:  # pydantic's schema errors
        raise TypeError(f"no JSON Schema for {annotation!r}: {exc}") from None


def _json_type(values: list[Any]) -> str | None:
    """The JSON type all ``values`` share (pydantic names it beside ``enum``), else None."""
    kinds = {type(value) for value in values}
    if kinds == {str}:
        return "string"
    if kinds == {bool}:
        return "boolean"
    if kinds == {int}:
        return "integer"
    if kinds <= {int, float}:
        return "number"
    return None


def _as_pydantic_writes(schema: Any) -> Any:
    """msgspec's schema as pydantic writes it: ``enum`` with its common ``type``, a ``Literal``
    of one value (an untitled one-value ``enum``) as ``const``, a ``dict[str, Any]`` with
    ``additionalProperties: true``."""
    if isinstance(schema, list):
        return [_as_pydantic_writes(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: _as_pydantic_writes(value) for key, value in schema.items()}
    if out.get("type") == "object" and not {"properties", "additionalProperties"} & out.keys():
        out["additionalProperties"] = True
    values = out.get("enum")
    if isinstance(values, list) and values and "type" not in out:
        kind = _json_type(values)
        if len(values) == 1 and "title" not in out:
            del out["enum"]
            out["const"] = values[0]
        if kind is not None:
            out["type"] = kind
    return out
