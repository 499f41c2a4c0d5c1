"""Routes that are not FasterAPI's compiled ones: Starlette's ``Route``, ``WebSocketRoute``,
``Mount`` and ``Host`` (appended to ``app.routes`` by plugins, or held by an included router),
FasterAPI's own plain ``Route``/``WebSocketRoute``/``Host``, and any object with Starlette's
``matches(scope)`` and ``handle(scope, receive, send)``.

They are served in registration order, after the radix tree found nothing, as Starlette's
router serves them: the first FULL match, else the first PARTIAL one (a 405). Starlette is never
imported here: its classes are recognized by the names and modules of a route's classes.
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Sequence
from typing import Any

from fasterapi_core.exceptions import BaseHTTPException
from fasterapi_core.types import Receive, Scope, Send
from fasterapi_routing.hosts import Host
from fasterapi_routing.plain_routes import Route, WebSocketRoute
from fasterapi_routing.routes import APIRoute
from fasterapi_routing.started import MarkingSend

__all__ = ["foreign_matches", "included_copy", "is_route_like", "serve_foreign"]

_FULL, _PARTIAL = 2, 1  # Match values, read as ``match.value`` (Starlette's enum or ours)


def is_route_like(route: Any) -> bool:
    """Whether ``route`` speaks Starlette's routing protocol (``matches`` and ``handle``)."""
    return callable(getattr(route, "matches", None)) and callable(getattr(route, "handle", None))


def _match_value(match: Any) -> Any:
    return getattr(match, "value", match)


def _starlette_class(route: Any, name: str) -> type | None:
    """The class ``starlette.routing.<name>`` when ``route`` is one (or a subclass)."""
    for cls in type(route).__mro__:
        if cls.__name__ == name and cls.__module__.startswith("starlette."):
            return cls
    return None


async def serve_foreign(routes: Sequence[Any], scope: Scope, receive: Receive, send: Send) -> bool:
    """Serve ``scope`` with the first of ``routes`` matching it fully, else with the first
    matching its path only; False when none matches."""
    chosen: tuple[Any, Scope] | None = None
    full = False
    for route in routes:
        match, child_scope = route.matches(scope)
        value = _match_value(match)
        if value == _FULL:
            chosen, full = (route, child_scope), True
            break
        if value == _PARTIAL and chosen is None:
            chosen = (route, child_scope)
    if chosen is None:
        return False
    route, child_scope = chosen
    if not full and isinstance(route, APIRoute):  # its handle serves any method
        raise BaseHTTPException(405, headers={"Allow": ", ".join(sorted(route.methods))})
    scope["route"] = route
    scope.update(child_scope)
    await route.handle(scope, receive, MarkingSend(scope, send))
    return True


def foreign_matches(routes: Sequence[Any], scope: Scope) -> bool:
    """Whether one of ``routes`` matches ``scope`` at all (for slash redirects)."""
    return any(_match_value(route.matches(scope)[0]) in (_FULL, _PARTIAL) for route in routes)


def included_copy(route: Any, prefix: str) -> Any:
    """``route`` as seen through ``include_router(prefix=...)``, as FastAPI copies it: a route
    rebuilt with the prefixed path, a mount copied with it, a host's app mounted under it."""
    if isinstance(route, Route | WebSocketRoute | Host):
        return route.copy_with(prefix=prefix)
    if (cls := _starlette_class(route, "Host")) is not None:
        app = route.app
        if prefix:
            module = sys.modules[cls.__module__]
            app = module.Router(routes=[module.Mount(prefix, app=route.app)])
        return cls(route.host, app=app, name=route.name)
    if (cls := _starlette_class(route, "Mount")) is not None:
        mounted = copy.copy(route)
        mounted.path = (prefix + route.path).rstrip("/")
        compile_path = sys.modules[cls.__module__].compile_path
        mounted.path_regex, mounted.path_format, mounted.param_convertors = compile_path(
            mounted.path + "/{path:path}"
        )
        return mounted
    if (cls := _starlette_class(route, "WebSocketRoute")) is not None:
        return cls(prefix + route.path, route.endpoint, name=route.name)
    if (cls := _starlette_class(route, "Route")) is not None:
        return cls(
            prefix + route.path,
            endpoint=route.endpoint,
            methods=list(route.methods or []),
            name=route.name,
            include_in_schema=route.include_in_schema,
        )
    if not prefix:
        return route
    raise TypeError(
        f"cannot include a route of type {type(route).__name__} under the prefix {prefix!r}: "
        "FasterAPI copies APIRoute, APIWebSocketRoute, Mount, Route, WebSocketRoute and Host "
        "(FasterAPI's or Starlette's) with a prefix"
    )
