"""The schemas of a document's pydantic-typed fields, generated together as FastAPI does.

One pydantic ``GenerateJsonSchema`` run covers every field of the document: request fields
(parameters, bodies) in ``validation`` mode, responses in ``serialization`` mode. Pydantic then
names a model whose two schemas differ (computed fields, serializers...) ``Model-Input`` and
``Model-Output``, and keeps plain ``Model`` when they are the same. With
``separate_input_output_schemas=False`` every field is read in ``validation`` mode, except those
whose models have computed fields (only the serialization schema shows them).

The document is built in two passes over the routes: the first only records the fields
(:meth:`PydanticSchemaBatch.add`), :meth:`PydanticSchemaBatch.generate` runs pydantic once, the
second reads each field's schema (:meth:`PydanticSchemaBatch.schema`).
"""

from __future__ import annotations

import copy
import dataclasses
import warnings
from collections.abc import Callable
from enum import Enum
from typing import Any, Literal, get_args, get_origin

from fasterapi_core.validation.adapters import (
    PydanticAdapter,
    _fastapi_schema_generator,  # FastAPI's generator: bytes as contentMediaType
    find_adapter,
)

__all__ = ["Mode", "PydanticSchemaBatch"]

Mode = Literal["validation", "serialization"]
_REF_TEMPLATE = "#/components/schemas/{model}"


def _key(annotation: Any) -> Any:
    """A dictionary key for ``annotation``: itself when hashable, else its identity."""
    try:
        hash(annotation)
    except TypeError:
        return ("id", id(annotation))
    return ("annotation", annotation)


def has_computed_fields(annotation: Any, seen: set[int] | None = None) -> bool:
    """True when ``annotation`` holds a pydantic model or dataclass with computed fields."""
    seen = set() if seen is None else seen
    if id(annotation) in seen:
        return False
    seen.add(id(annotation))
    decorators = getattr(annotation, "__pydantic_decorators__", None)
    if isinstance(annotation, type) and decorators is not None:
        if decorators.computed_fields:
            return True
        fields = getattr(annotation, "__pydantic_fields__", None) or {}
        return any(has_computed_fields(f.annotation, seen) for f in fields.values())
    if dataclasses.is_dataclass(annotation) and isinstance(annotation, type):
        return any(has_computed_fields(f.type, seen) for f in dataclasses.fields(annotation))
    return any(has_computed_fields(arg, seen) for arg in get_args(annotation))


def flat_models(annotation: Any) -> list[type]:
    """The pydantic models and enums ``annotation`` reaches through models' fields and type
    arguments (FastAPI's "flat models"; pydantic dataclasses are not looked into)."""
    found: dict[type, None] = {}

    def visit_field(annotation: Any) -> None:
        if _is_model(annotation):
            if annotation not in found:
                found[annotation] = None
                visit_model(annotation)
        elif isinstance(annotation, type) and issubclass(annotation, Enum):
            found[annotation] = None
        else:
            visit_arguments(annotation)

    def visit_model(model: Any) -> None:
        for field in model.model_fields.values():
            visit_field(field.annotation)

    def visit_arguments(annotation: Any) -> None:
        if get_origin(annotation) is None:
            return
        for argument in get_args(annotation):
            if _is_model(argument) or (isinstance(argument, type) and issubclass(argument, Enum)):
                if argument not in found:
                    found[argument] = None
                    if _is_model(argument):
                        visit_model(argument)
            else:
                visit_arguments(argument)

    visit_field(annotation)
    return list(found)


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and isinstance(
        getattr(annotation, "model_fields", None), dict
    )


class PydanticSchemaBatch:
    """Records a document's pydantic-typed fields, then generates all their schemas at once."""

    def __init__(self, separate_input_output_schemas: bool = True) -> None:
        self.separate_input_output_schemas = separate_input_output_schemas
        self.collecting = True
        self.definitions: dict[str, dict[str, Any]] = {}
        self._inputs: dict[tuple[Any, Mode], Any] = {}  # (key, mode) -> core schema
        self._schemas: dict[tuple[Any, Mode], dict[str, Any]] = {}
        self._made: dict[int, tuple[object, Any]] = {}
        self._fields: list[tuple[Any, Mode]] = []

    def stable(self, owner: object, make: Callable[[], Any]) -> Any:
        """``make()``, made once per ``owner`` for this document: an annotation built for a
        field (with its ``discriminator``) is then the same object in both passes."""
        found = self._made.get(id(owner))
        if found is None:
            found = self._made[id(owner)] = (owner, make())
        return found[1]

    @staticmethod
    def handles(annotation: Any) -> bool:
        """True when pydantic describes ``annotation`` (it holds a pydantic model)."""
        return isinstance(find_adapter(annotation), PydanticAdapter)

    def _mode(self, annotation: Any, mode: Mode) -> Mode:
        if self.separate_input_output_schemas or has_computed_fields(annotation):
            return mode
        return "validation"

    def add(self, annotation: Any, mode: Mode) -> None:
        """Record a field typed ``annotation``, read in ``mode`` (first pass)."""
        self._fields.append((annotation, mode))
        self._add_input(annotation, self._mode(annotation, mode))

    def _add_input(self, annotation: Any, mode: Mode) -> None:
        entry = (_key(annotation), mode)
        if entry in self._inputs:
            return
        import pydantic

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self._inputs[entry] = pydantic.TypeAdapter(annotation).core_schema
        except Exception:  # pydantic cannot build it: the field's own schema path applies
            return

    def generate(self) -> None:
        """Run pydantic's generator once over every recorded field."""
        self.collecting = False
        if not self._inputs:
            return
        # FastAPI also describes every model and enum the fields reach, each on its own in
        # the mode of the fields reaching it (without separate schemas: validation, unless it
        # has computed fields): a nested model can then have both schemas.
        field_types = {_key(annotation) for annotation, _ in self._fields}
        for annotation, mode in list(self._fields):
            for model in flat_models(annotation):
                if _key(model) not in field_types:
                    self._add_input(model, self._mode(model, mode))
        generator = _fastapi_schema_generator()(ref_template=_REF_TEMPLATE)
        inputs = [(key, mode, core) for (key, mode), core in self._inputs.items()]
        try:
            mapping, definitions = generator.generate_definitions(inputs=inputs)
        except Exception:  # a type pydantic cannot describe: each field's own schema path
            return
        self._schemas = dict(mapping)
        for name, definition in definitions.items():
            description = definition.get("description")
            if isinstance(description, str):  # FastAPI: what follows a form feed is private
                definition["description"] = description.split("\f")[0]
            self.definitions[name] = definition

    def schema(self, annotation: Any, mode: Mode) -> dict[str, Any] | None:
        """A copy of the schema of a field typed ``annotation`` read in ``mode`` (second
        pass), or None when the batch has none (the caller describes it alone)."""
        found = self._schemas.get((_key(annotation), self._mode(annotation, mode)))
        return copy.deepcopy(found) if found is not None else None
