"""Unions no single library validates: ``Person | Company`` of msgspec Structs, or of Structs
and pydantic models.

msgspec refuses untagged unions of several Structs, pydantic does not know Structs. Each member
is then validated by its own validator and the union follows pydantic's "smart" mode: the
member that accepts the input and sets the most of its fields wins (the first on a tie);
when none accepts it, every member's errors are reported, each under the member's name
(``["body", "Person", "name"]``), as pydantic reports them.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable, Mapping
from typing import Any, Union, get_args, get_origin

import msgspec

from fasterapi_core.validation.errors import ErrorDict, Loc, json_invalid_errors, missing_error

__all__ = ["UnionValidator", "union_members"]

Result = tuple[Any, list[ErrorDict] | None]
_decoder: msgspec.json.Decoder[Any] = msgspec.json.Decoder()


def union_members(annotation: Any) -> tuple[list[Any], bool] | None:
    """``(members without None, nullable)`` of a union annotation, else None."""
    if get_origin(annotation) not in (Union, types.UnionType):
        return None
    args = get_args(annotation)
    return [a for a in args if a is not type(None)], type(None) in args


def _tag(member: Any) -> str:
    """pydantic's name for a union member in error locations."""
    return getattr(member, "__name__", None) or repr(member)


def _field_names(value: Any) -> frozenset[str]:
    cls = type(value)
    if isinstance(value, msgspec.Struct):
        return frozenset(f.encode_name for f in msgspec.structs.fields(cls))
    fields = getattr(cls, "model_fields", None)
    if isinstance(fields, dict):
        return frozenset(info.alias or name for name, info in fields.items())
    if dataclasses.is_dataclass(value):
        return frozenset(f.name for f in dataclasses.fields(value))
    return frozenset()


def _fields_set(data: Any, value: Any) -> int:
    if not isinstance(data, Mapping):
        return 0
    return len(_field_names(value).intersection(data))


class UnionValidator:
    """Validate each member with its own validator (see the module docstring)."""

    __slots__ = ("annotation", "is_sequence", "loc", "members", "nullable", "validate")

    decode: Callable[[bytes], Any] | None = None
    parse_text: Callable[[str], Any] | None = None

    def __init__(self, annotation: Any, *, loc: Loc, build: Callable[[Any], Any]) -> None:
        """``build(member)`` returns the validator of one member (errors located at ``loc``)."""
        split = union_members(annotation)
        if split is None:
            raise TypeError(f"{annotation!r} is not a union")
        members, self.nullable = split
        self.annotation = annotation
        self.loc = loc
        self.members: list[tuple[str, Callable[[Any], Result]]] = []
        for member in members:
            validator = build(member)
            check = getattr(validator, "validate_python", None) or validator.validate
            self.members.append((_tag(member), check))
        self.is_sequence = False
        self.validate = self.validate_python

    def validate_python(self, data: Any) -> Result:
        """The best member's value, or every member's errors."""
        if data is None and self.nullable:
            return None, None
        best: tuple[int, Any] | None = None
        errors: list[ErrorDict] = []
        depth = len(self.loc)
        for tag, check in self.members:
            value, problems = check(data)
            if not problems:
                score = _fields_set(data, value)
                if best is None or score > best[0]:
                    best = (score, value)
                continue
            for problem in problems:
                loc = tuple(problem.get("loc", ()))
                problem["loc"] = (*loc[:depth], tag, *loc[depth:])
                errors.append(problem)
        if best is not None:
            return best[1], None
        return None, errors

    def validate_json(self, body: bytes) -> Result:
        """Decode ``body`` (``json_invalid`` on bad JSON), then :meth:`validate_python`."""
        if not body:
            return None, [missing_error(self.loc)]
        try:
            data = _decoder.decode(body)
        except (msgspec.DecodeError, RecursionError, UnicodeDecodeError) as exc:
            return None, json_invalid_errors(body, exc, self.loc)
        return self.validate_python(data)
