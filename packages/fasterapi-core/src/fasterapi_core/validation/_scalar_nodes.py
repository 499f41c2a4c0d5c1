"""Leaf nodes of the diagnostic type tree: numbers, booleans, strings, bytes, decimals.

Each node checks one value the way pydantic's lax mode would and appends pydantic-shaped errors;
``_text_nodes`` holds the UUID and date/time leaves, ``_nodes`` builds the containers and
compiles whole annotations on top of these.
"""

from __future__ import annotations

import decimal
import math
import re
from collections.abc import Callable
from typing import Any

from fasterapi_core.received_bytes import ReceivedBytes
from fasterapi_core.validation.errors import ErrorDict, Loc, error

__all__ = [
    "BAD",
    "BoolNode",
    "BytesNode",
    "DecimalNode",
    "Errors",
    "FloatNode",
    "IntNode",
    "Node",
    "NoneNode",
    "StrNode",
    "expected_text",
    "numeric_checks",
    "parse_int",
]

BAD: Any = object()
"""Returned by :meth:`Node.check` when the value is invalid (errors were appended)."""

Errors = list[ErrorDict]


def expected_text(values: Any) -> str:
    parts = [repr(v) for v in values]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " or " + parts[-1]


def _num(value: Any) -> Any:
    return value


class Node:
    """Base node: accepts anything unchanged."""

    tag = "any"
    exact: tuple[type, ...] = ()

    def check(self, v: Any, loc: Loc, errs: Errors) -> Any:
        return v


class NoneNode(Node):
    tag = "none"
    exact = (type(None),)

    def check(self, v: Any, loc: Loc, errs: Errors) -> Any:
        if v is None:
            return None
        errs.append(error("none_required", loc, v))
        return BAD


def numeric_checks(t: Any, cast: Callable[[Any], Any] = _num) -> list[tuple[str, Any, Any, Any]]:
    """Bound checks in pydantic's order (multiple_of, le, lt, ge, gt)."""
    ops: dict[str, Callable[[Any, Any], bool]] = {
        "multiple_of": lambda v, b: v % b == 0,
        "le": lambda v, b: v <= b,
        "lt": lambda v, b: v < b,
        "ge": lambda v, b: v >= b,
        "gt": lambda v, b: v > b,
    }
    return [
        (key, cast(getattr(t, key)), op, getattr(t, key))
        for key, op in ops.items()
        if getattr(t, key) is not None
    ]


_NUM_ERROR = {
    "gt": "greater_than",
    "ge": "greater_than_equal",
    "lt": "less_than",
    "le": "less_than_equal",
    "multiple_of": "multiple_of",
}


class _NumberNode(Node):
    def __init__(self, t: Any) -> None:
        self.checks = numeric_checks(t)

    def bounds(self, value: Any, raw: Any, loc: Loc, errs: Errors) -> Any:
        for key, bound, ok, shown in self.checks:
            try:
                good = ok(value, bound)
            except (ArithmeticError, TypeError, ValueError):
                good = False
            if not good:
                err = error(_NUM_ERROR[key], loc, raw, {key: shown})
                err["ctx"] = {key: bound}  # pydantic: msg shows the bound as given, ctx as cast
                errs.append(err)
                return BAD
        return value


def parse_int(s: str) -> int | None:
    """Parse text as pydantic does in lax mode (whitespace, sign, ``_``, ``"1.0"``)."""
    if not s.isascii():
        return None
    try:
        return int(s)
    except ValueError:
        pass
    head, dot, tail = s.strip().partition(".")
    if dot and tail.strip("0") == "" and head not in ("", "+", "-"):
        try:
            return int(head)
        except ValueError:
            return None
    return None


class IntNode(_NumberNode):
    tag = "int"
    exact = (int,)

    def check(self, v: Any, loc: Loc, errs: Errors) -> Any:
        if type(v) is int:
            value: Any = v
        elif isinstance(v, str):
            value = parse_int(v)
            if value is None:
                errs.append(error("int_parsing", loc, v))
                return BAD
        elif isinstance(v, float):
            if not math.isfinite(v):
                errs.append(error("finite_number", loc, v))
                return BAD
            if v != int(v):
                errs.append(error("int_from_float", loc, v))
                return BAD
            value = int(v)
        elif isinstance(v, int) or (  # bool, int subclasses, integral Decimals
            isinstance(v, decimal.Decimal) and v == v.to_integral_value()
        ):
            value = int(v)
        else:
            errs.append(error("int_type", loc, v))
            return BAD
        return self.bounds(value, v, loc, errs) if self.checks else value


