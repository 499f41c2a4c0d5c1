"""Starlette's routing protocol on FasterAPI's routes: ``route.matches(scope)`` answering
``(Match, child_scope)``, and the compiled form of a path template (``path_regex``,
``path_format``, ``param_convertors``) it matches with.

Plugins written for FastAPI (metrics, rate limits, tracing) walk ``app.routes`` and compare
``route.matches(scope)[0]`` with ``starlette.routing.Match``: the members returned are that
enum's whenever ``starlette.routing`` is imported (the real Starlette or the stand-in's
module), else FasterAPI's own :class:`Match`. None of this runs when serving a request
through FasterAPI's tree (only on the fallback path, for routes that are not FasterAPI's).
"""

from __future__ import annotations

import enum
import functools
import re
import sys
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from fasterapi_core.types import Scope
from fasterapi_routing.convertors import CONVERTORS, NO_MATCH, Convertor
from fasterapi_routing.paths import PARAM, get_route_path

__all__ = ["CompiledPath", "Match", "compile_path", "match_enum", "match_path", "matched"]


class Match(enum.Enum):
    """How a route matches a scope (Starlette's ``Match``): not at all, by its path only (the
    method differs: a 405), or fully."""

    NONE = 0
    PARTIAL = 1
    FULL = 2

    def __eq__(self, other: object) -> bool:
        # Equal to Starlette's members of the same value: code importing this enum (through
        # ``fastapi.routing``) compares rightly with what routes return when Starlette is in.
        if isinstance(other, enum.Enum) and type(other).__name__ == "Match":
            return bool(self.value == other.value)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._name_)


def match_enum() -> Any:
    """``starlette.routing.Match`` when that module is imported, else :class:`Match`."""
    module = sys.modules.get("starlette.routing")
    found = getattr(module, "Match", None) if module is not None else None
    return found if found is not None else Match


@dataclass(frozen=True, slots=True)
class CompiledPath:
    """A path (or host) template compiled as Starlette compiles it."""

    regex: re.Pattern[str]
    format: str
    """The template with each parameter as ``{name}`` (its convertor dropped)."""
    convertors: dict[str, Convertor]
    groups: tuple[Convertor, ...]
    """The convertor of each group of ``regex``, in order (a name may repeat)."""
    names: tuple[str, ...]


@functools.lru_cache(maxsize=4096)
def compile_path(template: str) -> CompiledPath:
    """Compile ``/items/{id:int}`` (or a host such as ``{sub}.example.org``, port ignored,
    case-insensitive) into its regex, format and convertors (unknown convertor names: str)."""
    is_host = not template.startswith("/") and template != ""
    pattern, format_ = "^", ""
    convertors: dict[str, Convertor] = {}
    names: list[str] = []
    groups: list[Convertor] = []
    start = 0
    for found in PARAM.finditer(template):
        name, kind = found.group(1), found.group(2) or "str"
        convertor = CONVERTORS.get(kind, CONVERTORS["str"])
        literal = template[start : found.start()]
        group = name if name.isidentifier() and name not in convertors else f"_{len(names)}"
        pattern += re.escape(literal) + f"(?P<{group}>{convertor.regex})"
        format_ += literal + "{" + name + "}"
        convertors[name] = convertor
        names.append(name)
        groups.append(convertor)
        start = found.end()
    tail = template[start:]
    format_ += tail
    if is_host and not tail.endswith("]"):
        tail = tail.rsplit(":", 1)[0]
    pattern += re.escape(tail) + "$"
    regex = re.compile(pattern, re.IGNORECASE if is_host else 0)
    return CompiledPath(regex, format_, convertors, tuple(groups), tuple(names))


def match_path(compiled: CompiledPath, text: str, scope: Scope) -> dict[str, Any] | None:
    """The scope's ``path_params`` merged with those ``text`` holds, or None when it does not
    match (a value a convertor rejects does not match)."""
    found = compiled.regex.match(text)
    if found is None:
        return None
    params = dict(scope.get("path_params") or {})
    for name, convertor, value in zip(compiled.names, compiled.groups, found.groups(), strict=True):
        parsed = convertor.parse(value)
        if parsed is NO_MATCH:
            return None
        params[name] = parsed
    return params


def matched(
    route: Any,
    scope: Scope,
    scope_type: str,
    methods: Collection[str] | None = None,
    *,
    with_route: bool = False,
) -> tuple[Any, Scope]:
    """Starlette's ``Route.matches``/``WebSocketRoute.matches`` for ``route`` (its ``path``
    and ``endpoint``): FULL, PARTIAL when only the method differs (HEAD counts as GET), NONE.
    ``with_route``: the child scope names the route too (FastAPI's routes do)."""
    match = match_enum()
    if scope["type"] != scope_type:
        return match.NONE, {}
    params = match_path(compile_path(route.path), get_route_path(scope), scope)
    if params is None:
        return match.NONE, {}
    child: Scope = {"endpoint": route.endpoint, "path_params": params}
    if with_route:
        child["route"] = route
    if methods:
        method = scope["method"]
        if method not in methods and not (method == "HEAD" and "GET" in methods):
            return match.PARTIAL, child
    return match.FULL, child
