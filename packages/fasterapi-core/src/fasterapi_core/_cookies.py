"""Tolerant parsing of the ``Cookie`` request header."""

from __future__ import annotations

import re

__all__ = ["parse_cookie_header"]

# One escape at a time: ``\ooo`` (octal) or ``\x`` (any char). Linear, no backtracking.
_ESCAPE = re.compile(r"\\(?:([0-3][0-7][0-7])|(.))", re.DOTALL)


def _unescape(match: re.Match[str]) -> str:
    octal = match.group(1)
    return chr(int(octal, 8)) if octal else match.group(2)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        value = value[1:-1]
        if "\\" in value:
            value = _ESCAPE.sub(_unescape, value)
    return value


def parse_cookie_header(header: str) -> dict[str, str]:
    """Parse ``a=1; b="2"`` into a dict; never raises.

    Pairs without ``=`` or with an empty name are skipped, so a malformed cookie never hides its
    neighbours. Double-quoted values are unquoted. A repeated name keeps its last value.
    """
    cookies: dict[str, str] = {}
    for chunk in header.split(";"):
        name, sep, value = chunk.partition("=")
        name = name.strip()
        if not sep or not name:
            continue
        cookies[name] = _unquote(value.strip())
    return cookies
