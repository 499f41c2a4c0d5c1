"""Parameter models: ``filters: Annotated[Filters, Query()]`` (likewise ``Header()`` and
``Cookie()``) reads each field of the model from the query string (headers, cookies) and
validates the model as a whole, as FastAPI does since 0.115.

The model may be a pydantic model, a ``msgspec.Struct`` or a dataclass. Its fields are found
once, at registration, as member :class:`ParamField` objects (their request keys, whether
they repeat, their OpenAPI documentation); a request costs one lookup per field and one
validation of the collected dict. Errors are located at ``(source, key)`` of the member.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable
from typing import Any

import msgspec

from fasterapi_core.dependencies.models import ParamField
from fasterapi_core.params import Cookie, Form, Header, Param, ParamSource, Query, Required
from fasterapi_core.validation import BodyValidator, ScalarValidator

__all__ = ["model_members", "read_model"]

_MARKERS: dict[ParamSource, type[Param]] = {
    ParamSource.QUERY: Query,
    ParamSource.HEADER: Header,
    ParamSource.COOKIE: Cookie,
    ParamSource.FORM: Form,
}
_BOUNDS = ("gt", "ge", "lt", "le", "multiple_of", "min_length", "max_length", "pattern")


Member = tuple[str, str | None, Any, Any, dict[str, Any]]
"""``(name, alias, annotation, default or Required, marker keywords)`` of a model field."""


def _pydantic_members(model: Any) -> list[Member]:
    out: list[Member] = []
    for name, info in model.model_fields.items():
        keywords: dict[str, Any] = {"description": info.description, "title": info.title}
        for item in info.metadata:
            for bound in _BOUNDS:
                value = getattr(item, bound, None)
                if value is not None:
                    keywords[bound] = value
        if info.is_required():
            default: Any = Required
        else:
            default = info.get_default(call_default_factory=True)
        out.append((name, info.alias, info.annotation, default, keywords))
    return out


def _struct_members(model: type[msgspec.Struct]) -> list[Member]:
    out: list[Member] = []
    for f in msgspec.structs.fields(model):
        if f.default is not msgspec.NODEFAULT:
            default: Any = f.default
        elif f.default_factory is not msgspec.NODEFAULT:
            default = f.default_factory()
        else:
            default = Required
        alias = f.encode_name if f.encode_name != f.name else None
        out.append((f.name, alias, f.type, default, {}))
    return out


def _dataclass_members(model: Any) -> list[Member]:
    hints = typing.get_type_hints(model, include_extras=True)
    out: list[Member] = []
    for d in dataclasses.fields(model):
        if d.default is not dataclasses.MISSING:
            default: Any = d.default
        elif d.default_factory is not dataclasses.MISSING:
            default = d.default_factory()
        else:
            default = Required
        out.append((d.name, None, hints.get(d.name, Any), default, {}))
    return out


def _model_fields(model: Any) -> list[Member] | None:
    """The fields of a pydantic model, Struct or dataclass; None for anything else."""
    if not isinstance(model, type):
        return None
    if isinstance(getattr(model, "model_fields", None), dict) and hasattr(model, "model_validate"):
        return _pydantic_members(model)
    if issubclass(model, msgspec.Struct):
        return _struct_members(model)
    if dataclasses.is_dataclass(model):
        return _dataclass_members(model)
    return None


def model_members(annotation: Any, marker: Param) -> list[ParamField] | None:
    """The member fields of a query, header, cookie or form parameter model, else None."""
    source = marker.source
    if source not in _MARKERS:
        return None
    fields = _model_fields(annotation)
    if fields is None:
        return None
    convert = isinstance(marker, Header) and marker.convert_underscores
    members = []
    for name, alias, member_annotation, default, keywords in fields:
        data_key = alias or name
        key = alias or (name.replace("_", "-") if convert else name)
        if not keywords.get("title"):  # titled by the Python name, as pydantic does
            keywords["title"] = name.replace("_", " ").title()
        member_marker = _MARKERS[source](default, **keywords)
        where = "body" if source is ParamSource.FORM else source.value
        validator = ScalarValidator(member_annotation, loc=(where, key))
        members.append(
            ParamField(
                name=data_key,
                key=key,
                source=source,
                annotation=member_annotation,
                marker=member_marker,
                required=default is Required,
                default=None if default is Required else default,
                default_factory=None,
                validator=validator,
                is_sequence=validator.is_sequence,
            )
        )
    return members


def model_validator(annotation: Any, source: ParamSource) -> BodyValidator:
    """Validates the dict of collected members (errors at ``(source, data key)``; a form
    model's at ``("body", data key)``)."""
    return BodyValidator(annotation, loc=("body" if source is ParamSource.FORM else source.value,))


def read_model(
    field: ParamField,
    getter: Callable[[str], Any],
    list_getter: Callable[[str], list[Any]] | None,
) -> tuple[Any, list[dict[str, Any]] | None]:
    """Collect ``field``'s members from the request and validate the model."""
    assert field.members is not None
    data: dict[str, Any] = {}
    for member in field.members:
        if member.is_sequence and list_getter is not None:
            values = list_getter(member.key)
            if values:
                data[member.name] = values
        else:
            value = getter(member.key)
            if value is not None:
                data[member.name] = value
    value, problems = field.validator.validate_python(data)
    if not problems:
        return value, None
    keys = {member.name: member.key for member in field.members}
    for problem in problems:  # locate errors at the request's names (header "x-token")
        loc = problem.get("loc")
        if isinstance(loc, list | tuple) and len(loc) > 1 and loc[1] in keys:
            problem["loc"] = [loc[0], keys[loc[1]], *loc[2:]]
    return None, problems
