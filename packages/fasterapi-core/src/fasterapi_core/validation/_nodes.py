"""The diagnostic type tree: lax, pydantic-compatible checking that reports EVERY error.

A node tree is compiled once from ``msgspec.inspect.type_info``. It serves two purposes:
the text-input (query/path/header/cookie/form) converters, and the slow path taken after msgspec
rejected a JSON body, where it walks the decoded data and collects all errors with full locs.
"""

from __future__ import annotations

import calendar
import datetime as dt
import decimal
import math
import re
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import msgspec
import msgspec.inspect as mi

from fasterapi_core.validation.errors import ErrorDict, Loc, error, missing_error

__all__ = ["BAD", "Node", "compile_node", "numeric_checks"]

BAD: Any = object()
"""Returned by :meth:`Node.check` when the value is invalid (errors were appended)."""

Errors = list[ErrorDict]


def _expected(values: Any) -> str:
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
    return [(key, cast(getattr(t, key)), op, getattr(t, key)) for key, op in ops.items()
            if getattr(t, key) is not None]


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
            return bytes(v)
        if isinstance(v, str):
            return v.encode()
        errs.append(error("bytes_type", loc, v))
        return BAD


class DecimalNode(_NumberNode):
    tag = "decimal"
    exact = (decimal.Decimal,)

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
        return self.bounds(value, v, loc, errs) if self.checks else value


_HEX = frozenset("0123456789abcdefABCDEF")


def _uuid_problem(s: str) -> str:
    for i, ch in enumerate(s):
        if ch not in _HEX and ch != "-":
            return f"invalid character: found `{ch}` at {i}"
    if "-" not in s:
        return f"invalid length: found {len(s)}"
    groups = s.split("-")
    if len(groups) != 5:
        return f"invalid group count: expected 5, found {len(groups)}"
    expected = (8, 4, 4, 4, 12)
    for i, (g, n) in enumerate(zip(groups, expected, strict=True)):
        if len(g) != n:
            return f"invalid group length in group {i}: expected {n}, found {len(g)}"
    return "invalid UUID"


class UUIDNode(Node):
    tag = "uuid"
    exact = (uuid.UUID,)

    def check(self, v: Any, loc: Loc, errs: Errors) -> Any:
        if isinstance(v, uuid.UUID):
            return v
        if isinstance(v, str):
            try:
                return uuid.UUID(v)
            except ValueError:
                problem = _uuid_problem(v)
                errs.append(error("uuid_parsing", loc, v, {"error": problem}))
                return BAD
        errs.append(error("uuid_type", loc, v))
        return BAD


def _date_range_problem(s: str) -> str | None:
    """pydantic's message for a well-formed ``YYYY-MM-DD`` prefix naming an impossible date."""
    if len(s) < 10 or s[4] != "-" or s[7] != "-":
        return None
    year, month, day = s[:4], s[5:7], s[8:10]
    if not (year.isdigit() and month.isdigit() and day.isdigit()):
        return None
    if not 1 <= int(month) <= 12:
        return "month value is outside expected range of 1-12"
    if not 1 <= int(day) <= calendar.monthrange(int(year), int(month))[1]:
        return "day value is outside expected range"
    return None


def _temporal_problem(s: str, min_len: int) -> str:
    if min_len == 10:
        problem = _date_range_problem(s)
        if problem is not None:
            return problem
    if len(s) < min_len:
        return "input is too short"
    return "unexpected extra characters at the end of the input" if len(s) > min_len else (
        "invalid character in input"
    )


