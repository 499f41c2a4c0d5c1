"""A router's low-priority routes (FastAPI 0.165's ``_low_priority_routes``): routes looked at
only when nothing else answered a request, not even with a 405 or a slash redirect, just
before the router's ``default`` (or 404). Frontend routes (``router.frontend()``, see
frontend.py) live there; FastAPI's code may append any route with Starlette's ``matches``.

# PERF: they are tried only from the router's not-found branch (dispatch.py), so apps
# without them, and every request another route answers, pay nothing.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from fasterapi_core.exceptions import BaseHTTPException
from fasterapi_core.params import Depends
from fasterapi_core.types import Receive, Scope, Send
from fasterapi_routing.foreign_routes import included_copy
from fasterapi_routing.frontend import (
    SCOPE_KEY,
    FrontendRouteGroup,
    frontend_path,
    join_frontend_paths,
    resolve_check_dir,
)
from fasterapi_routing.frontend_files import Fallback
from fasterapi_routing.routes import APIRoute
from fasterapi_routing.started import MarkingSend

__all__ = ["LowPriorityRoutes", "low_priority_template", "serve_low_priority"]

_FULL, _PARTIAL = 2, 1  # Match values, read as ``match.value`` (Starlette's enum or ours)


class LowPriorityRoutes:
    """The low-priority half of ``FasterRouter``: ``frontend()`` and what
    ``include_router`` copies of an included router's low-priority routes."""

    prefix: str
    dependencies: list[Depends]
    max_body_size: int | None
    form_limits: dict[str, Any]
    _low_priority_routes: list[Any]
    _frontend_routes: FrontendRouteGroup | None

    if TYPE_CHECKING:  # FasterRouter's

        def _routes_changed(self) -> None: ...

    def frontend(
        self,
        path: str,
        *,
        directory: str | os.PathLike[str],
        fallback: Fallback = "auto",
        check_dir: bool | Literal["auto"] = "auto",
    ) -> None:
        """Serve a built frontend (``directory``) at ``path``, after every other route.

        ``fallback``: what answers a path without a file: ``"auto"`` (``404.html`` with 404
        when it exists, else ``index.html`` for navigation requests), ``"index.html"``,
        ``"404.html"`` or None (404). ``check_dir``: check the directory (and the fallback
        file) now; ``"auto"`` checks unless ``FASTAPI_ENV=development``, where it warns.
        """
        checked = resolve_check_dir(directory, check_dir)
        group = self._frontend_routes
        if group is None:
            group = FrontendRouteGroup(
                dependencies=self.dependencies,
                max_body_size=self.max_body_size,
                form_limits=self.form_limits or None,
            )
        group.add_frontend_route(
            join_frontend_paths(self.prefix, frontend_path(path)),
            directory=directory,
            fallback=fallback,
            check_dir=checked,
        )
        if self._frontend_routes is None:
            self._frontend_routes = group
            self._low_priority_routes.append(group)
        self._mark_routes_changed()

    def _mark_routes_changed(self) -> None:
        """The routes changed (FastAPI's name): rebuild the dispatch tables."""
        self._routes_changed()

    def _include_low_priority(
        self,
        routes: Sequence[Any],
        *,
        prefix: str,
        dependencies: Sequence[Depends],
        max_body_size: int | None,
        form_limits: dict[str, Any],
    ) -> None:
        """Add an included router's low-priority ``routes`` under ``prefix``."""
        for route in routes:
            if isinstance(route, FrontendRouteGroup):
                copied: Any = route.included(
                    prefix=prefix,
                    dependencies=dependencies,
                    max_body_size=max_body_size,
                    form_limits=form_limits or None,
                )
            elif isinstance(route, APIRoute):
                copied = route.copy_with(
                    prefix=prefix,
                    dependencies=dependencies,
                    max_body_size=max_body_size,
                    form_limits=form_limits,
                )
            else:
                copied = included_copy(route, prefix)
            self._low_priority_routes.append(copied)


def _specificity(child_scope: Scope) -> int | None:
    value = child_scope.get(SCOPE_KEY, {}).get("frontend_specificity")
    return value if isinstance(value, int) else None


def _more_specific(child_scope: Scope, chosen: tuple[Any, Scope] | None) -> bool:
    if chosen is None:
        return True
    new, old = _specificity(child_scope), _specificity(chosen[1])
    return new is not None and old is not None and new > old


def _choose(routes: Sequence[Any], scope: Scope) -> tuple[Any, Scope, bool] | None:
    """The route serving ``scope``, its child scope and whether it matched fully: the first
    matching fully (of two frontends, the longer path), else the first matching its path."""
    full: tuple[Any, Scope] | None = None
    partial: tuple[Any, Scope] | None = None
    for route in routes:
        match, child_scope = route.matches(scope)
        value = getattr(match, "value", match)
        if value == _FULL and _more_specific(child_scope, full):
            full = (route, child_scope)
        elif value == _PARTIAL and _more_specific(child_scope, partial):
            partial = (route, child_scope)
    chosen = full or partial
    return None if chosen is None else (*chosen, full is not None)


async def serve_low_priority(
    routes: Sequence[Any], scope: Scope, receive: Receive, send: Send
) -> bool:
    """Serve ``scope`` with the low-priority route matching it (see ``_choose``); False when
    none matches."""
    chosen = _choose(routes, scope)
    if chosen is None:
        return False
    route, child_scope, full = chosen
    if not full and isinstance(route, APIRoute):  # its handle serves any method
        raise BaseHTTPException(405, headers={"Allow": ", ".join(sorted(route.methods))})
    if not isinstance(route, FrontendRouteGroup):
        scope["route"] = route
    routing = child_scope.get(SCOPE_KEY)
    scope.update({key: value for key, value in child_scope.items() if key != SCOPE_KEY})
    if routing:
        scope.setdefault(SCOPE_KEY, {}).update(routing)
    await route.handle(scope, receive, MarkingSend(scope, send))
    return True


def low_priority_template(routes: Sequence[Any], scope: Scope) -> str | None:
    """The route template (``http.route``) of the low-priority route serving ``scope``:
    ``/app/{path}`` for a frontend at ``/app``."""
    chosen = _choose(routes, scope) if routes else None
    if chosen is None:
        return None
    route = chosen[0]
    if isinstance(route, FrontendRouteGroup):
        return route.template(scope)
    path = getattr(route, "path_format", None) or getattr(route, "path", None)
    return path if isinstance(path, str) else None
