"""Pure HTTP logic for conditional and Range requests (RFC 9110 §13, §14).

Shared by :class:`fasterapi_core.fileresponse.FileResponse` and the extras' ``StaticFiles``; it does
no I/O. Byte ranges are half-open ``(start, stop)`` pairs.

Limits (so a hostile ``Range`` header costs little): a header longer than ``MAX_RANGE_HEADER``
characters or holding more than ``MAX_RANGES`` ranges is *ignored* (the full representation is
sent with 200, as RFC 9110 §14.2 allows); overlapping or adjacent ranges are merged.
"""

from __future__ import annotations

from collections.abc import Iterable
from email.utils import mktime_tz, parsedate_tz
from typing import NamedTuple

__all__ = [
    "MAX_RANGES",
    "MAX_RANGE_HEADER",
    "ConditionalHeaders",
    "MultipartPlan",
    "RangeNotSatisfiable",
    "content_range",
    "if_range_matches",
    "is_not_modified",
    "multipart_plan",
    "parse_http_date",
    "parse_range",
    "request_conditions",
]

MAX_RANGES = 100
MAX_RANGE_HEADER = 8192


class RangeNotSatisfiable(ValueError):
    """No range of the header overlaps the representation: answer 416."""

    def __init__(self, size: int) -> None:
        super().__init__(f"Range not satisfiable for a representation of {size} bytes")
        self.size = size


class ConditionalHeaders(NamedTuple):
    """The request headers that conditional / Range handling looks at (latin-1 text or None)."""

    range: str | None
    if_range: str | None
    if_none_match: str | None
    if_modified_since: str | None


_WANTED = {
    b"range": 0,
    b"if-range": 1,
    b"if-none-match": 2,
    b"if-modified-since": 3,
}
_NO_CONDITIONS = ConditionalHeaders(None, None, None, None)


def request_conditions(raw_headers: Iterable[tuple[bytes, bytes]] | None) -> ConditionalHeaders:
    """Pick the four relevant headers out of ASGI ``scope["headers"]`` in one pass."""
    if not raw_headers:
        return _NO_CONDITIONS
    found: list[str | None] = [None, None, None, None]
    wanted = _WANTED
    for name, value in raw_headers:
        index = wanted.get(name.lower() if not name.islower() else name)
        if index is not None:
            text = value.decode("latin-1")
            previous = found[index]
            # Repeated list headers are combined; repeated singletons keep the first value.
            found[index] = (
                text if previous is None else (f"{previous}, {text}" if index == 2 else previous)
            )
    return ConditionalHeaders(*found)


def parse_http_date(value: str | None) -> float | None:
    """An HTTP-date as a POSIX timestamp, or None when it is missing or malformed."""
    if not value or len(value) > 64:
        return None
    try:
        parsed = parsedate_tz(value)
        return None if parsed is None else float(mktime_tz(parsed))
    except (TypeError, ValueError, OverflowError):
        return None


