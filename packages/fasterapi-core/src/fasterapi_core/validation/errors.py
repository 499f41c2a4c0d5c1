"""Pydantic-v2-shaped error dicts (as FastAPI 0.115+ returns them) and msgspec error mapping."""

from __future__ import annotations

import json
import re
from typing import Any

import msgspec

__all__ = [
    "MESSAGES",
    "ErrorDict",
    "Loc",
    "error",
    "json_invalid_errors",
    "missing_error",
    "msgspec_error",
    "prefix_errors",
]

Loc = tuple[str | int, ...]
ErrorDict = dict[str, Any]

MESSAGES: dict[str, str] = {
    "missing": "Field required",
    "int_parsing": "Input should be a valid integer, unable to parse string as an integer",
    "int_type": "Input should be a valid integer",
    "int_from_float": "Input should be a valid integer, got a number with a fractional part",
    "float_parsing": "Input should be a valid number, unable to parse string as a number",
    "float_type": "Input should be a valid number",
    "finite_number": "Input should be a finite number",
    "bool_parsing": "Input should be a valid boolean, unable to interpret input",
    "bool_type": "Input should be a valid boolean",
    "string_type": "Input should be a valid string",
    "bytes_type": "Input should be a valid bytes",
    "none_required": "Input should be None",
    "string_too_short": "String should have at least {min_length} character{s}",
    "string_too_long": "String should have at most {max_length} character{s}",
    "string_pattern_mismatch": "String should match pattern '{pattern}'",
    "greater_than": "Input should be greater than {gt}",
    "greater_than_equal": "Input should be greater than or equal to {ge}",
    "less_than": "Input should be less than {lt}",
    "less_than_equal": "Input should be less than or equal to {le}",
    "multiple_of": "Input should be a multiple of {multiple_of}",
    "enum": "Input should be {expected}",
    "literal_error": "Input should be {expected}",
    "uuid_parsing": "Input should be a valid UUID, {error}",
    "uuid_type": "UUID input should be a string, bytes or UUID object",
    "datetime_parsing": "Input should be a valid datetime, {error}",
    "datetime_from_date_parsing": "Input should be a valid datetime or date, {error}",
    "datetime_type": "Input should be a valid datetime",
    "date_parsing": "Input should be a valid date in the format YYYY-MM-DD, {error}",
    "date_from_datetime_inexact": (
        "Datetimes provided to dates should have zero time - e.g. be exact dates"
    ),
    "date_from_datetime_parsing": "Input should be a valid date or datetime, {error}",
    "date_type": "Input should be a valid date",
    "time_parsing": "Input should be in a valid time format, {error}",
    "time_type": "Input should be a valid time",
    "decimal_parsing": "Input should be a valid decimal",
    "decimal_type": "Decimal input should be an integer, float, string or Decimal object",
    "decimal_max_digits": "Decimal input should have no more than {max_digits} digit{s} in total",
    "decimal_max_places": (
        "Decimal input should have no more than {decimal_places} decimal place{s}"
    ),
    "decimal_whole_digits": (
        "Decimal input should have no more than {whole_digits} digit{s} before the decimal point"
    ),
    "list_type": "Input should be a valid list",
    "set_type": "Input should be a valid set",
    "frozen_set_type": "Input should be a valid frozenset",
    "tuple_type": "Input should be a valid tuple",
    "dict_type": "Input should be a valid dictionary",
    "model_attributes_type": "Input should be a valid dictionary or object to extract fields from",
    "model_type": "Input should be a valid dictionary or instance of {class_name}",
    "dataclass_type": "Input should be a dictionary or an instance of {class_name}",
    "too_short": "{field_type} should have at least {min_length} item{s} after validation, "
    "not {actual_length}",
    "too_long": "{field_type} should have at most {max_length} item{s} after validation, "
    "not {actual_length}",
    "extra_forbidden": "Extra inputs are not permitted",
    "json_invalid": "JSON decode error",
    "value_error": "Value error, {error}",
}

# Error types whose ctx pydantic does not expose in the error dict.
_HIDDEN_CTX = frozenset({"model_type"})
_PLURAL_KEY = {
    "string_too_short": "min_length",
    "string_too_long": "max_length",
    "too_short": "min_length",
    "too_long": "max_length",
    "decimal_max_digits": "max_digits",
    "decimal_max_places": "decimal_places",
    "decimal_whole_digits": "whole_digits",
}


