"""``validation_alias=AliasChoices("first", "second")`` on a query, header, cookie, form or
embedded body parameter: the first name the request carries is read, its errors are located
at that name, and a missing value is reported at the first name, as FastAPI does.

Each choice gets its own validator at registration (its error location differs); a request
costs one lookup per choice tried.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fasterapi_core.dependencies.models import ParamField
from fasterapi_core.params import Header, Param, ParamSource
from fasterapi_core.validation import BodyValidator, Constraints, ScalarValidator

__all__ = ["choice_fields", "embedded_choice", "read_choices"]

Choices = tuple[tuple[str, str, Any], ...]


def choice_fields(
    marker: Param,
    where: str,
    annotation: Any,
    constraints: Constraints,
    options: Mapping[str, Any] | None,
) -> Choices | None:
    """``(name, request key, validator)`` for each of the marker's alias choices, else None."""
    choices = marker.alias_choices
    if choices is None:
        return None
    is_header = isinstance(marker, Header)
    out = []
    for choice in choices:
        loc = (where, choice)
        validator: Any
        if marker.source is ParamSource.BODY:
            validator = BodyValidator(annotation, constraints, loc=loc, options=options)
        else:
            validator = ScalarValidator(annotation, constraints, loc=loc, options=options)
        out.append((choice, choice.lower() if is_header else choice, validator))
    return tuple(out)


def read_choices(
    field: ParamField,
    getter: Callable[[str], Any],
    list_getter: Callable[[str], list[Any]] | None,
) -> tuple[Any, list[dict[str, Any]] | None]:
    """The value of a query/header/cookie parameter with alias choices (``ParamField.read``)."""
    assert field.choices is not None
    many = field.is_sequence and list_getter is not None
    for _, key, validator in field.choices:
        raw: Any = list_getter(key) if many else getter(key)  # type: ignore[misc]
        if raw:
            return validator.validate(raw)  # type: ignore[no-any-return]
        if raw is not None and not many:  # an empty value is sent, and validated
            return validator.validate(raw)  # type: ignore[no-any-return]
    if field.required:
        return None, [_missing((field.source.value, field.choices[0][0]))]
    return field.absent_value()


def embedded_choice(field: ParamField, data: Mapping[str, Any]) -> tuple[bool, Any, Any]:
    """``(present, raw value, validator)`` of an embedded body field with alias choices."""
    assert field.choices is not None
    for _, key, validator in field.choices:
        if key in data:
            return True, data[key], validator
    return False, None, None


def _missing(loc: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "missing", "loc": loc, "msg": "Field required", "input": None}
