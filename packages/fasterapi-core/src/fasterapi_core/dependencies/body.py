"""Reading the request body once per request for every body, form and file parameter."""

from __future__ import annotations

from typing import Any

from fasterapi_core.datastructures import UploadFile
from fasterapi_core.dependencies.aliases import embedded_choice
from fasterapi_core.dependencies.analysis import needs_embedding, rebuild_body_field
from fasterapi_core.dependencies.form_unions import (
    form_model_data,
    grouped_form,
    member_value,
    model_supplied,
)
from fasterapi_core.dependencies.models import ParamField
from fasterapi_core.dependencies.solver import SolveContext, missing_error
from fasterapi_core.exceptions import RequestValidationError
from fasterapi_core.params import ParamSource
from fasterapi_core.received_bytes import ReceivedBytes
from fasterapi_core.requests import Request
from fasterapi_core.types import Scope
from fasterapi_core.validation import decode_json

__all__ = [
    "BodyPlan",
    "content_type_of",
    "distinct_body_fields",
    "is_json_content_type",
    "json_body_shown",
    "override_body_fields",
    "read_single_body",
    "single_body_value",
]


def is_json_content_type(content_type: str | None, *, strict: bool = True) -> bool:
    """FastAPI's rule: ``application/json`` or ``application/*+json``; no content type at all
    only when not ``strict`` (``strict_content_type=False``)."""
    if not content_type:
        return not strict
    known = _JSON_TYPES.get(content_type)
    if known is not None:
        return known
    main = content_type.split(";", 1)[0].strip().lower()
    subtype = main[len("application/") :] if main.startswith("application/") else None
    result = subtype is not None and (subtype == "json" or subtype.endswith("+json"))
    if len(_JSON_TYPES) < 256:  # clients send few distinct values; bound the cache anyway
        _JSON_TYPES[content_type] = result
    return result


_JSON_TYPES: dict[str, bool] = {}


def content_type_of(scope: Scope) -> str | None:
    """The request's content type, read straight from the scope (ASGI names are lowercase)."""
    for key, value in scope.get("headers", ()):
        if key == b"content-type":
            text: str = value.decode("latin-1")
            return text
    return None


def read_single_body(
    field: ParamField, body: bytes, content_type: str | None, strict: bool = True
) -> tuple[Any, list[dict[str, Any]] | None, Any]:
    """``(value, None, None)`` for the single body parameter ``field``, or ``(None, errors,
    body as shown in the 422)``. A body that is not valid JSON raises at once."""
    if not body:
        if field.required:
            return None, [missing_error(("body",))], None
        value, problems = field.absent_value()
        return value, problems, None
    if is_json_content_type(content_type, strict=strict):
        value, problems = field.validator.validate_json(body)
        if problems:
            return None, problems, json_body_shown(problems, body)
        return value, None, None
    text = body.decode("utf-8", "replace")
    value, problems = field.validator.validate_python(text)
    if problems:
        return None, problems, text
    if type(value) is bytes:  # JSON responses write it as text, as FastAPI (received_bytes)
        value = ReceivedBytes(value)
    return value, None, None


def json_body_shown(problems: list[dict[str, Any]], body: bytes) -> Any:
    """The body a 422 for the JSON ``body`` shows (decoded again: the rare error path); a body
    that is not valid JSON raises its error at once."""
    if problems[0].get("type") == "json_invalid":  # FastAPI's body is then the JSON text
        raise RequestValidationError(problems, body=body.decode("utf-8", "replace"))
    return decode_json(body)[0]


def single_body_value(
    field: ParamField, body: bytes, content_type: str | None, strict: bool = True
) -> Any:
    """The value of ``field`` read by :func:`read_single_body`, or the 422 raised."""
    value, problems, shown = read_single_body(field, body, content_type, strict)
    if problems:
        raise RequestValidationError(problems, body=shown)
    return value


