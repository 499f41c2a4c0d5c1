"""One request-sourced parameter (path, query, header, cookie, body, form, file) compiled
into a :class:`ParamField`: its request key(s), its validator, how it is read."""

from __future__ import annotations

import types
import typing
from typing import Any, Union

from fasterapi_core.datastructures import UploadFile
from fasterapi_core.dependencies.aliases import choice_fields, read_choices
from fasterapi_core.dependencies.form_unions import form_union
from fasterapi_core.dependencies.models import ParamField
from fasterapi_core.dependencies.param_models import (
    model_extra_policy,
    model_members,
    model_validator,
    read_model,
)
from fasterapi_core.params import Header, Param, ParamSource, Required
from fasterapi_core.received_bytes import ReceivedBytes
from fasterapi_core.validation import BodyValidator, Constraints, ScalarValidator
from fasterapi_core.validation.adapters import (
    is_model_annotation,
    is_plain_scalar_annotation,
    is_scalar_annotation,
)
from fasterapi_core.validation.fallback import PydanticFieldValidator

__all__ = ["file_shape", "make_field", "path_choice", "strip_optional"]

_NONE_TYPES = (type(None),)


def strip_optional(annotation: Any) -> Any:
    """``X | None`` → ``X``; any other annotation as it is."""
    origin = typing.get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        args = [a for a in typing.get_args(annotation) if a not in _NONE_TYPES]
        if len(args) == 1:
            return args[0]
    return annotation


def _bare(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _model_type(annotation: Any) -> Any:
    """The class of a (possibly ``Annotated``, possibly optional) parameter model; None for
    ``Json[Model]``, one value holding JSON text (as in FastAPI)."""
    if typing.get_origin(annotation) is typing.Annotated and any(
        type(item).__name__ == "Json" for item in annotation.__metadata__
    ):
        return None
    return _bare(strip_optional(_bare(annotation)))


def file_shape(annotation: Any) -> tuple[bool, bool, bool]:
    """(is_file, as_bytes, is_sequence) for UploadFile/bytes annotations and lists of them."""
    target = strip_optional(annotation)
    origin = typing.get_origin(target)
    is_sequence = origin in (list, tuple, set, frozenset)
    if is_sequence:
        args = typing.get_args(target)
        target = strip_optional(args[0]) if args else Any
    if isinstance(target, type) and issubclass(target, UploadFile):
        return True, False, is_sequence
    if target is bytes:
        return True, True, is_sequence
    return False, False, is_sequence


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
        max_digits=marker.max_digits,
        decimal_places=marker.decimal_places,
    )


def _lookup_key(name: str, marker: Param) -> str:
    choices = marker.alias_choices
    if choices is not None and marker.source is not ParamSource.PATH:
        return choices[0]  # explicit choices are literal names, in headers too
    if marker.alias:
        key = marker.alias
    elif isinstance(marker, Header) and marker.convert_underscores:
        key = name.replace("_", "-")
    else:
        key = name
    return key.lower() if isinstance(marker, Header) else key


def _handed_default(default: Any) -> Any:
    """The value handed to the application for a missing parameter: ``bytes`` marked as
    bytes it receives (:class:`ReceivedBytes`), written as text in JSON, as FastAPI writes them."""
    if default is Required:
        return None
    return ReceivedBytes(default) if type(default) is bytes else default


def make_field(name: str, annotation: Any, marker: Param, *, embed_body: bool) -> ParamField:
    """Build the field and its validator for one request-sourced parameter."""
    source = marker.source
    key = _lookup_key(name, marker)
    field = ParamField(
        name=name,
        key=key,
        source=source,
        annotation=annotation,
        marker=marker,
        required=marker.required,
        default=_handed_default(marker.default),
        default_factory=marker.default_factory,
        validator=None,
    )
    constraints = _constraints(marker)
    options = marker.pydantic_options or None
    if source in (ParamSource.FILE, ParamSource.FORM):
        is_file, as_bytes, is_sequence = file_shape(annotation)
        if is_file:
            field.source = ParamSource.FILE
            field.is_file = True
            field.file_as_bytes = as_bytes
            field.is_sequence = is_sequence
            if marker.alias_choices is not None:  # read under the first name sent
                field.choices = tuple((c, c, None) for c in marker.alias_choices)
            if marker.validate_default:  # the default, validated by pydantic as in FastAPI
                field.validator = PydanticFieldValidator(annotation, constraints, loc=("body", key))
            return field
        members = model_members(_model_type(annotation), marker)
        if members is not None:  # a form model: its fields are the form's (FastAPI 0.113+)
            _set_model(field, members)
            return field
        union = None if getattr(marker, "embed", None) else form_union(annotation, marker)
        if union is not None:  # a union of form models (FastAPI 0.165)
            field.branches, field.validator, field.optional_model = union
            return field
        validator = ScalarValidator(annotation, constraints, loc=("body", key), options=options)
        field.validator = validator
        field.is_sequence = validator.is_sequence
        field.choices = choice_fields(marker, "body", annotation, constraints, options)
        return field
    if source is ParamSource.BODY:
        loc: tuple[str | int, ...] = ("body", key) if embed_body else ("body",)
        field.validator = BodyValidator(annotation, constraints, loc=loc, options=options)
        if embed_body:
            field.choices = choice_fields(marker, "body", annotation, constraints, options)
        return field
    members = model_members(_model_type(annotation), marker)
    if members is not None:
        _set_model(field, members)
        return field
    _check_supported(name, annotation, source)
    validator = ScalarValidator(annotation, constraints, loc=(source.value, key), options=options)
    field.validator = validator
    field.is_sequence = validator.is_sequence
    if source is not ParamSource.PATH:
        field.choices = choice_fields(marker, source.value, annotation, constraints, options)
        if field.choices is not None:
            field.read = read_choices
    return field


def _check_supported(name: str, annotation: Any, source: ParamSource) -> None:
    """FastAPI's definition-time check: a path parameter is a scalar, a query parameter a
    scalar, a sequence of scalars, a parameter model or JSON text (mappings and lists of models
    are refused)."""
    if source is ParamSource.PATH:
        assert is_plain_scalar_annotation(annotation), (
            "Path params must be of one of the supported types"
        )
    elif source is ParamSource.QUERY:
        model = _model_type(annotation)  # None for Json[...]: one text, read as JSON
        is_model = isinstance(model, type) and is_model_annotation(model)
        assert model is None or is_model or is_scalar_annotation(annotation), (
            f"Query parameter {name!r} must be one of the supported types"
        )


def _set_model(field: ParamField, members: list[ParamField]) -> None:
    """Make ``field`` a parameter (or form) model read member by member."""
    field.members = members
    field.validator = model_validator(field.annotation, field.source)
    field.read = read_model
    bare = _bare(field.annotation)
    field.optional_model = strip_optional(bare) is not bare
    if field.optional_model and not field.required:  # documented as optional, as FastAPI does
        for member in members:
            member.required = False
    model = _model_type(field.annotation)
    field.extra_policy = model_extra_policy(model)


def path_choice(marker: Param, path_param_names: set[str]) -> Param:
    """``Path(validation_alias=AliasChoices(...))``: the choice the route path names."""
    for choice in marker.alias_choices or ():
        if choice in path_param_names:
            clone = marker.with_default(marker.default)
            clone.validation_alias = clone.alias = choice
            return clone
    return marker
