"""The pydantic fallback: parameters whose annotation msgspec cannot express exactly.

msgspec validates every ordinary parameter. A few annotations are beyond it: pydantic
metadata (``AfterValidator``, ``Field(allow_inf_nan=False)``, ``UuidVersion`` of ``UUID4``...),
unions of several string-like types (``UUID4 | str``), types only pydantic knows (``EmailStr``),
constraints msgspec cannot carry (a compiled ``pattern`` with flags, ``strict``...). For those,
and only those, the parameter is validated by a pydantic ``TypeAdapter`` built once at
registration, exactly as FastAPI validates it (``validate_python`` of the text or the decoded
JSON), errors located at the parameter. :func:`needs_pydantic` makes that choice per parameter.
"""

from __future__ import annotations

import collections
import dataclasses
import types
import warnings
from collections.abc import Callable, Mapping
from typing import (
    Annotated,
    Any,
    Literal,
    Union,
    get_args,
    get_origin,
    get_type_hints,
    is_typeddict,
)

import msgspec
import msgspec.inspect as mi

from fasterapi_core.validation.constraints import NO_CONSTRAINTS, Constraints
from fasterapi_core.validation.errors import (
    ErrorDict,
    Loc,
    json_invalid_errors,
    missing_error,
    prefix_errors,
)

__all__ = [
    "PydanticFieldValidator",
    "is_sequence_annotation",
    "needs_pydantic",
    "pydantic_can_validate",
    "pydantic_field",
]

Result = tuple[Any, list[ErrorDict] | None]

_SEQUENCE_ORIGINS: tuple[type, ...] = (list, tuple, set, frozenset, collections.deque)
_decoder: msgspec.json.Decoder[Any] = msgspec.json.Decoder()


def _foreign(annotation: Any, seen: set[int]) -> bool:
    """True when ``annotation`` carries something msgspec would silently ignore."""
    value = getattr(annotation, "__value__", None)  # ``type X = ...`` aliases
    if value is not None and type(annotation).__name__ == "TypeAliasType":
        return _foreign(value, seen)
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *metadata = get_args(annotation)
        if any(not isinstance(item, msgspec.Meta) for item in metadata):
            return True
        return _foreign(base, seen)
    if origin is Literal:
        return False
    if any(_foreign(arg, seen) for arg in get_args(annotation) if arg is not Ellipsis):
        return True
    if (
        isinstance(annotation, type)
        and id(annotation) not in seen
        and (dataclasses.is_dataclass(annotation) or is_typeddict(annotation))
    ):
        seen.add(id(annotation))
        try:
            hints = get_type_hints(annotation, include_extras=True)
        except Exception:  # unresolvable names: msgspec reports them itself
            return False
        return any(_foreign(hint, seen) for hint in hints.values())
    return False


def _custom(info: mi.Type, seen: set[int]) -> bool:
    """True when msgspec's view of a type holds a class it has no rules for (outside Structs,
    whose fields are msgspec's own business)."""
    if isinstance(info, mi.CustomType):
        return True
    if isinstance(info, mi.StructType):
        return False
    if isinstance(info, mi.DataclassType | mi.TypedDictType):
        if id(info.cls) in seen:
            return False
        seen.add(id(info.cls))
        return any(_custom(f.type, seen) for f in info.fields)
    for name in ("types", "item_types"):
        if any(_custom(item, seen) for item in getattr(info, name, ())):
            return True
    for name in ("item_type", "key_type", "value_type"):
        inner = getattr(info, name, None)
        if isinstance(inner, mi.Type) and _custom(inner, seen):
            return True
    return False


def needs_pydantic(annotation: Any, constraints: Constraints = NO_CONSTRAINTS) -> bool:
    """True when ``annotation`` (with ``constraints``) must be validated by pydantic: msgspec
    refuses it, would ignore part of it, or does not know one of its types."""
    if constraints.pattern is not None and not isinstance(constraints.pattern, str):
        return True
    if _foreign(annotation, set()):
        return True
    try:
        info = mi.type_info(annotation)
        msgspec.json.Decoder(annotation)
    except TypeError:
        return True
    return _custom(info, set())


def pydantic_can_validate(annotation: Any) -> bool:
    """True when pydantic is installed and builds a ``TypeAdapter`` for ``annotation``."""
    try:
        import pydantic
    except ImportError:
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pydantic.TypeAdapter(annotation)
    except pydantic.PydanticUserError:
        return False
    return True


def pydantic_field(
    annotation: Any, constraints: Constraints = NO_CONSTRAINTS, options: Mapping[str, Any] = {}
) -> Any:
    """``annotation`` with the parameter's constraints and pydantic keywords (``strict``,
    ``allow_inf_nan``...) attached as a ``pydantic.Field``, as FastAPI attaches them."""
    import pydantic

    keywords: dict[str, Any] = {
        **constraints.numeric(),
        **constraints.lengths(),
        **{k: v for k, v in options.items() if v is not None},
    }
    for key in ("max_digits", "decimal_places"):
        if getattr(constraints, key) is not None:
            keywords[key] = getattr(constraints, key)
    if constraints.pattern is not None:
        keywords["pattern"] = constraints.pattern
    if not keywords:
        return annotation
    return Annotated[annotation, pydantic.Field(**keywords)]


