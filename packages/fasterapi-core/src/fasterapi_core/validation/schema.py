"""JSON Schema for annotations (used by OpenAPI generation)."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import decimal
import enum
import sys
from typing import Any, Literal, get_args, get_origin, get_type_hints, is_typeddict

import msgspec

from fasterapi_core.validation.adapters import PydanticAdapter, find_adapter
from fasterapi_core.validation.constraints import NO_CONSTRAINTS, Constraints, constrain
from fasterapi_core.validation.fallback import (
    needs_pydantic,
    pydantic_can_validate,
    pydantic_field,
)
from fasterapi_core.validation.unions import union_members

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
    split = union_members(annotation)
    if adapter is not None and not (split is not None and not pydantic_can_validate(annotation)):
        return adapter.json_schema(annotation, ref_template)
    if _pydantic_documents(annotation, set()) and sys.modules.get("pydantic") is not None:
        # documented as FastAPI documents them, by pydantic: dataclasses and TypedDicts
        # (fields titled, default_factory values left out), datetimes, Decimals, bytes
        with contextlib.suppress(TypeError):
            return _referenced_schema(pydantic_field(annotation, constraints), ref_template)
    if needs_pydantic(annotation, constraints):  # what validates it describes it
        try:
            return _pydantic_schema(pydantic_field(annotation, constraints), ref_template)
        except (ImportError, TypeError):
            if split is not None:  # Structs (see ``unions``): each member's schema
                return _union_schema(*split, ref_template)
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
    orders = _declared_orders(constrained, {}, set())
    return _as_pydantic_writes(schema, orders), {
        name: _as_pydantic_writes(dict(d), orders) for name, d in definitions.items()
    }


Orders = dict[frozenset[Any], list[Any]]


# Types msgspec documents otherwise than pydantic (so FastAPI) does: datetimes and times
# without their format, Decimals as a formatted string, bytes as base64.
_PYDANTIC_DESCRIBED = (dt.datetime, dt.time, decimal.Decimal, bytes)


def _pydantic_documents(annotation: Any, seen: set[int]) -> bool:
    """True when ``annotation`` holds a dataclass, a TypedDict or a type msgspec documents
    otherwise than pydantic (not inside a msgspec Struct: those keep msgspec's schema)."""
    if id(annotation) in seen:
        return False
    seen.add(id(annotation))
    if isinstance(annotation, type):
        if issubclass(annotation, msgspec.Struct):
            return False
        if dataclasses.is_dataclass(annotation) or is_typeddict(annotation):
            return True
        if issubclass(annotation, dict) and hasattr(annotation, "__required_keys__"):
            return True  # typing_extensions.TypedDict (pydantic's before Python 3.12)
        if issubclass(annotation, _PYDANTIC_DESCRIBED):
            return True
    return any(_pydantic_documents(arg, seen) for arg in get_args(annotation))


def _declared_orders(annotation: Any, orders: Orders, seen: set[Any]) -> Orders:
    """The values of every ``Enum`` and ``Literal`` in ``annotation`` (models' fields
    included), in declaration order, by their set: msgspec's schema sorts them, pydantic's
    (and so FastAPI's) keeps their order."""
    values: list[Any] | None = None
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        values = [member.value for member in annotation]
    elif get_origin(annotation) is Literal:
        values = list(get_args(annotation))
    if values is not None:
        with contextlib.suppress(TypeError):  # unhashable values: msgspec's order stays
            orders.setdefault(frozenset(values), values)
        return orders
    if isinstance(annotation, type) and (
        issubclass(annotation, msgspec.Struct)
        or dataclasses.is_dataclass(annotation)
        or is_typeddict(annotation)
    ):
        if annotation in seen:
            return orders
        seen.add(annotation)
        try:
            hints = get_type_hints(annotation, include_extras=True)
        except Exception:  # unresolvable forward references: msgspec's order stays
            return orders
        for hint in hints.values():
            _declared_orders(hint, orders, seen)
        return orders
    for arg in get_args(annotation):
        _declared_orders(arg, orders, seen)
    return orders


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


def _referenced_schema(
    annotation: Any, ref_template: str
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Pydantic's schema of ``annotation``, a top-level model referenced from its
    definitions (pydantic inlines it; FastAPI's document references it)."""
    schema, definitions = _pydantic_schema(annotation, ref_template)
    if schema.get("type") != "object" or not isinstance(schema.get("title"), str):
        return schema, definitions
    wrapped, more = _pydantic_schema(list[annotation], ref_template)
    item = wrapped.get("items")
    if isinstance(item, dict) and "$ref" in item:
        return dict(item), {**definitions, **more}
    return schema, definitions


def _union_schema(
    members: list[Any], nullable: bool, ref_template: str
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """``anyOf`` the members' schemas (and ``null``), as pydantic writes a union."""
    options: list[dict[str, Any]] = []
    definitions: dict[str, dict[str, Any]] = {}
    for member in members:
        schema, more = json_schema(member, ref_template=ref_template)
        options.append(schema)
        definitions.update(more)
    if nullable:
        options.append({"type": "null"})
    return {"anyOf": options}, definitions


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


def _as_pydantic_writes(schema: Any, orders: Orders) -> Any:
    """msgspec's schema as pydantic writes it: ``enum`` values in declaration order (from
    ``orders``) with their common ``type``, a ``Literal`` of one value (an untitled one-value
    ``enum``) as ``const``, a ``dict[str, Any]`` with ``additionalProperties: true``."""
    if isinstance(schema, list):
        return [_as_pydantic_writes(item, orders) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: _as_pydantic_writes(value, orders) for key, value in schema.items()}
    if isinstance(out.get("enum"), list):
        with contextlib.suppress(TypeError):
            out["enum"] = list(orders.get(frozenset(out["enum"]), out["enum"]))
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
