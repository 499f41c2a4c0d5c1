"""JSON Schema for annotations (used by OpenAPI generation)."""

from __future__ import annotations

from typing import Any

import msgspec

from fasterapi_core.validation.adapters import find_adapter
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
    (schema,), definitions = msgspec.json.schema_components(
        [constrained], ref_template=ref_template
    )
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
    return schema, {name: dict(d) for name, d in definitions.items()}
