"""Streaming parsers for ``application/x-www-form-urlencoded`` and ``multipart/form-data``.

Both are fed chunk by chunk with python-multipart's parsers; limits (``FormLimits``) are checked
as data arrives. Bad input gives ``BaseHTTPException`` 400 (malformed, too many parts, a field
over ``max_part_size``: FastAPI's answers) or 413 (part headers or the whole body too large), and
any file already created is closed.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_to_bytes

from fasterapi_core._multipart import MultipartReader
from fasterapi_core._options import check_charset, parse_options_header
from fasterapi_core.datastructures import FormData, Headers, UploadFile
from fasterapi_core.exceptions import BaseHTTPException

try:
    from python_multipart.exceptions import ParseError
    from python_multipart.multipart import MultipartParser, QuerystringParser
except ImportError:  # pragma: no cover - python-multipart < 0.0.13
    from multipart.exceptions import ParseError  # type: ignore[no-redef, import-untyped, import-not-found, unused-ignore]
    from multipart.multipart import (  # type: ignore[no-redef, import-untyped, import-not-found, unused-ignore]
        MultipartParser,
        QuerystringParser,
    )

__all__ = [
    "DEFAULT_FORM_LIMITS",
    "FormLimits",
    "parse_form",
    "parse_options_header",
]


@dataclass(frozen=True, slots=True)
class FormLimits:
    """Limits applied while parsing a form body.

    ``max_part_size`` bounds each non-file value; files are only bounded by ``max_body_size``
    (``None``: unbounded). ``max_part_header_size`` bounds the headers of one multipart part.
    """

    max_files: int = 1000
    max_fields: int = 1000
    max_part_size: int = 1024 * 1024
    max_part_header_size: int = 8 * 1024
    max_body_size: int | None = None


DEFAULT_FORM_LIMITS = FormLimits()

_MAX_BOUNDARY = 70  # RFC 2046 §5.1.1
_BCHARS = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ")
_MULTIPART_KWARGS = {
    name
    for name in ("max_header_size", "max_header_count")
    if name in inspect.signature(MultipartParser).parameters
}


def _field_too_large(limit: int) -> BaseHTTPException:
    """FastAPI's (Starlette's) 400 for a urlencoded field (name and value) over the limit."""
    return BaseHTTPException(400, f"Field exceeded maximum size of {limit // 1024}KB.")


def _unquote_plus(raw: bytearray) -> bytes:
    return unquote_to_bytes(bytes(raw).replace(b"+", b" "))


def _decode(value: bytes, charset: str, what: str) -> str:
    try:
        return value.decode(charset)
    except UnicodeDecodeError:
        raise BaseHTTPException(400, f"Invalid {charset} encoding in form {what}.") from None


class _BodyCounter:
    """Counts body bytes against ``max_body_size``."""

    __slots__ = ("limit", "total")

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.total = 0

    def add(self, chunk: bytes) -> None:
        self.total += len(chunk)
        if self.limit is not None and self.total > self.limit:
            raise BaseHTTPException(
                413, f"Request body exceeded maximum size of {self.limit} bytes."
            )


async def _parse_urlencoded(
    stream: AsyncIterator[bytes], limits: FormLimits, charset: str
) -> FormData:
    fields: list[tuple[bytearray, bytearray]] = []
    state: dict[str, Any] = {"name": bytearray(), "value": bytearray()}

    def on_field_start() -> None:
        if len(fields) >= limits.max_fields:
            raise BaseHTTPException(
                400, f"Too many fields. Maximum number of fields is {limits.max_fields}."
            )
        state["name"], state["value"] = bytearray(), bytearray()
        fields.append((state["name"], state["value"]))

    def check_size() -> None:  # the name and the value count together, as in FastAPI
        if len(state["name"]) + len(state["value"]) > limits.max_part_size:
            raise _field_too_large(limits.max_part_size)

    def on_field_name(data: bytes, start: int, end: int) -> None:
        name: bytearray = state["name"]
        name += data[start:end]
        check_size()

    def on_field_data(data: bytes, start: int, end: int) -> None:
        value: bytearray = state["value"]
        value += data[start:end]
        check_size()

    callbacks: dict[str, Callable[..., None]] = {
        "on_field_start": on_field_start,
        "on_field_name": on_field_name,
        "on_field_data": on_field_data,
    }
    parser = QuerystringParser(callbacks)  # type: ignore[arg-type]
    counter = _BodyCounter(limits.max_body_size)
    try:
        async for chunk in stream:
            counter.add(chunk)
            parser.write(chunk)
        parser.finalize()
    except ParseError as exc:
        raise BaseHTTPException(400, f"Invalid form body: {exc}") from None
    decoded = [
        (
            unquote_to_bytes(bytes(n).replace(b"+", b" ")),
            unquote_to_bytes(bytes(v).replace(b"+", b" ")),
        )
        for n, v in fields
    ]
    for raw_name, raw_value in decoded:
        if raw_name == b"_charset_":
            try:
                charset = check_charset(raw_value.decode("ascii").strip())
            except UnicodeDecodeError:
                raise BaseHTTPException(400, "Invalid _charset_ value in form data.") from None
    items: list[tuple[str, str | UploadFile]] = []
    for raw_name, raw_value in decoded:
        name = _decode(raw_name, charset, "field name")
        items.append((name, _decode(raw_value, charset, f"field {name!r}")))
    return FormData(items)


async def parse_form(
    headers: Headers, stream: AsyncIterator[bytes], limits: FormLimits = DEFAULT_FORM_LIMITS
) -> FormData:
    """Parse a form body according to its ``Content-Type``; other types give an empty form."""
    media_type, params = parse_options_header(headers.get("content-type", ""))
    charset = check_charset(params.get("charset", "utf-8"))
    if media_type == "multipart/form-data":
        boundary = params.get("boundary")
        if not boundary:
            raise BaseHTTPException(400, "Missing boundary in multipart/form-data Content-Type.")
        if len(boundary) > _MAX_BOUNDARY:
            raise BaseHTTPException(
                400, f"Multipart boundary is longer than {_MAX_BOUNDARY} characters."
            )
        if not _BCHARS.issuperset(boundary) or boundary.endswith(" "):
            raise BaseHTTPException(400, "Invalid character in multipart boundary.")
        reader = MultipartReader(limits, charset)
        kwargs: dict[str, int] = {}
        if "max_header_size" in _MULTIPART_KWARGS:
            kwargs["max_header_size"] = limits.max_part_header_size + 64
        if "max_header_count" in _MULTIPART_KWARGS:
            kwargs["max_header_count"] = 64
        parser = MultipartParser(
            boundary.encode("latin-1"),
            reader.callbacks,  # type: ignore[arg-type]
            **kwargs,
        )
        return await reader.run(parser, stream, _BodyCounter(limits.max_body_size).add)
    if media_type == "application/x-www-form-urlencoded":
        return await _parse_urlencoded(stream, limits, charset)
    return FormData()