def error(type_: str, loc: Loc, input_: Any, ctx: dict[str, Any] | None = None) -> ErrorDict:
    """Build one error dict; ``msg`` is rendered from :data:`MESSAGES` and ``ctx``."""
    template = MESSAGES.get(type_, type_)
    if ctx:
        fmt = dict(ctx)
        plural_key = _PLURAL_KEY.get(type_)
        if plural_key is not None:
            fmt["s"] = "" if ctx.get(plural_key) == 1 else "s"
        msg = template.format(**fmt)
        if type_ not in _HIDDEN_CTX:
            return {"type": type_, "loc": list(loc), "msg": msg, "input": input_, "ctx": ctx}
        return {"type": type_, "loc": list(loc), "msg": msg, "input": input_}
    return {"type": type_, "loc": list(loc), "msg": template, "input": input_}


def missing_error(loc: Loc, input_: Any = None) -> ErrorDict:
    """The ``missing`` / "Field required" error."""
    return {"type": "missing", "loc": list(loc), "msg": "Field required", "input": input_}


def prefix_errors(
    errors: list[dict[str, Any]], loc: Loc, *, keep_exceptions: bool = False
) -> list[ErrorDict]:
    """Prefix every error's loc with ``loc`` (for errors produced by pydantic or sub-validators).
    An exception in an error's ``ctx`` becomes ``{}`` (what FastAPI's 422 shows), unless
    ``keep_exceptions`` (``ResponseValidationError.errors()`` keeps pydantic's, as FastAPI's)."""
    out: list[ErrorDict] = []
    for err in errors:
        new: ErrorDict = {
            "type": err["type"],
            "loc": [*loc, *err["loc"]],
            "msg": err["msg"],
            "input": err.get("input"),
        }
        ctx = err.get("ctx")
        if ctx and keep_exceptions:
            new["ctx"] = ctx
        elif ctx:
            # FastAPI's jsonable_encoder turns an exception object into ``{}``
            new["ctx"] = {k: ({} if isinstance(v, BaseException) else v) for k, v in ctx.items()}
        out.append(new)
    return out


_BYTE_RE = re.compile(r"\(byte (\d+)\)")


def json_invalid_errors(body: bytes, exc: Exception, loc: Loc = ("body",)) -> list[ErrorDict]:
    """Map a JSON decode failure to FastAPI's ``json_invalid`` error.

    This is the slow path: the standard library parser is run to reproduce FastAPI's exact
    position and message; when it accepts what msgspec refused (NaN, Infinity, huge exponents,
    nesting deeper than msgspec allows) msgspec's own message and byte offset are used.
    """
    try:
        json.loads(body)
    except json.JSONDecodeError as std:
        return [error("json_invalid", (*loc, std.pos), {}, {"error": std.msg})]
    except (RecursionError, UnicodeDecodeError, ValueError):
        pass
    text = str(exc)
    match = _BYTE_RE.search(text)
    pos = int(match.group(1)) if match else 0
    message = _BYTE_RE.sub("", text).strip().removeprefix("JSON is malformed: ")
    return [error("json_invalid", (*loc, pos), {}, {"error": message or "Invalid JSON"})]


_PATH_RE = re.compile(r" - at `\$(.*)`$")
_PART_RE = re.compile(r"\.([^.\[]+)|\[(\d+)\]")


def msgspec_error(exc: msgspec.ValidationError, data: Any, loc: Loc) -> ErrorDict:
    """Last-resort mapping of a msgspec ``ValidationError`` to one pydantic-shaped error.

    Used only when the diagnostic pass found nothing but msgspec still refused the input.
    """
    text = str(exc)
    parts: list[str | int] = []
    match = _PATH_RE.search(text)
    if match:
        text = text[: match.start()]
        for name, index in _PART_RE.findall(match.group(1)):
            parts.append(int(index) if index else name)
    value = data
    for part in parts:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            value = None
            break
    if text.startswith("Object missing required field"):
        field = text.rsplit("`", 2)[-2] if "`" in text else ""
        return missing_error((*loc, *parts, field), value)
    return {
        "type": "value_error",
        "loc": [*loc, *parts],
        "msg": f"Value error, {text}",
        "input": value,
        "ctx": {"error": text},
    }