class DateTimeNode(Node):
    tag = "datetime"
    exact = (dt.datetime,)

    def check(self, v: Any, loc: Loc, errs: Errors) -> Any:
        if isinstance(v, dt.datetime):
            return v
        if isinstance(v, str):
            try:
                return dt.datetime.fromisoformat(v)
            except ValueError:
                err = _temporal_problem(v, 10)
                errs.append(error("datetime_from_date_parsing", loc, v, {"error": err}))
                return BAD
        if isinstance(v, int | float) and not isinstance(v, bool):
            try:
                return dt.datetime.fromtimestamp(v, tz=dt.UTC)
            except (OverflowError, OSError, ValueError):
                errs.append(error("datetime_parsing", loc, v, {"error": "invalid timestamp"}))
                return BAD
        errs.append(error("datetime_type", loc, v))
        return BAD


class DateNode(Node):
    tag = "date"
    exact = (dt.date,)

    def check(self, v: Any, loc: Loc, errs: Errors) -> Any:
        if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
            return v
        if isinstance(v, str):
            try:
                return dt.date.fromisoformat(v)
            except ValueError:
                err = _temporal_problem(v, 10)
                errs.append(error("date_from_datetime_parsing", loc, v, {"error": err}))
                return BAD
        errs.append(error("date_type", loc, v))
        return BAD


class TimeNode(Node):
    tag = "time"
    exact = (dt.time,)

    def check(self, v: Any, loc: Loc, errs: Errors) -> Any:
        if isinstance(v, dt.time):
            return v
        if isinstance(v, str):
            try:
                return dt.time.fromisoformat(v)
            except ValueError:
                errs.append(error("time_parsing", loc, v, {"error": _temporal_problem(v, 5)}))
                return BAD
        errs.append(error("time_type", loc, v))
        return BAD


class ChoiceNode(Node):
    """Enum members (by value) or Literal values; text input also matches numbers' text."""

    def __init__(self, values: tuple[Any, ...], error_type: str, members: tuple[Any, ...],
                 text: bool) -> None:
        self.lookup: dict[Any, Any] = {}
        self.text: dict[str, Any] = {}
        for value, member in zip(values, members, strict=True):
            self.lookup[(type(value), value)] = member
            if text and isinstance(value, int | float) and not isinstance(value, bool):
                self.text.setdefault(str(value), member)
        self.error_type = error_type
        self.tag = "literal[" + ",".join(repr(x) for x in values) + "]"
        self.ctx = {"expected": _expected(values)}

    def check(self, v: Any, loc: Loc, errs: Errors) -> Any:
        try:
            return self.lookup[(type(v), v)]
        except (KeyError, TypeError):
            pass
        if isinstance(v, str) and v in self.text:
            return self.text[v]
        for member in self.lookup.values():
            if member is v:
                return member
        errs.append(error(self.error_type, loc, v, self.ctx))
        return BAD


class SeqNode(Node):
    """list / set / frozenset / variadic tuple."""

    _KIND: dict[type, tuple[str, str, str]] = {
        list: ("list", "list_type", "List"),
        set: ("set", "set_type", "Set"),
        frozenset: ("frozenset", "frozen_set_type", "Frozenset"),
        tuple: ("tuple", "tuple_type", "Tuple"),
    }

    def __init__(self, kind: type, item: Node, min_length: int | None, max_length: int | None):
        self.kind = kind
        self.item = item
        name, self.type_error, self.field_type = self._KIND[kind]
        self.tag = f"{name}[{item.tag}]"
        self.exact = (kind,)
        self.min_length = min_length
        self.max_length = max_length

    def check(self, v: Any, loc: Loc, errs: Errors) -> Any:
        if not isinstance(v, list | tuple | set | frozenset) or (
            self.kind is list and isinstance(v, set | frozenset)
        ):
            errs.append(error(self.type_error, loc, v))
            return BAD
        n = len(v)
        if self.max_length is not None and n > self.max_length:
            errs.append(error("too_long", loc, v, {"field_type": self.field_type,
                                                   "max_length": self.max_length,
                                                   "actual_length": n}))
            return BAD
        out = []
        bad = False
        item = self.item
        for i, x in enumerate(v):
            r = item.check(x, (*loc, i), errs)
            if r is BAD:
                bad = True
            else:
                out.append(r)
        if bad:
            return BAD
        if self.min_length is not None and n < self.min_length:
            errs.append(error("too_short", loc, v, {"field_type": self.field_type,
                                                    "min_length": self.min_length,
                                                    "actual_length": n}))
            return BAD
        return self.kind(out) if self.kind is not list else out


