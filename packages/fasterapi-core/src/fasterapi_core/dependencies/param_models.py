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

__all__ = [
    "model_extra_policy",
    "model_members",
    "model_validator",
    "read_model",
]

_MARKERS: dict[ParamSource, type[Param]] = {
    ParamSource.QUERY: Query,
    ParamSource.HEADER: Header,
    ParamSource.COOKIE: Cookie,
    ParamSource.FORM: Form,
}
_BOUNDS = ("gt", "ge", "lt", "le", "multiple_of", "min_length", "max_length", "pattern")


Member = tuple[str, tuple[tuple[str, bool], ...], Any, Any, Any, dict[str, Any]]
"""``(name, names the model accepts in order (each with whether a header model converts its
underscores), annotation, default or Required, default factory or None, marker keywords)``
of a model field."""


def _pydantic_names(model: Any, name: str, info: Any) -> tuple[tuple[str, bool], ...]:
    """FastAPI's order of the names a pydantic field is read under, each with whether a
    header model converts its underscores: its validation alias (each of ``AliasChoices``
    of names, taken literally), then the field name when the model validates by name; only
    the name with ``validate_by_alias=False``."""
    config = model.model_config
    va = info.validation_alias
    choices = getattr(va, "choices", None)
    names: list[tuple[str, bool]]
    if isinstance(va, str) and va:
        names = [(va, va == name)]
    elif choices is not None and all(isinstance(c, str) for c in choices):
        names = [(choice, False) for choice in choices]
    else:
        names = [(info.alias or name, (info.alias or name) == name)]
    if config.get("validate_by_alias") is False:
        return ((name, True),)
    by_name = config.get("validate_by_name", config.get("populate_by_name", False))
    if by_name and name not in [n for n, _ in names]:
        names.append((name, True))
    return tuple(names)


def _pydantic_members(model: Any) -> list[Member]:
    out: list[Member] = []
    for name, info in model.model_fields.items():
        keywords: dict[str, Any] = {"description": info.description, "title": info.title}
        for item in info.metadata:
            for bound in _BOUNDS:
                value = getattr(item, bound, None)
                if value is not None:
                    keywords[bound] = value
        default: Any = Required
        factory = None
        if info.default_factory is not None:  # called per request, as pydantic does
            factory = info.default_factory
        elif not info.is_required():
            default = info.default
        names = _pydantic_names(model, name, info)
        out.append((name, names, info.annotation, default, factory, keywords))
    return out


def _struct_members(model: type[msgspec.Struct]) -> list[Member]:
    out: list[Member] = []
    for f in msgspec.structs.fields(model):
        default: Any = Required
        factory = None
        if f.default is not msgspec.NODEFAULT:
            default = f.default
        elif f.default_factory is not msgspec.NODEFAULT:
            factory = f.default_factory
        out.append(
            (f.name, ((f.encode_name, f.encode_name == f.name),), f.type, default, factory, {})
        )
    return out


def _dataclass_members(model: Any) -> list[Member]:
    hints = typing.get_type_hints(model, include_extras=True)
    out: list[Member] = []
    for d in dataclasses.fields(model):
        default: Any = Required
        factory = None
        if d.default is not dataclasses.MISSING:
            default = d.default
        elif d.default_factory is not dataclasses.MISSING:
            factory = d.default_factory
        out.append((d.name, ((d.name, True),), hints.get(d.name, Any), default, factory, {}))
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


