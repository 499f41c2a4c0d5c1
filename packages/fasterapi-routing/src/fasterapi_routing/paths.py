"""Route path templates: parameter names and reverse URL building."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from fasterapi_core.asgi_compat import get_route_path

__all__ = [
    "PARAM",
    "NoMatchFound",
    "build_path",
    "get_route_path",
    "is_no_match",
    "path_param_names",
]

PARAM = re.compile(r"{([^{}:]+)(?::([^{}]*))?}")
"""A parameter of a path template: ``{name}`` or ``{name:convertor}``."""


class NoMatchFound(Exception):
    """``url_path_for`` found no route with that name and those parameters."""

    def __init__(self, name: str, params: dict[str, Any]) -> None:
        keys = ", ".join(sorted(params))
        super().__init__(f'No route exists for name "{name}" and params "{keys}".')


def is_no_match(exc: BaseException) -> bool:
    """Whether ``exc`` is FasterAPI's or Starlette's ``NoMatchFound`` (routes of either kind
    may be in a router)."""
    return isinstance(exc, NoMatchFound) or type(exc).__name__ == "NoMatchFound"


def path_param_names(path: str) -> set[str]:
    """The parameter names a path template declares (``/users/{id:int}`` → ``{"id"}``)."""
    return {match.group(1) for match in PARAM.finditer(path)}


def build_path(template: str, params: dict[str, Any]) -> str:
    """Fill ``template`` with ``params``; raise ``KeyError`` when one is missing."""

    def replace(match: re.Match[str]) -> str:
        value = params[match.group(1)]
        convertor = match.group(2) or "str"
        text = str(value)
        return quote(text, safe="/") if convertor == "path" else quote(text, safe="")

    return PARAM.sub(replace, template)
