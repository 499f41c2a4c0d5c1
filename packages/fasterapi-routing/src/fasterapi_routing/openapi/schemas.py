"""JSON Schemas for the parts of an operation, collected into ``components/schemas``.

Every schema comes from :func:`fasterapi_core.validation.json_schema` applied to the very
annotations and constraints the route plan validates with (msgspec's schema for msgspec types,
pydantic's for pydantic models), so the document describes exactly what the server accepts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, get_args

from fasterapi_core.dependencies import ParamField
from fasterapi_core.encoding import jsonable_encoder
from fasterapi_core.params import Param, Required
from fasterapi_core.validation import Constraints, json_schema
from fasterapi_core.validation.adapters import find_adapter
from fasterapi_core.validation.fallback import pydantic_field
from fasterapi_routing.openapi.pydantic_batch import Mode, PydanticSchemaBatch
from fasterapi_routing.openapi.pydantic_order import in_pydantic_order

__all__ = [
    "REF_PREFIX",
    "VALIDATION_ERROR_DEFINITIONS",
    "SchemaCollector",
    "field_title",
]

REF_PREFIX = "#/components/schemas/"
_REF_TEMPLATE = REF_PREFIX + "{name}"
_PYDANTIC_TEMPLATE = REF_PREFIX + "{model}"

#: FastAPI's exact ``ValidationError`` and ``HTTPValidationError`` component schemas.
VALIDATION_ERROR_DEFINITIONS: dict[str, dict[str, Any]] = {
    "ValidationError": {
        "properties": {
            "loc": {
                "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                "type": "array",
                "title": "Location",
            },
            "msg": {"type": "string", "title": "Message"},
            "type": {"type": "string", "title": "Error Type"},
            "input": {"title": "Input"},
            "ctx": {"type": "object", "title": "Context"},
        },
        "type": "object",
        "required": ["loc", "msg", "type"],
        "title": "ValidationError",
    },
    "HTTPValidationError": {
        "properties": {
            "detail": {
                "items": {"$ref": REF_PREFIX + "ValidationError"},
                "type": "array",
                "title": "Detail",
            }
        },
        "type": "object",
        "title": "HTTPValidationError",
    },
}

_FILE_SCHEMA: dict[str, Any] = {"type": "string", "contentMediaType": "application/octet-stream"}


def field_title(name: str) -> str:
    """pydantic's default title for a field name: ``item_id`` → ``Item Id``."""
    return name.title().replace("_", " ")


def _constraints(marker: Param) -> Constraints:
    return Constraints(
        gt=marker.gt,
        ge=marker.ge,
        lt=marker.lt,
        le=marker.le,
        multiple_of=marker.multiple_of,
        min_length=marker.min_length,
        max_length=marker.max_length,
        pattern=marker.pattern,
    )


def _has_default(field: ParamField) -> bool:
    return (
        not field.required
        and field.default_factory is None
        and field.default is not Required
        and field.default is not None
    )


_DATA_KEYWORDS = frozenset({"examples", "example", "const", "enum"})


def _drop_null_defaults(schema: dict[str, Any]) -> dict[str, Any]:
    """Remove ``"default": null`` throughout a schema, as FastAPI's document does; arrays
    as pydantic writes them (``items: {}`` for any item, no ``items: false`` after
    ``prefixItems``)."""
    out: dict[str, Any] = {}
    if schema.get("type") == "array":
        if "prefixItems" in schema:
            if schema.get("items") is False:
                schema = {k: v for k, v in schema.items() if k != "items"}
        elif "items" not in schema:
            schema = {**schema, "items": {}}
    for key, value in schema.items():
        if key == "default" and value is None:
            continue
        if key in _DATA_KEYWORDS:
            out[key] = value
        elif isinstance(value, dict):
            out[key] = _drop_null_defaults(value)
        elif isinstance(value, list):
            out[key] = [_drop_null_defaults(v) if isinstance(v, dict) else v for v in value]
        else:
            out[key] = value
    return out


