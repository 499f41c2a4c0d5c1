"""The route template (``http.route``) of a request: found in the application's routing
tables without dispatching, through mounted applications (their prefixes' templates, then the
mounted FasterAPI application's route, else ``/{path}``), for a 405 (the path's route) and a
trailing-slash redirect (the route redirected to) as FastAPI reports them."""

from __future__ import annotations

import re
from typing import Any

from fasterapi_core.types import Scope
from fasterapi_routing.dispatch import WEBSOCKET
from fasterapi_routing.low_priority import low_priority_template
from fasterapi_routing.paths import get_route_path

__all__ = ["route_template"]

_CONVERTER = re.compile(r"{(\w+):[^}]*}")
_MAX_MOUNT_DEPTH = 16
_FULL, _PARTIAL = 2, 1  # Starlette's Match values (its enum's or FasterAPI's)


def _template(path: str) -> str:
    """``/files/{name:path}`` -> ``/files/{name}`` (FastAPI's ``path_format``)."""
    return _CONVERTER.sub(r"{\1}", path) if ":" in path else path


def _dispatch_of(app: Any) -> Any:
    router = getattr(app, "router", app)
    get_dispatch = getattr(router, "_get_dispatch", None)
    return None if get_dispatch is None else (router, get_dispatch())


def route_template(app: Any, scope: Scope, depth: int = 0) -> str | None:
    """The template of the route ``app`` (a FasterAPI application or router) would answer
    ``scope`` with, prefixed by the mount prefixes on the way; None when nothing matches."""
    found = _dispatch_of(app)
    if found is None or depth > _MAX_MOUNT_DEPTH:
        return None
    router, dispatch = found
    tree = dispatch.tree
    is_http = scope["type"] == "http"
    method = scope.get("method", "GET") if is_http else WEBSOCKET
    path = get_route_path(scope)
    resolved = tree.resolve(method, path)
    if resolved is not None:
        return _template(resolved[0].path)
    template = _foreign(getattr(dispatch, "foreign", ()), scope)
    if template is not None:
        return template
    for mount in dispatch.mounts:
        if mount.matches_path(path):  # how dispatch picks a mount
            return _template(mount.path) + (_inside(mount, scope, depth) or "/{path}")
    template = _any_method(tree, path, is_http)
    if template is not None:
        return template
    if getattr(router, "redirect_slashes", False) and path != "/":
        other = path[:-1] if path.endswith("/") else path + "/"
        template = _any_method(tree, other, is_http) or _foreign(
            getattr(dispatch, "foreign", ()), {**scope, "path": scope["path"][: -len(path)] + other}
        )
        if template is not None:
            return template
    low = getattr(router, "_low_priority_routes", None)  # frontends (low_priority.py)
    return low_priority_template(low, scope) if low and is_http else None


def _inside(mount: Any, scope: Scope, depth: int) -> str | None:
    """The template of the route the mounted application answers with."""
    if "{" in mount.path:
        child = {**scope, **mount.matches(scope)[1]}
    else:
        child = {**scope, "root_path": scope.get("root_path", "") + mount.path}
    return route_template(mount.app, child, depth + 1)


def _foreign(routes: Any, scope: Scope) -> str | None:
    """The template of the first route with Starlette's ``matches`` that matches ``scope``."""
    partial = None
    for route in routes or ():
        match, _ = route.matches(scope)
        value = getattr(match, "value", match)
        path = getattr(route, "path_format", None) or getattr(route, "path", None)
        if value == _FULL:
            return None if path is None else _template(path)
        if value == _PARTIAL and partial is None:
            partial = path
    return None if partial is None else _template(partial)


def _any_method(tree: Any, path: str, is_http: bool) -> str | None:
    allowed = tree.allowed_methods(path)
    methods = sorted(allowed - {WEBSOCKET}) if is_http else [m for m in allowed if m == WEBSOCKET]
    for method in methods:
        resolved = tree.resolve(method, path)
        if resolved is not None:
            return _template(resolved[0].path)
    return None