def _read_form_model(field: ParamField, form: Any, ctx: SolveContext) -> None:
    """A form model, or a union of them (see ``form_unions``); an optional one the form
    does not mention is its default."""
    branches = field.branches
    if branches is None:
        assert field.members is not None
        branches = [(None, field.members)]
    if field.optional_model and not (
        model_supplied(branches, form) or (field.extra_policy and form)
    ):
        if field.required:
            ctx.errors.append(missing_error(("body",)))
            return
        value, problems = field.absent_value()
    else:
        members = field.members
        data = grouped_form(form) if members is None else form_model_data(members, form)
        value, problems = field.validator.validate_python(data)
    if problems:
        ctx.errors.extend(problems)
    else:
        ctx.body_values[field.body_key] = value


def distinct_body_fields(dependants: list[Any]) -> list[ParamField]:
    """The body parameters of a dependency graph, one per name and type: a parameter seen
    again (a shared ``Form()``) is read once; a same-named one of another type (FastAPI
    reads each dependency's own) is kept too, under its own ``body_key``."""
    out: list[ParamField] = []
    for item in dependants:
        for field in item.body_params:
            same = [f for f in out if f.name == field.name]
            match = next((f for f in same if _same_body_field(f, field)), None)
            if match is not None:
                field.body_key = match.body_key
                continue
            if same:
                field.body_key = f"{field.name}\x00{len(same)}"
            out.append(field)
    return out


def override_body_fields(plan: BodyPlan | None, dependant: Any) -> list[ParamField]:
    """The body parameters of an override's ``dependant`` the route's ``plan`` does not
    read (each under its own ``body_key``); those it reads share the route's values."""
    known = plan.fields if plan is not None else []
    added: list[ParamField] = []
    for item in dependant.walk():
        for field in item.body_params:
            match = next((f for f in known if _same_body_field(f, field)), None)
            if match is not None:
                field.body_key = match.body_key
            else:
                field.body_key = f"{field.name}\x00override{id(field)}"
                added.append(field)
    return added


def _same_body_field(a: ParamField, b: ParamField) -> bool:
    try:
        same_type = bool(a.annotation == b.annotation)
    except Exception:  # an annotation that cannot be compared: the same object only
        same_type = a.annotation is b.annotation
    return same_type and a.source is b.source and a.key == b.key