class SchemaCollector:
    """Builds schemas for annotations and keeps every referenced definition.

    With a ``batch`` still collecting, :meth:`schema_of` only records pydantic-typed fields in
    it and returns empty schemas (a first pass whose document is thrown away); once generated,
    their schemas come from it.
    """

    def __init__(self, batch: PydanticSchemaBatch | None = None) -> None:
        self.definitions: dict[str, dict[str, Any]] = {}
        self.batch = batch

    def schema_of(
        self,
        annotation: Any,
        constraints: Constraints | None = None,
        mode: Mode = "validation",
    ) -> dict[str, Any]:
        """The schema of ``annotation`` read in ``mode`` (``serialization`` for responses);
        its models are added to :attr:`definitions`."""
        batch = self.batch
        if batch is not None:
            if batch.collecting:
                if batch.handles(annotation):
                    batch.add(annotation, mode)
                return {}
            if batch.handles(annotation):
                found = batch.schema(annotation, mode)
                if found is not None:
                    return _drop_null_defaults(found)
        try:
            try:
                if constraints is None:
                    schema, definitions = json_schema(annotation, ref_template=_REF_TEMPLATE)
                else:
                    schema, definitions = json_schema(
                        annotation, ref_template=_REF_TEMPLATE, constraints=constraints
                    )
            except KeyError:
                # pydantic spells the placeholder ``{model}``; an adapter that passes the
                # template through unchanged needs that spelling.
                schema, definitions = json_schema(annotation, ref_template=_PYDANTIC_TEMPLATE)
            if find_adapter(annotation) is not None and "$ref" not in schema:
                schema = self._referenced(annotation, schema, definitions)
        except (TypeError, ValueError):
            # A type no schema library can describe (an arbitrary class): accept anything.
            return {}
        for name, definition in definitions.items():
            self.definitions.setdefault(name, _drop_null_defaults(definition))
        return in_pydantic_order(_drop_null_defaults(dict(schema)))

    def definition(self, name: str) -> dict[str, Any] | None:
        """The component schema ``name`` (the batch's models included), else None."""
        found = self.definitions.get(name)
        if found is None and self.batch is not None:
            found = self.batch.definitions.get(name)
        return found

    def add_batch_definitions(self) -> None:
        """Add the definitions of the batch's models (pydantic's, over any of the same name)."""
        if self.batch is not None:
            for name, definition in self.batch.definitions.items():
                self.definitions[name] = _drop_null_defaults(definition)

    @staticmethod
    def _referenced(
        annotation: Any, schema: dict[str, Any], definitions: dict[str, Any]
    ) -> dict[str, Any]:
        """Adapter libraries inline a top-level model; FastAPI references it instead."""
        title = schema.get("title")
        if not isinstance(title, str) or schema.get("type") != "object":
            return schema
        try:
            wrapped, more = json_schema(list[annotation], ref_template=_REF_TEMPLATE)
        except KeyError:
            wrapped, more = json_schema(list[annotation], ref_template=_PYDANTIC_TEMPLATE)
        item = wrapped.get("items")
        if isinstance(item, dict) and "$ref" in item:
            definitions.update(more)
            return dict(item)
        return schema

    def add_validation_errors(self) -> dict[str, Any]:
        """Register FastAPI's 422 schemas; return the ``HTTPValidationError`` reference."""
        for name, definition in VALIDATION_ERROR_DEFINITIONS.items():
            self.definitions.setdefault(name, definition)
        return {"$ref": REF_PREFIX + "HTTPValidationError"}

    def field_schema(self, field: ParamField) -> dict[str, Any]:
        """A parameter's or body field's schema: type, constraints, title, default, docs."""
        marker = field.marker
        if field.is_file:
            schema: dict[str, Any] = dict(_FILE_SCHEMA)
            if field.is_sequence:
                schema = {"items": schema, "type": "array"}
            if type(None) in get_args(field.annotation):  # an optional file, as FastAPI
                schema = {"anyOf": [schema, {"type": "null"}]}
        else:
            schema = self.schema_of(self._documented_annotation(field), _constraints(marker))
        # pydantic's order (FastAPI's text where its models keep it), the title at the end
        # unless given (FastAPI sets it last); a parameter model's fields carry the default
        # title as if given
        if marker.title and marker.title not in (field_title(field.key), field_title(field.name)):
            schema["title"] = marker.title
        if marker.description:
            schema["description"] = marker.description
        if marker.deprecated:
            schema["deprecated"] = True
        if marker.examples:
            schema["examples"] = jsonable_encoder(marker.examples)
        if callable(marker.json_schema_extra):  # pydantic's rule: it edits the schema
            marker.json_schema_extra(schema)
        elif marker.json_schema_extra:
            schema.update(jsonable_encoder(marker.json_schema_extra))
        if _has_default(field):
            schema["default"] = jsonable_encoder(field.default)
        if "$ref" not in schema:
            schema["title"] = marker.title or field_title(field.key)
        return schema

    def _documented_annotation(self, field: ParamField) -> Any:
        """The field's annotation, with its marker's ``discriminator`` (``Body(discriminator=
        ...)``) attached: pydantic documents the union as ``oneOf`` then."""
        discriminator = field.marker.pydantic_options.get("discriminator")
        if discriminator is None:
            return field.annotation

        return self.stable(
            field,
            lambda: pydantic_field(field.annotation, options={"discriminator": discriminator}),
        )

    def stable(self, owner: object, make: Callable[[], Any]) -> Any:
        """``make()``, once per ``owner`` for the document (see ``PydanticSchemaBatch``)."""
        return self.batch.stable(owner, make) if self.batch is not None else make()

    def parameter(self, field: ParamField) -> dict[str, Any]:
        """The OpenAPI Parameter Object of a path, query, header or cookie parameter."""
        marker = field.marker
        parameter: dict[str, Any] = {
            "name": field.key,
            "in": field.source.value,
            "required": field.required,
            "schema": self.field_schema(field),
        }
        if marker.description:
            parameter["description"] = marker.description
        example = getattr(marker, "example", Required)
        if marker.openapi_examples:
            parameter["examples"] = jsonable_encoder(marker.openapi_examples)
        elif example is not Required and example is not None:  # deprecated example=
            parameter["example"] = jsonable_encoder(example)
        if marker.deprecated:
            parameter["deprecated"] = True
        return parameter
