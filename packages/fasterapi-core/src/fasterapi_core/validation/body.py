"""Validators for JSON request bodies (and embedded body fields / form models)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import msgspec

from fasterapi_core.validation._dataclass_defaults import default_filler
from fasterapi_core.validation._dataclass_defaults import fill_value as _fill_value
from fasterapi_core.validation._nodes import BAD, compile_node
from fasterapi_core.validation.adapters import find_adapter
from fasterapi_core.validation.constraints import NO_CONSTRAINTS, Constraints, constrain
from fasterapi_core.validation.errors import (
    ErrorDict,
    Loc,
    json_invalid_errors,
    missing_error,
    msgspec_error,
)
from fasterapi_core.validation.fallback import fallback_validator
from fasterapi_core.validation.scalars import patch_decimal_bounds

__all__ = ["BodyValidator", "decode_json"]

Result = tuple[Any, list[ErrorDict] | None]

_any_decoder: msgspec.json.Decoder[Any] = msgspec.json.Decoder()
# msgspec raises these for malformed JSON, deep nesting and invalid UTF-8 respectively.
_DECODE_ERRORS = (msgspec.DecodeError, RecursionError, UnicodeDecodeError)


def decode_json(body: bytes, *, loc: Loc = ("body",)) -> Result:
    """Decode JSON without a target type; failures map to FastAPI's ``json_invalid`` error."""
    try:
        return _any_decoder.decode(body), None
    except _DECODE_ERRORS as exc:
        return None, json_invalid_errors(body, exc, loc)


class BodyValidator:
    """Decode and validate a JSON body of any supported annotation.

    msgspec types (Struct, dataclass, TypedDict, builtins) use one prebuilt
    ``msgspec.json.Decoder``; when it rejects the input, a diagnostic pass reports every
    error (pydantic v2 shapes, full locs, declaration order). Annotations claimed by a model
    adapter (pydantic models, plugins) are validated by that adapter.

    An empty body is reported as ``missing`` at ``loc``: callers with an optional body check
    for emptiness first.
    """

    __slots__ = ("_adapted", "_decode", "_node", "_slow", "_type", "annotation", "decode", "loc")

    _post_processed = False  # subclasses changing validate_json's value set this

    def __new__(
        cls,
        annotation: Any,
        constraints: Constraints = NO_CONSTRAINTS,
        *,
        loc: Loc = ("body",),
        options: Mapping[str, Any] | None = None,
    ) -> Any:
        """A :class:`BodyValidator`, or the pydantic fallback's validator when msgspec cannot
        express ``annotation`` (see :mod:`.fallback`); decided once, here."""
        if cls is BodyValidator:
            other = fallback_validator(
                annotation,
                constraints,
                loc,
                options,
                lambda member: BodyValidator(member, loc=loc),
                model_path=True,
            )
            if other is not None:
                return other
            if default_filler(annotation) is not None:
                return object.__new__(_FillingBodyValidator)
        return object.__new__(cls)

    def __init__(
        self,
        annotation: Any,
        constraints: Constraints = NO_CONSTRAINTS,
        *,
        loc: Loc = ("body",),
        options: Mapping[str, Any] | None = None,
    ) -> None:
        self.annotation = annotation
        self.loc = loc
        adapter = find_adapter(annotation)
        self._adapted: Any = None
        self.decode: Callable[[bytes], Any] | None = None
        """msgspec's decoder when, for a non-empty body it accepts, its value is
        :meth:`validate_json`'s (any exception: ask :meth:`validate_json` for the errors)."""
        if adapter is not None:
            self._adapted = adapter.body_validator(annotation, constraints, loc)
            self._slow = True
            return
        constrained, bounds = constrain(annotation, constraints)
        self._type = constrained
        self._decode = msgspec.json.Decoder(constrained, strict=False).decode
        self._node = compile_node(constrained)
        patch_decimal_bounds(self._node, bounds)
        self._slow = bounds is not None
        if not self._slow and not self._post_processed:
            self.decode = self._decode

    def validate_json(self, body: bytes) -> Result:
        """Decode and validate ``body``; returns ``(value, None)`` or ``(None, errors)``."""
        if self._adapted is not None:
            if not body:
                return None, [missing_error(self.loc)]
            data, errors = decode_json(body, loc=self.loc)
            if errors:
                return None, errors
            result: Result = self._adapted.validate_python(data)
            return result
        if self._slow:
            data, errors = decode_json(body, loc=self.loc)
            return (None, errors) if errors else self._diagnose(data)
        try:
            return self._decode(body), None
        except msgspec.ValidationError:
            pass
        except _DECODE_ERRORS as exc:
            if not body:
                return None, [missing_error(self.loc)]
            return None, json_invalid_errors(body, exc, self.loc)
        data, errors = decode_json(body, loc=self.loc)
        return (None, errors) if errors else self._diagnose(data)

    def validate_python(self, data: Any) -> Result:
        """Validate already-decoded data (embedded body fields, form models)."""
        if self._adapted is not None:
            result: Result = self._adapted.validate_python(data)
            return result
        if not self._slow:
            try:
                return msgspec.convert(data, self._type, strict=False), None
            except msgspec.ValidationError:
                pass
        return self._diagnose(data)

    def _diagnose(self, data: Any) -> Result:
        errors: list[ErrorDict] = []
        value = self._node.check(data, self.loc, errors)
        if errors or value is BAD:
            return None, errors or [missing_error(self.loc, data)]
        try:
            return msgspec.convert(value, self._type, strict=False), None
        except msgspec.ValidationError as exc:
            return None, [msgspec_error(exc, data, self.loc)]


class _FillingBodyValidator(BodyValidator):
    """For annotations holding dataclasses with plain defaults: restores the defaults msgspec
    leaves unset on decoded instances (see ``_dataclass_defaults``)."""

    __slots__ = ()
    _post_processed = True

    def validate_json(self, body: bytes) -> Result:
        value, errors = super().validate_json(body)
        return (value, errors) if errors else (_fill_value(value), None)

    def validate_python(self, data: Any) -> Result:
        value, errors = super().validate_python(data)
        return (value, errors) if errors else (_fill_value(value), None)
