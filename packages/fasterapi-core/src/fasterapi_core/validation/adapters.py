"""Model adapters: how FasterAPI recognises, validates, serialises and documents model types.

msgspec Structs, dataclasses and TypedDicts are handled natively (msgspec). Other model
libraries plug in through :class:`ModelAdapter`; a pydantic adapter is built in and used only
when pydantic is already imported by the application (pydantic is never required).
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import decimal
import enum
import sys
import types
import uuid
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal, Protocol, Union, get_args, get_origin, is_typeddict

import msgspec

from fasterapi_core._upload import UploadFile
from fasterapi_core.validation.constraints import Constraints
from fasterapi_core.validation.errors import ErrorDict, Loc, prefix_errors
from fasterapi_core.validation.pydantic_v1 import PydanticV1Refusal

__all__ = [
    "AdaptedSerializer",
    "AdaptedValidator",
    "ModelAdapter",
    "PydanticAdapter",
    "SerializeOptions",
    "find_adapter",
    "is_body_annotation",
    "is_model_annotation",
    "is_plain_scalar_annotation",
    "is_scalar_annotation",
    "register_model_adapter",
]

Result = tuple[Any, list[ErrorDict] | None]


@dataclasses.dataclass(frozen=True, slots=True)
class SerializeOptions:
    """Response filtering options (FastAPI's ``response_model_*`` keywords)."""

    include: set[str] | dict[str, Any] | None = None
    exclude: set[str] | dict[str, Any] | None = None
    exclude_unset: bool = False
    exclude_defaults: bool = False
    exclude_none: bool = False
    by_alias: bool = True


class AdaptedValidator(Protocol):
    """What :meth:`ModelAdapter.body_validator` returns."""

    def validate_python(self, data: Any) -> Result:
        """Validate decoded JSON data: ``(value, None)`` or ``(None, errors)`` with full locs."""
        ...


class AdaptedSerializer(Protocol):
    """What :meth:`ModelAdapter.serializer` returns; raise ResponseValidationError on bad data."""

    def serialize(self, value: Any) -> bytes:
        """Validate ``value`` against the response model and encode it as JSON bytes."""
        ...

    def to_python(self, value: Any) -> Any:
        """Validate ``value`` and return JSON-compatible Python data (dicts, lists, scalars)."""
        ...


class ModelAdapter(Protocol):
    """Implement to support another model library; see :func:`register_model_adapter`."""

    def matches(self, annotation: Any) -> bool:
        """True when this adapter handles ``annotation`` (possibly nested in Optional/list)."""
        ...

    def body_validator(
        self, annotation: Any, constraints: Constraints, loc: Loc
    ) -> AdaptedValidator:
        """A validator for a body (or body field) annotated ``annotation``; errors use ``loc``."""
        ...

    def serializer(self, annotation: Any, options: SerializeOptions) -> AdaptedSerializer:
        """A serializer for a response model ``annotation`` with the route's ``options``."""
        ...

    def json_schema(
        self, annotation: Any, ref_template: str
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """``(schema, definitions)``; references use ``ref_template``."""
        ...


_adapters: list[ModelAdapter] = []


def register_model_adapter(adapter: ModelAdapter) -> None:
    """Register ``adapter``; later registrations take precedence over earlier ones."""
    _adapters.insert(0, adapter)


def find_adapter(annotation: Any) -> ModelAdapter | None:
    """The adapter that claims ``annotation``, or None for msgspec-native types."""
    for adapter in _adapters:
        if adapter.matches(annotation):
            return adapter
    return None


def _walk(annotation: Any) -> list[Any]:
    """``annotation`` and every type nested in its arguments."""
    out = [annotation]
    for arg in get_args(annotation):
        if isinstance(arg, type | types.GenericAlias) or get_origin(arg) is not None:
            out.extend(_walk(arg))
    return out


# --- pydantic ---------------------------------------------------------------------------------


class _PydanticValidator:
    def __init__(self, annotation: Any, loc: Loc) -> None:
        import pydantic

        self._adapter = pydantic.TypeAdapter(annotation)
        self._error = pydantic.ValidationError
        self._loc = loc

    def validate_python(self, data: Any) -> Result:
        try:
            return self._adapter.validate_python(data, from_attributes=True), None
        except self._error as exc:
            return None, prefix_errors([dict(e) for e in exc.errors(include_url=False)], self._loc)


class _PydanticSerializer:
    def __init__(self, annotation: Any, options: SerializeOptions) -> None:
        import pydantic

        self._adapter = pydantic.TypeAdapter(annotation)
        self._error = pydantic.ValidationError
        self._dump: dict[str, Any] = {
            "include": options.include,
            "exclude": options.exclude,
            "exclude_unset": options.exclude_unset,
            "exclude_defaults": options.exclude_defaults,
            "exclude_none": options.exclude_none,
            "by_alias": options.by_alias,
        }

    def _validate(self, value: Any) -> Any:
        from fasterapi_core.exceptions import ResponseValidationError

        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            value = dataclasses.asdict(value)
        elif isinstance(value, msgspec.Struct):
            value = msgspec.structs.asdict(value)
        try:
            return self._adapter.validate_python(value, from_attributes=True)
        except self._error as exc:
            errors = prefix_errors(
                [dict(e) for e in exc.errors(include_url=False)],
                ("response",),
                keep_exceptions=True,
            )
            raise ResponseValidationError(errors, body=value) from None

    def serialize(self, value: Any) -> bytes:
        data: bytes = self._adapter.dump_json(self._validate(value), **self._dump)
        return data

    def to_python(self, value: Any) -> Any:
        return self._adapter.dump_python(self._validate(value), mode="json", **self._dump)


_GENERATOR: Any = None


def _fastapi_schema_generator() -> Any:
    """pydantic's JSON Schema generator with FastAPI's one change: ``bytes`` are documented as
    ``contentMediaType: application/octet-stream`` (``contentEncoding: base64`` when the
    model reads or writes them as base64) instead of ``format: binary``/``base64url``."""
    global _GENERATOR
    if _GENERATOR is None:
        from pydantic.json_schema import GenerateJsonSchema

        class FastAPISchema(GenerateJsonSchema):
            def bytes_schema(self, schema: Any) -> dict[str, Any]:
                json_schema: dict[str, Any] = {
                    "type": "string",
                    "contentMediaType": "application/octet-stream",
                }
                config = self._config
                serializing = self.mode == "serialization"
                if (config.ser_json_bytes if serializing else config.val_json_bytes) == "base64":
                    json_schema["contentEncoding"] = "base64"
                self.update_with_validations(json_schema, schema, self.ValidationsMapping.bytes)
                return json_schema

        _GENERATOR = FastAPISchema
    return _GENERATOR


class PydanticAdapter:
    """Routes any annotation containing a pydantic model through pydantic itself."""

    def matches(self, annotation: Any) -> bool:
        """True when ``annotation`` contains a pydantic model or pydantic dataclass (only if
        pydantic is imported)."""
        pydantic = sys.modules.get("pydantic")
        if pydantic is None:
            return False
        base = pydantic.BaseModel
        return any(
            isinstance(t, type) and (issubclass(t, base) or hasattr(t, "__pydantic_validator__"))
            for t in _walk(annotation)
        )

    def body_validator(
        self, annotation: Any, constraints: Constraints, loc: Loc
    ) -> _PydanticValidator:
        """Validate with a pydantic ``TypeAdapter``; errors are re-rooted at ``loc``."""
        return _PydanticValidator(annotation, loc)

    def serializer(self, annotation: Any, options: SerializeOptions) -> _PydanticSerializer:
        """Serialize through pydantic (``dump_json``/``dump_python`` with ``options``)."""
        return _PydanticSerializer(annotation, options)

    def json_schema(
        self, annotation: Any, ref_template: str
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Pydantic's JSON Schema for ``annotation``, its ``$defs`` returned separately."""
        import pydantic

        # Our templates spell the placeholder ``{name}`` (as msgspec does); pydantic: ``{model}``.
        template = ref_template.replace("{name}", "{model}")
        schema = dict(
            pydantic.TypeAdapter(annotation).json_schema(
                ref_template=template, schema_generator=_fastapi_schema_generator()
            )
        )
        definitions = schema.pop("$defs", {})
        return schema, dict(definitions)


register_model_adapter(PydanticAdapter())
register_model_adapter(PydanticV1Refusal())  # first asked: refuses pydantic.v1 models


# --- annotation classification ------------------------------------------------------------------

_SCALARS: tuple[type, ...] = (
    str,
    int,
    float,
    bool,
    bytes,
    decimal.Decimal,
    uuid.UUID,
    dt.datetime,
    dt.date,
    dt.time,
    dt.timedelta,
    enum.Enum,
)
_SEQUENCES = (list, set, frozenset, tuple, Sequence)


def _strip(annotation: Any) -> Any:
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation


def _union_args(annotation: Any) -> tuple[Any, ...] | None:
    if get_origin(annotation) in (Union, types.UnionType):
        return tuple(a for a in get_args(annotation) if a is not type(None))
    return None


def is_model_annotation(annotation: Any) -> bool:
    """True for Struct/dataclass/TypedDict/adapter models, also inside ``Optional``."""
    annotation = _strip(annotation)
    members = _union_args(annotation)
    if members is not None:
        return any(is_model_annotation(m) for m in members)
    if isinstance(annotation, type) and (
        issubclass(annotation, msgspec.Struct)
        or dataclasses.is_dataclass(annotation)
        or is_typeddict(annotation)
    ):
        return True
    return find_adapter(annotation) is not None


_COMPLEX: tuple[type, ...] = (Mapping, list, tuple, set, frozenset, collections.deque)


def _is_plain_scalar(annotation: Any) -> bool:
    """FastAPI's rule: anything but a model, a mapping, a sequence or an upload is a scalar
    (``HttpUrl``, ``IPv4Address``, ``Path``, ``SecretStr``, ... are query parameters)."""
    annotation = _strip(annotation)
    if annotation is Any or get_origin(annotation) is Literal:
        return True
    members = _union_args(annotation)
    if members is not None:
        return all(_is_plain_scalar(m) for m in members)
    if isinstance(annotation, type) and issubclass(annotation, _SCALARS):
        return True
    origin = get_origin(annotation) or annotation
    if not isinstance(origin, type):
        return True  # NewType, TypeAliasType...: as pydantic sees through them
    if issubclass(origin, _COMPLEX) or hasattr(origin, "__attrs_attrs__"):
        return False
    if is_model_annotation(annotation) or issubclass(origin, UploadFile):
        return False
    return not issubclass(origin, Sequence)


def is_plain_scalar_annotation(annotation: Any) -> bool:
    """FastAPI's rule for a parameter without marker to be read from the query string: a
    scalar or a union of scalars (a ``list[str]`` without ``Query()`` is a body)."""
    return _is_plain_scalar(annotation)


def is_scalar_annotation(annotation: Any) -> bool:
    """True for scalars, unions of scalars and sequences of scalars (FastAPI's query inference)."""
    annotation = _strip(annotation)
    if _is_plain_scalar(annotation):
        return True
    members = _union_args(annotation)
    if members is not None:
        return all(is_scalar_annotation(m) for m in members)
    origin = get_origin(annotation) or annotation
    if origin in _SEQUENCES or (isinstance(origin, type) and origin in (list, set, frozenset)):
        args = [a for a in get_args(annotation) if a is not Ellipsis]
        return all(_is_plain_scalar(a) for a in args)
    return False


def is_body_annotation(annotation: Any) -> bool:
    """True when FastAPI would read the parameter from the body: models, dicts, lists of models."""
    if is_model_annotation(annotation):
        return True
    annotation = _strip(annotation)
    if is_scalar_annotation(annotation):
        return False
    members = _union_args(annotation)
    if members is not None:
        return any(is_body_annotation(m) for m in members)
    origin = get_origin(annotation) or annotation
    return isinstance(origin, type) and issubclass(origin, Mapping | list | tuple | set | frozenset)
