"""The diagnostic type tree: lax, pydantic-compatible checking that reports EVERY error.

A node tree is compiled once from ``msgspec.inspect.type_info``. It serves two purposes:
the text-input (query/path/header/cookie/form) converters, and the slow path taken after msgspec
rejected a JSON body, where it walks the decoded data and collects all errors with full locs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import msgspec
import msgspec.inspect as mi

from fasterapi_core.validation._scalar_nodes import (
    BAD,
    BoolNode,
    BytesNode,
    DecimalNode,
    Errors,
    FloatNode,
    IntNode,
    Node,
    NoneNode,
    StrNode,
    expected_text,
    numeric_checks,
    parse_int,
)
from fasterapi_core.validation._text_nodes import DateNode, DateTimeNode, TimeNode, UUIDNode
from fasterapi_core.validation.errors import Loc, error, missing_error, prefix_errors

__all__ = [
    "BAD",
    "DecimalNode",
    "FloatNode",
    "IntNode",
    "Node",
    "SeqNode",
    "StrNode",
    "UnionNode",
    "compile_node",
    "numeric_checks",
]


class ChoiceNode(Node):
    """Enum members (by value) or Literal values; text input also matches numbers' text."""

    def __init__(
        self, values: tuple[Any, ...], error_type: str, members: tuple[Any, ...], text: bool
    ) -> None:
        self.lookup: dict[Any, Any] = {}
        self.text: dict[str, Any] = {}
        for value, member in zip(values, members, strict=True):
            self.lookup[(type(value), value)] = member
            if text and isinstance(value, int | float) and not isinstance(value, bool):
                self.text.setdefault(str(value), member)
        self.error_type = error_type
        self.tag = "literal[" + ",".join(repr(x) for x in values) + "]"
        self.ctx = {"expected": expected_text(values)}

    def check(self, v: Any, loc: Loc, errs: Errors) -> Any:
        try:
            return self.lookup[(type(v), v)]
        except (KeyError, TypeError):
            pass
        if isinstance(v, str):
            if v in self.text:
                return self.text[v]
            if self.error_type == "enum" and self.text:  # an IntEnum reads text as an int
                number = parse_int(v)  # pydantic's lax rules: " 1", "1.0", "1_0"
                if number is not None and (int, number) in self.lookup:
                    return self.lookup[(int, number)]
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
            errs.append(
                error(
                    "too_long",
                    loc,
                    v,
                    {
                        "field_type": self.field_type,
                        "max_length": self.max_length,
                        "actual_length": n,
                    },
                )
            )
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
            errs.append(
                error(
                    "too_short",
                    loc,
                    v,
                    {
                        "field_type": self.field_type,
                        "min_length": self.min_length,
                        "actual_length": n,
                    },
                )
            )
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
            errs.append(
                error(
                    "too_long",
                    loc,
                    v,
                    {"field_type": "Tuple", "max_length": want, "actual_length": n},
                )
            )
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
        self.fields = [
            (f.encode_name, compile_type(f.type, memo), f.required) for f in self._t.fields
        ]
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
    """A type msgspec has no rules for (``HttpUrl``, ``IPv4Address``, ``Path``, ``SecretStr``,
    a class with ``__get_pydantic_core_schema__``...): validated by pydantic when it is
    installed and knows the type (FastAPI's rules and errors), else ``msgspec.convert``."""

    def __init__(self, cls: Any) -> None:
        self.cls = cls
        self.tag = getattr(cls, "__name__", "custom")
        self.pydantic = _pydantic_adapter(cls)

    def check(self, v: Any, loc: Loc, errs: Errors) -> Any:
        adapter = self.pydantic
        if adapter is not None:
            try:
                return adapter.validate_python(v)
            except ValueError as exc:  # pydantic.ValidationError
                errs.extend(prefix_errors(exc.errors(include_url=False), loc))  # type: ignore[attr-defined]
                return BAD
        try:
            return msgspec.convert(v, self.cls, strict=False)
        except (msgspec.ValidationError, TypeError) as exc:
            errs.append(error("value_error", loc, v, {"error": str(exc)}))
            return BAD


def _pydantic_adapter(cls: Any) -> Any:
    """A pydantic ``TypeAdapter`` for ``cls``, or None (pydantic missing, or no schema)."""
    try:
        import pydantic
    except ImportError:
        return None
    try:
        return pydantic.TypeAdapter(cls)
    except pydantic.PydanticUserError:  # no schema for an arbitrary class
        return None


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
        mi.AnyType: Node,
        mi.NoneType: NoneNode,
        mi.BoolType: BoolNode,
        mi.BytesType: BytesNode,
        mi.ByteArrayType: BytesNode,
        mi.UUIDType: UUIDNode,
        mi.DateTimeType: DateTimeNode,
        mi.DateType: DateNode,
        mi.TimeType: TimeNode,
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
        kinds: dict[Any, type] = {
            mi.ListType: list,
            mi.SetType: set,
            mi.FrozenSetType: frozenset,
            mi.VarTupleType: tuple,
        }
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