def is_sequence_annotation(annotation: Any) -> bool:
    """FastAPI's rule: the annotation (or a member of its union) is a list, tuple, set...,
    not read as JSON text (``Json[list[str]]`` is one value)."""
    while get_origin(annotation) is Annotated:
        if any(type(item).__name__ == "Json" for item in annotation.__metadata__):
            return False
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        return any(is_sequence_annotation(arg) for arg in get_args(annotation))
    origin = get_origin(annotation) or annotation
    if not isinstance(origin, type) or issubclass(origin, str | bytes):
        return False
    from collections.abc import Sequence

    return issubclass(origin, _SEQUENCE_ORIGINS) or (
        origin is not Mapping and issubclass(origin, Sequence)
    )


class PydanticFieldValidator:
    """Validates one parameter with a pydantic ``TypeAdapter``, as FastAPI does.

    Offers both validator interfaces: ``validate`` (text values: query, path, header, cookie,
    form) and ``validate_json``/``validate_python`` (bodies, embedded fields, form models).
    """

    __slots__ = ("_adapter", "_error", "annotation", "is_sequence", "loc", "validate")

    decode: Callable[[bytes], Any] | None = None
    parse_text: Callable[[str], Any] | None = None

    def __init__(
        self,
        annotation: Any,
        constraints: Constraints = NO_CONSTRAINTS,
        *,
        loc: Loc,
        options: Mapping[str, Any] = {},
    ) -> None:
        import pydantic

        self.annotation = annotation
        self.loc = loc
        with warnings.catch_warnings():  # aliases inside Annotated: pydantic warns, we read them
            warnings.simplefilter("ignore")
            self._adapter = pydantic.TypeAdapter(pydantic_field(annotation, constraints, options))
        self._error = pydantic.ValidationError
        self.is_sequence = is_sequence_annotation(annotation)
        self.validate = self.validate_python

    def validate_python(self, data: Any) -> Result:
        """Validate text or decoded JSON: ``(value, None)`` or ``(None, errors)``."""
        try:
            return self._adapter.validate_python(data, from_attributes=True), None
        except self._error as exc:
            errors = [dict(e) for e in exc.errors(include_url=False)]
            return None, prefix_errors(errors, self.loc)

    def validate_json(self, body: bytes) -> Result:
        """Decode ``body`` (FastAPI's ``json_invalid`` on bad JSON), then validate it."""
        if not body:
            return None, [missing_error(self.loc)]
        try:
            data = _decoder.decode(body)
        except (msgspec.DecodeError, RecursionError, UnicodeDecodeError) as exc:
            return None, json_invalid_errors(body, exc, self.loc)
        return self.validate_python(data)


def fallback_validator(
    annotation: Any,
    constraints: Constraints,
    loc: Loc,
    options: Mapping[str, Any] | None,
    build_member: Callable[[Any], Any],
    *,
    model_path: bool = False,
) -> Any:
    """The validator for an annotation msgspec cannot express: pydantic's when pydantic
    validates it, a :class:`~.unions.UnionValidator` (each member by ``build_member``) for a
    union pydantic cannot build either (msgspec Structs); None when msgspec's path applies
    (or, with ``model_path``, the caller's own path for model-adapter annotations)."""
    from fasterapi_core.validation.adapters import find_adapter
    from fasterapi_core.validation.unions import UnionValidator, union_members

    adapter = find_adapter(annotation)
    if adapter is not None and not isinstance(adapter, _pydantic_adapter_type()):
        return None  # another model library's adapter decides
    if adapter is None and not options and not needs_pydantic(annotation, constraints):
        return None
    plain_model = model_path and not options and constraints.is_empty()
    if plain_model and adapter is not None and union_members(annotation) is None:
        return None  # the pydantic model adapter's own path (bodies), no TypeAdapter to try
    try:
        target = pydantic_field(annotation, constraints, options or {})
    except ImportError:  # pydantic is not installed
        target = None
    if target is not None and pydantic_can_validate(target):
        if model_path and adapter is not None and not options and constraints.is_empty():
            return None  # the pydantic model adapter's own path (bodies)
        return PydanticFieldValidator(annotation, constraints, loc=loc, options=options or {})
    if union_members(annotation) is not None:
        return UnionValidator(annotation, loc=loc, build=build_member)
    if options:
        raise TypeError(f"{', '.join(options)} need pydantic, which cannot validate {annotation!r}")
    return None


def _pydantic_adapter_type() -> type:
    from fasterapi_core.validation.adapters import PydanticAdapter

    return PydanticAdapter