class FloatNode(_NumberNode):
    tag = "float"
    exact = (float,)

    def __init__(self, t: Any) -> None:
        self.checks = numeric_checks(t, float)

    def check(self, v: Any, loc: Loc, errs: Errors) -> Any:
        if type(v) is float:
            value: Any = v
        elif isinstance(v, str):
            try:
                if not v.isascii():
                    raise ValueError(v)
                value = float(v)
            except ValueError:
                errs.append(error("float_parsing", loc, v))
                return BAD
        elif isinstance(v, int | float | decimal.Decimal):
            value = float(v)
        else:
            errs.append(error("float_type", loc, v))
            return BAD
        return self.bounds(value, v, loc, errs) if self.checks else value


_TRUE = frozenset({"1", "true", "t", "yes", "y", "on"})
_FALSE = frozenset({"0", "false", "f", "no", "n", "off"})


class BoolNode(Node):
    tag = "bool"
    exact = (bool,)

    def check(self, v: Any, loc: Loc, errs: Errors) -> Any:
        if v is True or v is False:
            return v
        if isinstance(v, str):
            low = v.lower()
            if low in _TRUE:
                return True
            if low in _FALSE:
                return False
            errs.append(error("bool_parsing", loc, v))
            return BAD
        if isinstance(v, int | float) and v in (0, 1):
            return bool(v)
        errs.append(error("bool_parsing" if isinstance(v, int | float) else "bool_type", loc, v))
        return BAD


class StrNode(Node):
    tag = "str"
    exact = (str,)

    def __init__(self, t: Any) -> None:
        self.min_length: int | None = t.min_length
        self.max_length: int | None = t.max_length
        self.pattern: str | None = t.pattern
        self.search = re.compile(t.pattern).search if t.pattern is not None else None

    def check(self, v: Any, loc: Loc, errs: Errors) -> Any:
        if not isinstance(v, str):
            errs.append(error("string_type", loc, v))
            return BAD
        if self.min_length is not None and len(v) < self.min_length:
            errs.append(error("string_too_short", loc, v, {"min_length": self.min_length}))
            return BAD
        if self.max_length is not None and len(v) > self.max_length:
            errs.append(error("string_too_long", loc, v, {"max_length": self.max_length}))
            return BAD
        if self.search is not None and self.search(v) is None:
            errs.append(error("string_pattern_mismatch", loc, v, {"pattern": self.pattern}))
            return BAD
        return v


class BytesNode(Node):
    tag = "bytes"
    exact = (bytes,)

    def check(self, v: Any, loc: Loc, errs: Errors) -> Any:
        if isinstance(v, bytes | bytearray | memoryview):
            return v if type(v) is ReceivedBytes else ReceivedBytes(v)
        if isinstance(v, str):  # a parameter's text: read from the request (received_bytes)
            return ReceivedBytes(v.encode())
        errs.append(error("bytes_type", loc, v))
        return BAD


class DecimalNode(_NumberNode):
    tag = "decimal"
    exact = (decimal.Decimal,)
    max_digits: int | None = None
    decimal_places: int | None = None

    def check(self, v: Any, loc: Loc, errs: Errors) -> Any:
        if isinstance(v, decimal.Decimal):
            value = v
        elif isinstance(v, str | int | float) and not isinstance(v, bool):
            try:
                value = decimal.Decimal(v.strip() if isinstance(v, str) else str(v))
            except (decimal.InvalidOperation, ValueError):
                errs.append(error("decimal_parsing", loc, v))
                return BAD
        else:
            errs.append(error("decimal_type", loc, v))
            return BAD
        if not value.is_finite():  # pydantic refuses NaN and infinities for Decimal
            errs.append(error("finite_number", loc, v))
            return BAD
        if (self.max_digits is not None or self.decimal_places is not None) and not self.digits(
            value, v, loc, errs
        ):
            return BAD
        return self.bounds(value, v, loc, errs) if self.checks else value

    def digits(self, value: decimal.Decimal, raw: Any, loc: Loc, errs: Errors) -> bool:
        """``max_digits``/``decimal_places`` as pydantic counts them (trailing zeros of the
        normalised value do not count; leading zeros after the point do)."""
        _, digit_tuple, exponent = value.normalize().as_tuple()
        assert isinstance(exponent, int)  # finite
        if exponent >= 0:
            digits, decimals = len(digit_tuple) + exponent, 0
        else:
            decimals = -exponent
            digits = max(len(digit_tuple), decimals)
        max_digits, places = self.max_digits, self.decimal_places
        if max_digits is not None and digits > max_digits:
            errs.append(error("decimal_max_digits", loc, raw, {"max_digits": max_digits}))
            return False
        if places is not None:
            if decimals > places:
                errs.append(error("decimal_max_places", loc, raw, {"decimal_places": places}))
                return False
            if max_digits is not None and digits - decimals > max(max_digits - places, 0):
                whole = {"whole_digits": max(max_digits - places, 0)}
                errs.append(error("decimal_whole_digits", loc, raw, whole))
                return False
        return True