class TupleNode(Node):
    tag = "tuple"
    exact = (tuple,)

    def __init__(self, items: list[Node]) -> None:
        self.items = items

    def check(self, v: Any, loc: Loc, errs: Errors) -> Any:
        if not isinstance(v, list | tuple):
            errs.append(error("tuple_type", loc, v))
            return BAD
        n, want = len(v), len(self.items)
        if n > want:
            errs.append(error("too_long", loc, v, {"field_type": "Tuple", "max_length": want,
                                                   "actual_length": n}))
            return BAD
        out = []
        bad = False
        for i, node in enumerate(self.items):
            if i >= n:
                errs.append(missing_error((*loc, i), v))
                bad = True
                continue
            r = node.check(v[i], (*loc, i), errs)
            bad = bad or r is BAD
            out.append(r)
        return BAD if bad else tuple(out)


class DictNode(Node):
    tag = "dict"
    exact = (dict,)

    def __init__(self, key: Node, value: Node) -> None:
        self.key = key
        self.value = value

    def check(self, v: Any, loc: Loc, errs: Errors) -> Any:
        if not isinstance(v, Mapping):
            errs.append(error("dict_type", loc, v))
            return BAD
        out = {}
        bad = False
        for k, x in v.items():
            kk = self.key.check(k, (*loc, k, "[key]"), errs)
            vv = self.value.check(x, (*loc, k), errs)
            if kk is BAD or vv is BAD:
                bad = True
            else:
                out[kk] = vv
        return BAD if bad else out


class ModelNode(Node):
    """Struct, dataclass or TypedDict: fields checked in declaration order, locs by wire name."""

    def __init__(self, t: Any) -> None:
        self.cls = t.cls
        self.tag = t.cls.__name__
        self.exact = (t.cls,)
        self.fields: list[tuple[str, Node, bool]] = []
        self.forbid = bool(getattr(t, "forbid_unknown_fields", False))
        if isinstance(t, mi.DataclassType):
            self.type_error = "dataclass_type"
            self.ctx: dict[str, Any] | None = {"class_name": t.cls.__name__}
        elif isinstance(t, mi.TypedDictType):
            self.type_error, self.ctx = "dict_type", None
        else:
            self.type_error, self.ctx = "model_attributes_type", None
        self._t = t
        self.is_dict = isinstance(t, mi.TypedDictType)

    def build(self, memo: dict[Any, Node]) -> None:
        self.fields = [(f.encode_name, compile_type(f.type, memo), f.required)
                       for f in self._t.fields]
        self.known = frozenset(name for name, _, _ in self.fields)

    def check(self, v: Any, loc: Loc, errs: Errors) -> Any:
        if not self.is_dict and isinstance(v, self.cls):
            return v
        if not isinstance(v, Mapping):
            errs.append(error(self.type_error, loc, v, self.ctx))
            return BAD
        out = {}
        bad = False
        for name, node, required in self.fields:
            if name in v:
                r = node.check(v[name], (*loc, name), errs)
                if r is BAD:
                    bad = True
                else:
                    out[name] = r
            elif required:
                errs.append(missing_error((*loc, name), v))
                bad = True
        if self.forbid:
            for key in v:
                if key not in self.known:
                    errs.append(error("extra_forbidden", (*loc, key), v[key]))
                    bad = True
        return BAD if bad else out


