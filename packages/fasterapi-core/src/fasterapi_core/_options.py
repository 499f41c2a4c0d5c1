"""Header option parsing for forms: ``parse_options_header`` and charset checks."""

from __future__ import annotations

import codecs

from fasterapi_core.exceptions import BaseHTTPException

__all__ = ["check_charset", "parse_options_header"]


def parse_options_header(value: str) -> tuple[str, dict[str, str]]:
    """Split ``type/sub; a=1; b="x;y"`` into ``("type/sub", {"a": "1", "b": "x;y"})``.

    A single left-to-right scan (no regular expressions), so hostile input costs linear time.
    Parameter names are lower-cased; quoted values are unquoted; malformed pieces are skipped.
    """
    segments: list[str] = []
    current: list[str] = []
    in_quotes = escaped = False
    for char in value:
        if escaped:
            current.append(char)
            escaped = False
        elif in_quotes and char == "\\":
            current.append(char)
            escaped = True
        elif char == '"':
            current.append(char)
            in_quotes = not in_quotes
        elif char == ";" and not in_quotes:
            segments.append("".join(current))
            current = []
        else:
            current.append(char)
    segments.append("".join(current))
    media_type = segments[0].strip().lower()
    params: dict[str, str] = {}
    for segment in segments[1:]:
        name, sep, raw = segment.partition("=")
        name = name.strip().lower()
        if not sep or not name:
            continue
        raw = raw.strip()
        if len(raw) >= 2 and raw[0] == '"' and raw[-1] == '"':
            raw = raw[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        params.setdefault(name, raw)
    return media_type, params


def check_charset(charset: str) -> str:
    """The canonical name of ``charset``; ``BaseHTTPException(400)`` when it is unknown."""
    try:
        return codecs.lookup(charset).name
    except LookupError:
        raise BaseHTTPException(400, f"Unknown charset {charset!r} in form data.") from None