def model_extra_policy(model: Any) -> bool:
    """True when the model sees keys it does not declare: pydantic's ``extra="allow"`` or
    ``"forbid"``, a Struct with ``forbid_unknown_fields``."""
    config = getattr(model, "model_config", None)
    if isinstance(config, dict):
        return config.get("extra") in ("allow", "forbid")
    config = getattr(model, "__struct_config__", None)
    return bool(getattr(config, "forbid_unknown_fields", False))


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
    for _name, named, member_annotation, default, factory, keywords in fields:
        names = tuple(n for n, _ in named)
        keys = tuple(
            n.replace("_", "-") if convert and convertible else n for n, convertible in named
        )
        if not keywords.get("title"):  # titled by the first name read, as FastAPI does
            keywords["title"] = names[0].title().replace("_", " ")
        required = default is Required and factory is None
        keywords["include_in_schema"] = marker.include_in_schema  # a hidden model's fields
        member_marker = _MARKERS[source](default, **keywords)
        where = "body" if source is ParamSource.FORM else source.value
        validator = ScalarValidator(member_annotation, loc=(where, keys[0]))
        member = ParamField(
            name=names[0],
            key=keys[0],
            source=source,
            annotation=member_annotation,
            marker=member_marker,
            required=required,
            default=None if default is Required else default,
            default_factory=factory,
            validator=validator,
            is_sequence=validator.is_sequence,
        )
        member.choices = tuple(zip(names, keys, (None,) * len(names), strict=True))
        members.append(member)
    return members


def model_validator(annotation: Any, source: ParamSource) -> BodyValidator:
    """Validates the dict of collected members (errors at ``(source, data key)``; a form
    model's at ``("body", data key)``)."""
    return BodyValidator(annotation, loc=("body" if source is ParamSource.FORM else source.value,))


def _extras(container: Any, processed: set[str]) -> dict[str, Any]:
    """The request's other keys, a repeated one as a list (FastAPI passes them to models)."""
    items = container.multi_items() if hasattr(container, "multi_items") else container.items()
    grouped: dict[str, list[Any]] = {}
    for key, value in items:
        if key not in processed:
            grouped.setdefault(key, []).append(value)
    return {key: values[0] if len(values) == 1 else values for key, values in grouped.items()}


def read_model(
    field: ParamField,
    getter: Callable[[str], Any],
    list_getter: Callable[[str], list[Any]] | None,
) -> tuple[Any, list[dict[str, Any]] | None]:
    """Collect ``field``'s members from the request and validate the model, as FastAPI:
    each member under the first of its names sent, the other keys when the model takes
    extras, None for an optional model when none of its names is sent."""
    assert field.members is not None
    is_header = field.source is ParamSource.HEADER
    data: dict[str, Any] = {}
    processed: set[str] = set()
    renamed: dict[str, str] = {}
    sent_own = False
    for member in field.members:
        assert member.choices is not None
        chosen = member.choices[0]
        for choice in member.choices:
            if getter(choice[1]) is not None:
                chosen, sent_own = choice, True
                break
        name, key, _ = chosen
        if member.is_sequence and list_getter is not None:
            values = list_getter(key)
            if values:
                data[name] = values
        else:
            value = getter(key)
            if value is not None:
                data[name] = value
        if is_header:  # a field's own name is not an extra header, an unused choice is
            processed.add(key.lower())
            processed.update(n.lower() for n, k, _ in member.choices if n != k)
            if name != key:
                renamed[name] = key
        else:
            processed.add(key)
    container = getattr(getter, "__self__", None)  # the query params, headers, cookies
    if container is not None:  # the model sees (and reports as its input) every other key
        data.update(_extras(container, processed))
    if field.optional_model and not sent_own and not (field.extra_policy and data):
        if field.required:
            return None, [_missing((field.source.value,))]
        return field.absent_value()
    value, problems = field.validator.validate_python(data)
    if not problems:
        return value, None
    model = getattr(field.validator, "annotation", None)
    if not getattr(strip_none(model), "model_config", {}).get("loc_by_alias", True):
        renamed = {}
    for problem in problems:  # locate errors at the request's names (header "x-token")
        loc = problem.get("loc")
        if isinstance(loc, list | tuple) and len(loc) > 1 and loc[1] in renamed:
            problem["loc"] = [loc[0], renamed[loc[1]], *loc[2:]]
    return None, problems


def strip_none(annotation: Any) -> Any:
    """``Model | None`` → ``Model``."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    return args[0] if len(args) == 1 else annotation


def _missing(loc: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "missing", "loc": loc, "msg": "Field required", "input": None}
