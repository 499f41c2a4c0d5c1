"""Frontend routes (FastAPI 0.165's ``app.frontend()`` / ``router.frontend()``): a built
single-page application served under a path, at the lowest priority.

A router keeps its frontends in one :class:`FrontendRouteGroup` (``router._frontend_routes``),
one of its low-priority routes (see low_priority.py): they are looked at only when no other
route matched, not even by path (405) or by a slash redirect. Among the frontends matching a
path the longest path wins. A GET or HEAD first runs the group's dependencies (the router's,
then those of each ``include_router`` on the way) through an ``APIRoute`` built at registration,
so overrides, 422s, a dependency's response headers and background tasks, and body limits
behave as on any route; then the files answer (see frontend_files.py). Frontend routes are not
in the OpenAPI schema and have no name for ``url_path_for``.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from typing import Any, Literal

from fasterapi_core.exceptions import BaseHTTPException
from fasterapi_core.params import Depends
from fasterapi_core.requests import Request
from fasterapi_core.responses import Response
from fasterapi_core.types import Receive, Scope, Send
from fasterapi_routing.frontend_files import FALLBACKS, Fallback, FrontendFiles
from fasterapi_routing.matching import match_enum
from fasterapi_routing.paths import NoMatchFound, get_route_path
from fasterapi_routing.routes import APIRoute

__all__ = [
    "FrontendRoute",
    "FrontendRouteGroup",
    "frontend_path",
    "join_frontend_paths",
    "resolve_check_dir",
]

SCOPE_KEY = "fastapi"
"""FastAPI's scope entry for its routing state: ``frontend_path`` (the file path asked for)
and ``frontend_specificity`` (the length of the matched frontend path) are written there."""
_SELECTED = "frontend_route"  # the FrontendRoute chosen, for the endpoint


def frontend_path(path: str) -> str:
    """``path`` checked (starting with ``/``) and without its trailing slash (``/`` kept)."""
    if not path:
        raise AssertionError("A frontend path cannot be empty")
    if not path.startswith("/"):
        raise AssertionError("A frontend path must start with '/'")
    return path if path == "/" else path.rstrip("/")


def join_frontend_paths(prefix: str, path: str) -> str:
    """``path`` under an include ``prefix`` (``/`` under ``/admin`` is ``/admin``)."""
    if not prefix:
        return path
    return prefix if path == "/" else prefix + path


def _specificity(path: str) -> int:
    return 0 if path == "/" else len(path)


def resolve_check_dir(directory: str | os.PathLike[str], check_dir: bool | Literal["auto"]) -> bool:
    """FastAPI's ``check_dir="auto"``: check, unless ``FASTAPI_ENV=development``, where a
    missing directory only warns (pointing at the caller of ``frontend()``)."""
    if check_dir != "auto":
        return check_dir
    if os.environ.get("FASTAPI_ENV") != "development":
        return True
    if not os.path.isdir(directory):
        warnings.warn(
            f"Frontend directory '{directory}' does not exist. "
            f"Resolved absolute path: '{os.path.realpath(os.fspath(directory))}'",
            stacklevel=3,
        )
    return False


class FrontendRoute:
    """One ``frontend(path, directory=...)``: its path (with the router's prefix) and its
    files (``app``)."""

    methods = frozenset({"GET", "HEAD"})

    def __init__(
        self,
        path: str,
        *,
        directory: str | os.PathLike[str],
        fallback: Fallback = "auto",
        check_dir: bool,
    ) -> None:
        if fallback not in FALLBACKS:
            raise AssertionError("fallback must be 'auto', 'index.html', '404.html', or None")
        self.path = frontend_path(path)
        self.app = FrontendFiles(directory=directory, fallback=fallback, check_dir=check_dir)

    def matches(self, scope: Scope) -> tuple[Any, Scope]:
        """Starlette's protocol: FULL for GET/HEAD under the path, PARTIAL for other methods."""
        return self.matches_with_path(scope, self.path)

    def matches_with_path(self, scope: Scope, path: str) -> tuple[Any, Scope]:
        """As ``matches``, with the route at ``path`` (its path under an include prefix)."""
        match = match_enum()
        if scope["type"] != "http":
            return match.NONE, {}
        route_path = get_route_path(scope)
        if path == "/":
            asked = route_path.lstrip("/")
        elif route_path == path:
            asked = ""
        elif route_path.startswith(path + "/"):
            asked = route_path[len(path) + 1 :]
        else:
            return match.NONE, {}
        child = {SCOPE_KEY: {"frontend_path": asked, "frontend_specificity": _specificity(path)}}
        return (match.FULL if scope["method"] in self.methods else match.PARTIAL), child

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the files for the path stored in the scope by ``matches``."""
        asked = scope.get(SCOPE_KEY, {}).get("frontend_path", "")
        response = await self.app.get_response(asked, scope)
        await response(scope, receive, send)

    def url_path_for(self, name: str, /, **params: Any) -> Any:
        """Frontend routes have no name: always ``NoMatchFound``."""
        raise NoMatchFound(name, params)

    def __repr__(self) -> str:
        return f"FrontendRoute(path={self.path!r}, app={self.app!r})"


async def _serve_selected_frontend(request: Request, response: Response) -> Response:
    """The endpoint of a group's dependency route: the files of the route chosen, with the
    headers (cookies...) its dependencies set on ``response`` (FastAPI's frontend rule)."""
    scope = request.scope
    routing = scope[SCOPE_KEY]
    route: FrontendRoute = routing[_SELECTED]
    served = await route.app.get_response(routing["frontend_path"], scope)
    served.raw_headers.extend(response.raw_headers)
    return served


class FrontendRouteGroup:
    """A router's frontend routes (``routes``), served under ``prefix`` (the include prefixes
    on the way) with ``dependencies`` and body limits, through ``dependency_route``."""

    include_in_schema = False

    def __init__(
        self,
        *,
        dependencies: Sequence[Depends] | None = None,
        routes: list[FrontendRoute] | None = None,
        prefix: str = "",
        max_body_size: int | None = None,
        form_limits: dict[str, Any] | None = None,
        dependency_route: APIRoute | None = None,
    ) -> None:
        self.routes: list[FrontendRoute] = [] if routes is None else routes
        """Shared by the group's copies: a frontend added after ``include_router`` is served."""
        self.prefix = prefix
        limits: dict[str, Any] = {"form_limits": form_limits} if form_limits else {}
        self.dependency_route = dependency_route or APIRoute(
            "",
            _serve_selected_frontend,
            name="frontend",
            dependencies=dependencies,
            include_in_schema=False,
            max_body_size=max_body_size,
            **limits,
        )
        """Runs the dependencies then the endpoint serving the files (built here, once)."""

    @property
    def dependencies(self) -> list[Depends]:
        """The dependencies run before a frontend file is served (outermost first)."""
        return self.dependency_route.dependencies

    def add_frontend_route(
        self,
        path: str,
        *,
        directory: str | os.PathLike[str],
        fallback: Fallback = "auto",
        check_dir: bool,
    ) -> None:
        """Serve ``directory`` at ``path`` in this group."""
        self.routes.append(
            FrontendRoute(path, directory=directory, fallback=fallback, check_dir=check_dir)
        )

    def included(
        self,
        *,
        prefix: str,
        dependencies: Sequence[Depends],
        max_body_size: int | None,
        form_limits: dict[str, Any] | None,
    ) -> FrontendRouteGroup:
        """This group as seen through ``include_router``: under ``prefix``, after the
        including router's ``dependencies``, with its limits under the group's own."""
        route = self.dependency_route.copy_with(
            dependencies=dependencies, max_body_size=max_body_size, form_limits=form_limits
        )
        return FrontendRouteGroup(
            routes=self.routes, prefix=prefix + self.prefix, dependency_route=route
        )

    def matches(self, scope: Scope) -> tuple[Any, Scope]:
        """Starlette's protocol: the match of the most specific frontend (FULL before PARTIAL)."""
        match, child, _ = self._match(scope, self.prefix)
        return match, child

    def matches_with_prefix(self, scope: Scope, prefix: str) -> tuple[Any, Scope]:
        """As ``matches``, with the group under the include ``prefix``."""
        match, child, _ = self._match(scope, prefix)
        return match, child

    def _match(self, scope: Scope, prefix: str) -> tuple[Any, Scope, FrontendRoute | None]:
        match = match_enum()
        best: dict[Any, tuple[int, Scope, FrontendRoute]] = {}
        for route in self.routes:
            path = join_frontend_paths(prefix, route.path)
            found, child = route.matches_with_path(scope, path)
            if found != match.NONE:
                specificity = _specificity(path)
                if found not in best or specificity > best[found][0]:
                    best[found] = (specificity, child, route)
        for kind in (match.FULL, match.PARTIAL):
            if kind in best:
                _, child, route = best[kind]
                return kind, child, route
        return match.NONE, {}, None

    def template(self, scope: Scope) -> str | None:
        """The route template of the frontend serving ``scope`` (``/app/{path}``), if any."""
        route = self._match(scope, self.prefix)[2]
        if route is None:
            return None
        return join_frontend_paths(self.prefix, route.path).rstrip("/") + "/{path}"

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the most specific frontend: GET/HEAD after the dependencies, other methods
        with the files' 405/404; 404 when none matches."""
        match, child, route = self._match(scope, self.prefix)
        if route is None:
            raise BaseHTTPException(404)
        routing = scope.setdefault(SCOPE_KEY, {})
        routing.update(child[SCOPE_KEY])
        if match == match_enum().FULL:
            routing[_SELECTED] = route
            scope.setdefault("path_params", {})
            await self.dependency_route.handle(scope, receive, send)
        else:
            await route.handle(scope, receive, send)

    def url_path_for(self, name: str, /, **params: Any) -> Any:
        """Frontend routes have no name: always ``NoMatchFound``."""
        raise NoMatchFound(name, params)

    def __repr__(self) -> str:
        return f"FrontendRouteGroup(prefix={self.prefix!r}, routes={self.routes!r})"