class BodyPlan:
    """How a route reads its body: one JSON value, JSON keyed by field name, or a form."""

    __slots__ = ("embed", "fields", "is_form", "single", "strict_content_type")

    def __init__(self, fields: list[ParamField], *, embed: bool | None = None) -> None:
        """``embed``: keyed by name or not as decided for the route (an override's fields),
        else FastAPI's rule for ``fields``."""
        self.embed = needs_embedding(fields) if embed is None else embed
        self.fields = [rebuild_body_field(field, embed=self.embed) for field in fields]
        for rebuilt, field in zip(self.fields, fields, strict=True):
            rebuilt.body_key = field.body_key
        self.is_form = any(f.source in (ParamSource.FORM, ParamSource.FILE) for f in fields)
        self.single = None if self.embed or self.is_form else self.fields[0]
        self.strict_content_type = True
        """A body without ``Content-Type`` is not JSON (FastAPI's default); the route's
        ``strict_content_type=False`` reads it as JSON."""

    def without(self, body_keys: frozenset[str]) -> BodyPlan:
        """This plan less the fields kept under ``body_keys`` (those of overridden
        dependencies), its embedding as declared (FastAPI decides it for the route)."""
        plan = object.__new__(BodyPlan)
        plan.embed, plan.is_form = self.embed, self.is_form
        plan.strict_content_type = self.strict_content_type
        plan.fields = [field for field in self.fields if field.body_key not in body_keys]
        single = self.single
        plan.single = None if single is None or single.body_key in body_keys else single
        return plan

    def absent(self, ctx: SolveContext) -> None:
        """Fill ``ctx.body_values`` as for a request without a body (the route reads none:
        FastAPI's defaults and missing errors for an override's body parameters)."""
        for field in self.fields:
            if field.required:
                loc = ("body",) if self.single is not None else ("body", field.key)
                ctx.errors.append(missing_error(loc))
                continue
            value, problems = field.absent_value()
            if problems:
                ctx.errors.extend(problems)
            else:
                ctx.body_values[field.body_key] = value

    async def read(self, request: Request, ctx: SolveContext) -> None:
        """Fill ``ctx.body_values``; a body that is not valid JSON is rejected at once."""
        if self.is_form:
            await self._read_form(request, ctx)
            return
        body = await request.body()
        content_type = content_type_of(request.scope)
        if self.single is not None:
            field = self.single
            value, problems, shown = read_single_body(
                field, body, content_type, self.strict_content_type
            )
            if problems:
                ctx.body = shown
                ctx.errors.extend(problems)
            else:
                ctx.body_values[field.body_key] = value
            return
        data: Any = None
        is_json = False
        if body:
            is_json = is_json_content_type(content_type, strict=self.strict_content_type)
            if is_json:
                data, errors = decode_json(body)
                if errors:
                    raise RequestValidationError(errors, body=body.decode("utf-8", "replace"))
            else:
                data = body.decode("utf-8", "replace")
        ctx.body = data
        values = ctx.body_values
        is_object = isinstance(data, dict)
        for field in self.fields:
            validator = field.validator
            if field.choices is not None and is_object:
                present, raw, chosen = embedded_choice(field, data)
                validator = chosen or validator
            else:
                raw = data.get(field.key) if is_object else None
                present = raw is not None or (is_object and field.key in data)
            if not present:
                if field.required or (is_json and not is_object):
                    # embedded fields need a JSON object: a list, null, 3... is refused
                    ctx.errors.append(missing_error(("body", field.key)))
                    continue
                value, problems = field.absent_value()
            else:
                value, problems = validator.validate_python(raw)
            if problems:
                ctx.errors.extend(problems)
            else:
                values[field.body_key] = value

    async def _read_form(self, request: Request, ctx: SolveContext) -> None:
        form = await request.form()
        ctx.body = form
        values = ctx.body_values
        for field in self.fields:
            if field.members is not None or field.branches is not None:
                _read_form_model(field, form, ctx)
                continue
            validator = field.validator
            key = field.key
            raw, present = member_value(form, key, field.is_sequence)
            if field.choices is not None:
                for _, choice, chosen in field.choices:
                    raw, present = member_value(form, choice, field.is_sequence)
                    if present:
                        validator, key = chosen, choice
                        break
            if not present:
                if field.required:
                    ctx.errors.append(missing_error(("body", field.key)))
                    continue
                value, problems = field.absent_value()
                if problems:
                    ctx.errors.extend(problems)
                else:
                    values[field.body_key] = value
                continue
            if field.is_file:
                await self._file_value(field, raw, ctx, key)
                continue
            if isinstance(raw, UploadFile) or (
                isinstance(raw, list) and any(isinstance(v, UploadFile) for v in raw)
            ):
                ctx.errors.append(
                    {
                        "type": "string_type",
                        "loc": ("body", field.key),
                        "msg": "Input should be a valid string",
                        "input": None,
                    }
                )
                continue
            value, problems = validator.validate(raw)
            if problems:
                ctx.errors.extend(problems)
            else:
                values[field.body_key] = value

    @staticmethod
    async def _file_value(field: ParamField, raw: Any, ctx: SolveContext, key: str) -> None:
        items = raw if isinstance(raw, list) else [raw]
        out: list[Any] = []
        bad = False
        fail_fast = bool(field.marker.pydantic_options.get("fail_fast"))
        for index, item in enumerate(items):
            if field.file_as_bytes and isinstance(item, str):  # a plain form field: its text
                out.append(ReceivedBytes(item.encode()))
                continue
            if not isinstance(item, UploadFile):
                loc: tuple[str | int, ...] = ("body", key)
                if field.is_sequence:
                    loc = (*loc, index)
                ctx.errors.append(
                    {
                        "type": "value_error",
                        "loc": loc,
                        "msg": f"Value error, Expected UploadFile, received: {type(item)}",
                        "input": item,
                        "ctx": {"error": {}},
                    }
                )
                if fail_fast:  # File(fail_fast=True): the first error only, as pydantic
                    return
                bad = True
                continue
            if field.file_as_bytes:  # read without moving it: a File() may share the upload
                position = item.file.tell()
                out.append(await item.read())
                await item.seek(position)
            else:
                out.append(item)
        if bad:
            return
        ctx.body_values[field.body_key] = out if field.is_sequence else out[0]
