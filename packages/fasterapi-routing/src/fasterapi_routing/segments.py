"""Route path templates parsed into typed segments (static, parameter, pattern, catch-all).

``parse_path_params`` validates a template and names its parameters; the radix tree builds its
nodes from the segment specs ``parse_segments`` returns.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from .convertors import CONVERTORS, NO_MATCH, Convertor, PathConvertor

__all__ = [
    "CATCHALL",
    "KIND_ORDER",
    "PARAM",
    "PATTERN",
    "STATIC",
    "TAIL",
    "SegmentSpec",
    "parse_path_params",
    "parse_segments",
]

STATIC: Final = 0
PARAM: Final = 1  # literal 1 and 2 are used in the hot loop of RadixRouter._search
PATTERN: Final = 2
TAIL: Final = 3  # pattern ending in {x:path}: matched against the rest of the path
CATCHALL: Final = 4  # whole-segment {x:path}

KIND_ORDER: Final = {PATTERN: 0, TAIL: 1, PARAM: 2, CATCHALL: 3}
_BRACED = re.compile(r"\{([^{}]*)\}")


class _Pattern:
    """Compiled pattern segment: a regex plus one convertor per captured group."""

    __slots__ = ("convertors", "groups", "regex")

    def __init__(self, parts: list[str | Convertor]) -> None:
        pieces: list[str] = []
        groups: list[str] = []
        for part in parts:
            if isinstance(part, str):
                pieces.append(re.escape(part))
            else:
                group = f"p{len(groups)}"
                groups.append(group)
                pieces.append(f"(?P<{group}>{part.regex})")
        self.regex = re.compile("".join(pieces), re.DOTALL)
        self.groups = tuple(groups)
        self.convertors = tuple(p for p in parts if not isinstance(p, str))

    def parse(self, text: str) -> list[Any] | None:
        """Return the converted captures, or None when ``text`` does not match."""
        found = self.regex.fullmatch(text)
        if found is None:
            return None
        values: list[Any] = []
        for group, convertor in zip(self.groups, self.convertors, strict=True):
            value = convertor.parse(found.group(group))
            if value is NO_MATCH:
                return None
            values.append(value)
        return values


# A parsed segment: (kind, key shared by routes of the same shape, matcher).
SegmentSpec = tuple[int, str, Any]


def parse_segments(
    path: str, convertors: Mapping[str, Convertor]
) -> tuple[list[SegmentSpec], list[str]]:
    """Split a route path into segment specs and parameter names; raise ValueError if malformed."""
    if not path.startswith("/"):
        raise ValueError(f"route path must start with '/': {path!r}")
    specs: list[SegmentSpec] = []
    names: list[str] = []
    segments = path[1:].split("/")
    last = len(segments) - 1
    for index, segment in enumerate(segments):
        parts: list[str | Convertor] = []
        key: list[str] = []
        position = 0
        for found in _BRACED.finditer(segment):
            literal = segment[position : found.start()]
            _check_literal(literal, path)
            if literal:
                parts.append(literal)
                key.append(literal)
            name, colon, conv_name = found.group(1).partition(":")
            if not name.isidentifier():
                raise ValueError(f"invalid parameter name {name!r} in route path {path!r}")
            if name in names:
                raise ValueError(f"duplicate parameter name {name!r} in route path {path!r}")
            conv_name = conv_name if colon else "str"
            convertor = convertors.get(conv_name)
            if convertor is None:
                known = ", ".join(sorted(convertors))
                raise ValueError(
                    f"unknown convertor {conv_name!r} in route path {path!r} (known: {known})"
                )
            if isinstance(convertor, PathConvertor) and (
                index != last or found.end() != len(segment)
            ):
                raise ValueError(f"{{{name}:path}} must be at the very end of route path {path!r}")
            names.append(name)
            parts.append(convertor)
            key.append("{" + conv_name + "}")
            position = found.end()
        literal = segment[position:]
        _check_literal(literal, path)
        if not parts:
            specs.append((STATIC, segment, None))
            continue
        if literal:
            parts.append(literal)
            key.append(literal)
        is_path = isinstance(parts[-1], PathConvertor)
        if len(parts) == 1:
            kind = CATCHALL if is_path else PARAM
            specs.append((kind, key[0], parts[0]))
        else:
            kind = TAIL if is_path else PATTERN
            specs.append((kind, "".join(key), _Pattern(parts)))
    return specs, names


def _check_literal(literal: str, path: str) -> None:
    if "{" in literal or "}" in literal:
        raise ValueError(f"unbalanced or malformed braces in route path {path!r}")


def parse_path_params(
    path: str, convertors: Mapping[str, Convertor] | None = None
) -> dict[str, Convertor]:
    """Validate a route path and return its parameter names mapped to their convertors, in order.

    Raises ``ValueError`` for the same malformed paths :meth:`RadixRouter.add_route` rejects.
    """
    table = CONVERTORS if convertors is None else convertors
    specs, names = parse_segments(path, table)
    found: list[Convertor] = []
    for kind, _, matcher in specs:
        if kind in (PARAM, CATCHALL):
            found.append(matcher)
        elif kind in (PATTERN, TAIL):
            found.extend(matcher.convertors)
    return dict(zip(names, found, strict=True))
