"""The request body schema of a form holding form models or unions of them, as FastAPI
0.165 documents it: the form's other fields as ``properties``, each model (or union) as an
``allOf`` condition, an optional one as "absent, or the model" (no field of it sent)."""

from __future__ import annotations

import copy
from typing import Any

from fasterapi_core.dependencies import ParamField
from fasterapi_core.dependencies.param_models import model_extra_policy
from fasterapi_core.validation.fallback import pydantic_field
from fasterapi_routing.openapi.schemas import SchemaCollector, field_title

__all__ = ["form_body", "is_form_model"]


def is_form_model(field: ParamField) -> bool:
    """True for a form model or a union of form models (the whole form is theirs)."""
    return field.members is not None or field.branches is not None


def form_body(
    collector: SchemaCollector, fields: list[ParamField], embed: bool, name: str
) -> tuple[dict[str, Any], bool] | None:
    """``(schema, required)`` of the body, or None when no form model needs FastAPI's form
    schema (the caller's general path applies)."""
    models = [field for field in fields if is_form_model(field)]
    if not models:
        return None
    if not embed and not models[0].optional_model:
        if not models[0].marker.pydantic_options:
            return None
        return model_schema(collector, models[0]), models[0].required
    properties: dict[str, Any] = {}
    required: list[str] = []
    conditions: list[dict[str, Any]] = []
    for field in fields:
        if not is_form_model(field):
            schema = collector.field_schema(field)
            if field.key in properties:
                conditions.append({"properties": {field.key: schema}})
            else:
                properties[field.key] = schema
            if field.required and field.key not in required:
                required.append(field.key)
            continue
        schema = model_schema(collector, field)
        schema.pop("default", None)
        if field.optional_model:  # an absent group of fields, not a null body
            schema["anyOf"] = [c for c in schema.get("anyOf", []) if c.get("type") != "null"]
            absent = _absent(field)
            if field.required:
                conditions.append({"not": absent})
            else:
                schema = {"anyOf": [absent, schema]}
        conditions.append(schema)
    definition: dict[str, Any] = {"type": "object", "title": name}
    if properties:
        definition["properties"] = properties
    if required:
        definition["required"] = required
    definition["allOf"] = conditions
    collector.definitions[name] = definition
    is_required = any(field.required for field in fields) if embed else fields[0].required
    return {"$ref": "#/components/schemas/" + name}, is_required


def model_schema(collector: SchemaCollector, field: ParamField) -> dict[str, Any]:
    """A form model's (or union's) schema, its ``discriminator`` and title included."""
    options = field.marker.pydantic_options
    annotation = field.annotation
    if options:  # one object for both passes (the batch's key)
        annotation = collector.stable(
            field, lambda: pydantic_field(field.annotation, options=options)
        )
    schema = dict(collector.schema_of(annotation))
    if field.members is not None:
        schema = _with_form_names(collector, field, schema)
    if "$ref" not in schema:
        schema["title"] = field.marker.title or field_title(field.name)
    return schema


def _with_form_names(
    collector: SchemaCollector, field: ParamField, schema: dict[str, Any]
) -> dict[str, Any]:
    """A model whose fields a form reads under other names than its schema's (an alias
    and, by ``populate_by_name``, the field name): its schema inlined with the form's names,
    a field required under one of several names as ``anyOf`` of each (FastAPI's rule)."""
    ref = schema.get("$ref") or next(
        (c["$ref"] for c in schema.get("anyOf", ()) if isinstance(c, dict) and "$ref" in c), None
    )
    model = collector.definition(ref.rsplit("/", 1)[-1]) if isinstance(ref, str) else None
    if model is None:
        return schema
    properties = model.get("properties", {})
    required = model.get("required", [])
    renamed: dict[str, list[str]] = {}
    for member in field.members or ():
        names = [choice for choice, _, _ in member.choices or ((member.name, member.key, None),)]
        shown = _schema_name(member)
        if shown in properties and (names[0] != shown or (len(names) > 1 and shown in required)):
            renamed[shown] = names
    if not renamed:
        return schema
    inlined = copy.deepcopy(model)
    inlined["properties"] = {renamed.get(k, [k])[0]: v for k, v in properties.items()}
    inlined["required"] = []
    for name in required:
        names = renamed.get(name, [name])
        if len(names) == 1:
            inlined["required"].append(names[0])
        else:
            inlined.setdefault("allOf", []).append({"anyOf": [{"required": [n]} for n in names]})
    if "$ref" in schema:
        return inlined
    schema["anyOf"] = [inlined if c.get("$ref") == ref else c for c in schema["anyOf"]]
    return schema


def _schema_name(member: ParamField) -> str:
    """The name pydantic's schema gives a model field (its first alias choice, its alias)."""
    info_alias = member.choices[0][0] if member.choices else member.name
    return info_alias


def _absent(field: ParamField) -> dict[str, Any]:
    """No field of the model sent: nothing at all when a model takes extra keys."""
    branches = field.branches or [(None, field.members or [])]
    if field.extra_policy or any(model_extra_policy(model) for model, _ in branches):
        return {"maxProperties": 0}
    names = sorted(
        {
            choice
            for _, members in branches
            for member in members
            for choice, _, _ in member.choices or ((member.name, member.key, None),)
        }
    )
    return {"not": {"anyOf": [{"required": [n]} for n in names]}} if names else {}