def _opaque(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag[:2] in ("W/", "w/") else tag


def is_not_modified(
    conditions: ConditionalHeaders, etag: str | None, last_modified: str | None
) -> bool:
    """True when the client's cached copy is current (answer 304).

    ``If-None-Match`` (weak comparison, ``*`` matches anything) takes precedence; only without it
    is ``If-Modified-Since`` compared with ``last_modified`` (whole seconds).
    """
    if_none_match = conditions.if_none_match
    if if_none_match is not None:
        if if_none_match.strip() == "*":
            return True
        if etag is None:
            return False
        mine = _opaque(etag)
        return any(_opaque(tag) == mine for tag in if_none_match.split(","))
    since = parse_http_date(conditions.if_modified_since)
    if since is None:
        return False
    modified = parse_http_date(last_modified)
    return modified is not None and modified <= since


def if_range_matches(if_range: str | None, etag: str | None, last_modified: str | None) -> bool:
    """Whether ``If-Range`` lets the Range header apply (absent → True).

    An entity tag must match strongly (a weak tag never matches); a date must equal
    ``Last-Modified`` exactly.
    """
    if if_range is None:
        return True
    value = if_range.strip()
    if value.startswith(('"', "W/", "w/")):
        return etag is not None and not etag.startswith("W/") and value == etag.strip()
    date = parse_http_date(value)
    return date is not None and date == parse_http_date(last_modified)


_HUGE = 10**18


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _number(text: str) -> int:
    # Beyond any file size; also keeps int() clear of its 4300-digit limit.
    return int(text) if len(text) <= 18 else _HUGE


def parse_range(
    value: str, size: int, max_ranges: int = MAX_RANGES
) -> list[tuple[int, int]] | None:
    """Parse a ``Range`` header against a representation of ``size`` bytes.

    Returns merged, sorted half-open ranges, or None when the header must be ignored (another
    unit, bad syntax, too long, more than ``max_ranges`` ranges): then send the whole file.
    Raises :class:`RangeNotSatisfiable` when the syntax is fine but no range overlaps the file.
    """
    if len(value) > MAX_RANGE_HEADER:
        return None
    unit, sep, spec = value.partition("=")
    if not sep or unit.strip().lower() != "bytes":
        return None
    if spec.count(",") >= max_ranges:
        return None
    ranges: list[tuple[int, int]] = []
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue  # RFC 9110 allows empty list elements
        first, dash, last = part.partition("-")
        first, last = first.strip(), last.strip()
        if (
            not dash
            or not (_is_number(first) or first == "")
            or not (_is_number(last) or last == "")
        ):
            return None
        if first == "":
            if last == "":
                return None
            suffix = _number(last)
            if suffix > 0 and size > 0:
                ranges.append((max(size - suffix, 0), size))
            continue
        start = _number(first)
        if last != "" and _number(last) < start:
            return None
        if start >= size:
            continue
        stop = size if last == "" else min(_number(last) + 1, size)
        ranges.append((start, stop))
    if not ranges:
        if spec.strip(" ,") == "":
            return None
        raise RangeNotSatisfiable(size)
    ranges.sort()
    merged = [ranges[0]]
    for start, stop in ranges[1:]:
        last_start, last_stop = merged[-1]
        if start <= last_stop:
            merged[-1] = (last_start, max(last_stop, stop))
        else:
            merged.append((start, stop))
    return merged


def content_range(start: int, stop: int, size: int) -> bytes:
    """The ``Content-Range`` value for the half-open range ``[start, stop)``."""
    return b"bytes %d-%d/%d" % (start, stop - 1, size)


class MultipartPlan(NamedTuple):
    """A ``multipart/byteranges`` body: per-part (header bytes, start, stop), the closing
    delimiter, the exact ``content-length`` and the ``content-type`` header value."""

    parts: list[tuple[bytes, int, int]]
    closing: bytes
    content_length: int
    content_type: bytes


def multipart_plan(
    ranges: list[tuple[int, int]], size: int, media_type: str, boundary: str
) -> MultipartPlan:
    """Lay out a ``multipart/byteranges`` body for ``ranges`` (each part ends with CRLF)."""
    encoded_type = media_type.encode("latin-1")
    delimiter = b"--" + boundary.encode("ascii")
    parts: list[tuple[bytes, int, int]] = []
    total = 0
    for start, stop in ranges:
        head = b"%s\r\ncontent-type: %s\r\ncontent-range: %s\r\n\r\n" % (
            delimiter,
            encoded_type,
            content_range(start, stop, size),
        )
        parts.append((head, start, stop))
        total += len(head) + (stop - start) + 2
    closing = delimiter + b"--\r\n"
    total += len(closing)
    content_type = b"multipart/byteranges; boundary=" + boundary.encode("ascii")
    return MultipartPlan(parts, closing, total, content_type)
