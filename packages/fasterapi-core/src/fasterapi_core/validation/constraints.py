"""Field constraints shared by every validator (the ``Query(ge=1)`` style keywords)."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from decimal import Decimal
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

import msgspec

__all__ = ["Constraints", "constrain"]


@dataclass(frozen=True, slots=True)
class Constraints:
    """Numeric, length and pattern constraints; every field is optional."""

    gt: float | None = None
    ge: float | None = None
    lt: float | None = None
    le: float | None = None
    multiple_of: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | re.Pattern[str] | None = None
    max_digits: int | None = None
    decimal_places: int | None = None

    def numeric(self) -> dict[str, Any]:
        """The numeric bounds that are set, as keyword arguments."""
        out: dict[str, Any] = {}
        for key in ("gt", "ge", "lt", "le", "multiple_of"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out

    def lengths(self) -> dict[str, Any]:
        """The length bounds that are set, as keyword arguments."""
        out: dict[str, Any] = {}
        if self.min_length is not None:
            out["min_length"] = self.min_length
        if self.max_length is not None:
            out["max_length"] = self.max_length
        return out

    def is_empty(self) -> bool:
        """True when no constraint is set."""
        return all(getattr(self, f.name) is None for f in fields(self))


NO_CONSTRAINTS = Constraints()


def constrain(annotation: Any, c: Constraints) -> tuple[Any, Constraints | None]:
    """Attach ``c`` to ``annotation`` as ``msgspec.Meta`` (through Optional/unions).

    Returns the new annotation and, when the target is ``Decimal`` (msgspec cannot constrain
    decimals), the numeric and digit constraints left for the caller to check itself.
    """
    if c.is_empty():
        return annotation, None
    if get_origin(annotation) in (Union, UnionType):
        parts = []
        left: Constraints | None = None
        for arg in get_args(annotation):
            if arg is type(None):
                parts.append(arg)
                continue
            new, rest = constrain(arg, c)
            parts.append(new)
            left = left or rest
        return Union[tuple(parts)], left  # noqa: UP007
    base = annotation
    while get_origin(base) is Annotated:
        base = get_args(base)[0]
    kind = get_origin(base) or base
    meta: dict[str, Any] = {}
    if kind is Decimal:
        left = Constraints(**c.numeric(), max_digits=c.max_digits, decimal_places=c.decimal_places)
        return annotation, left
    if isinstance(kind, type) and issubclass(kind, int | float) and not issubclass(kind, bool):
        meta.update(c.numeric())
    if kind is str:
        meta.update(c.lengths())
        if c.pattern is not None:
            meta["pattern"] = c.pattern
    elif kind in (bytes, bytearray, list, set, frozenset, tuple, dict):
        meta.update(c.lengths())
    if not meta:
        return annotation, None
    return Annotated[annotation, msgspec.Meta(**meta)], None