class UnionNode(Node):
    tag = "union"

    def __init__(self, options: list[Node], nullable: bool) -> None:
        self.options = options
        self.nullable = nullable
        self.exact = tuple(t for o in options for t in o.exact)

    def check(self, v: Any, loc: Loc, errs: Errors) -> Any:
        if v is None and self.nullable:
            return None
        if len(self.options) == 1:
            return self.options[0].check(v, loc, errs)
        for option in self.options:
            if type(v) in option.exact:
                scratch: Errors = []
                r = option.check(v, loc, scratch)
                if r is not BAD:
                    return r
        collected: Errors = []
        for option in self.options:
            scratch = []
            r = option.check(v, (*loc, option.tag), scratch)
            if r is not BAD:
                return r
            collected.extend(scratch)
        errs.extend(collected)
        return BAD


class CustomNode(Node):
    """A type msgspec handles itself (or a plugin type): checked with ``msgspec.convert``."""

    def __init__(self, cls: Any) -> None:
        self.cls = cls
        self.tag = getattr(cls, "__name__", "custom")

    def check(self, v: Any, loc: Loc, errs: Errors) -> Any:
        try:
            return msgspec.convert(v, self.cls, strict=False)
        except (msgspec.ValidationError, TypeError) as exc:
            errs.append(error("value_error", loc, v, {"error": str(exc)}))
            return BAD


def compile_type(t: mi.Type, memo: dict[Any, Node]) -> Node:
    """Compile one ``msgspec.inspect`` type into a node (models memoised for recursion)."""
    if isinstance(t, mi.StructType | mi.DataclassType | mi.TypedDictType):
        if t.cls in memo:
            return memo[t.cls]
        model = ModelNode(t)
        memo[t.cls] = model
        model.build(memo)
        return model
    if isinstance(t, mi.UnionType):
        nullable = any(isinstance(o, mi.NoneType) for o in t.types)
        options = [compile_type(o, memo) for o in t.types if not isinstance(o, mi.NoneType)]
        return UnionNode(options, nullable)
    simple: dict[type, Callable[[], Node]] = {
        mi.AnyType: Node, mi.NoneType: NoneNode, mi.BoolType: BoolNode, mi.BytesType: BytesNode,
        mi.ByteArrayType: BytesNode, mi.UUIDType: UUIDNode, mi.DateTimeType: DateTimeNode,
        mi.DateType: DateNode, mi.TimeType: TimeNode,
    }
    factory = simple.get(type(t))
    if factory is not None:
        return factory()
    if isinstance(t, mi.IntType):
        return IntNode(t)
    if isinstance(t, mi.FloatType):
        return FloatNode(t)
    if isinstance(t, mi.StrType):
        return StrNode(t)
    if isinstance(t, mi.DecimalType):
        return DecimalNode(_NoBounds())
    if isinstance(t, mi.EnumType):
        members = tuple(t.cls)
        return ChoiceNode(tuple(m.value for m in members), "enum", members, True)
    if isinstance(t, mi.LiteralType):
        return ChoiceNode(tuple(t.values), "literal_error", tuple(t.values), False)
    if isinstance(t, mi.ListType | mi.SetType | mi.FrozenSetType | mi.VarTupleType):
        kinds: dict[Any, type] = {mi.ListType: list, mi.SetType: set, mi.FrozenSetType: frozenset,
                                   mi.VarTupleType: tuple}
        kind = kinds[type(t)]
        return SeqNode(kind, compile_type(t.item_type, memo), t.min_length, t.max_length)
    if isinstance(t, mi.TupleType):
        return TupleNode([compile_type(x, memo) for x in t.item_types])
    if isinstance(t, mi.DictType):
        return DictNode(compile_type(t.key_type, memo), compile_type(t.value_type, memo))
    return CustomNode(getattr(t, "cls", Any))


class _NoBounds:
    gt: Any = None
    ge: Any = None
    lt: Any = None
    le: Any = None
    multiple_of: Any = None


def compile_node(annotation: Any) -> Node:
    """Compile a (msgspec-supported) annotation into its diagnostic node tree."""
    return compile_type(mi.type_info(annotation), {})
