"""msgspec decodes a dataclass without calling ``__init__`` and leaves fields that take a plain
default unset on the instance (they fall back to the class attribute), so encoding it later
drops them. This module restores them, only for annotations that can contain such dataclasses."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable
from typing import Any

import msgspec

__all__ = ["default_filler", "fill_value"]


def _needs_filling(annotation: Any, seen: set[int]) -> bool:
    if id(annotation) in seen:
        return False
    seen.add(id(annotation))
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        fields = dataclasses.fields(annotation)
        if any(f.default is not dataclasses.MISSING for f in fields):
            return True
        try:
            hints = typing.get_type_hints(annotation)
        except Exception:
            return True
        return any(_needs_filling(hint, seen) for hint in hints.values())
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
        try:
            hints = typing.get_type_hints(annotation)
        except Exception:
            return False
        return any(_needs_filling(hint, seen) for hint in hints.values())
    return any(_needs_filling(arg, seen) for arg in typing.get_args(annotation))


def _fill(value: Any) -> None:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            if not hasattr(value, field.name) or (
                field.default is not dataclasses.MISSING
                and field.name not in getattr(value, "__dict__", {field.name: None})
            ):
                object.__setattr__(value, field.name, field.default)
            _fill(getattr(value, field.name, None))
    elif isinstance(value, msgspec.Struct):
        for name in value.__struct_fields__:
            _fill(getattr(value, name, None))
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            _fill(item)
    elif isinstance(value, dict):
        for item in value.values():
            _fill(item)


def fill_value(value: Any) -> Any:
    """Set the missing defaulted fields of every dataclass instance inside ``value``."""
    _fill(value)
    return value


def default_filler(annotation: Any) -> Callable[[Any], Any] | None:
    """A function completing decoded values of ``annotation``, or None when none is needed."""
    return fill_value if _needs_filling(annotation, set()) else None
