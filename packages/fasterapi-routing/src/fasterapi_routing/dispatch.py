"""How a router dispatches: its tables (radix tree, mounts, the one-probe tables of paths
without parameters and of ``/prefix/{x}`` paths, rebuilt when the routes change) and the
ASGI entry that serves a request from them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fasterapi_core.exceptions import BaseHTTPException
from fasterapi_core.responses import RedirectResponse
from fasterapi_core.types import ASGIApp, Receive, Scope, Send
from fasterapi_routing.foreign_routes import foreign_matches, is_route_like, serve_foreign
from fasterapi_routing.head_send import HeadSend
from fasterapi_routing.lifespan import LifespanHandlers
from fasterapi_routing.low_priority import serve_low_priority
from fasterapi_routing.paths import get_route_path
from fasterapi_routing.radix import RadixRouter
from fasterapi_routing.routes import APIRoute, APIWebSocketRoute, BaseRoute, Mount
from fasterapi_routing.routing_scope import add_routing_keys
from fasterapi_routing.started import MarkingSend

__all__ = ["WEBSOCKET", "Dispatch", "RouterDispatch"]

WEBSOCKET = "WEBSOCKET"
"""The method under which WebSocket routes are stored in the tree."""


class Dispatch:
    """The radix tree and mounts built from a router's routes (rebuilt when routes change)."""

    __slots__ = ("foreign", "mounts", "static", "tails", "tree")

    def __init__(self, routes: Sequence[BaseRoute]) -> None:
        self.tree = RadixRouter()
        self.mounts: list[Mount] = []
        self.foreign: list[Any] = []
        """Routes served through ``matches(scope)`` after the tree, in order (see
        foreign_routes.py): Starlette's, FasterAPI's plain ``Route``/``Host``..."""
        self.static: dict[str, dict[str, APIRoute]] = {}
        """Path -> method -> route for paths without parameters: what the tree resolves them
        to, in one probe (a method missing here may still match a parameter route)."""
        # PERF: routes served through matches(scope) (Starlette's, plain ones, a class with its
        # own matches) stay out of the tree and its one-probe tables: they are tried only once
        # the tree found nothing (not_found), so compiled routes pay nothing for them.
        tree_routes: list[BaseRoute] = []
        for route in routes:
            if own_matching(route):  # a subclass deciding itself (FastAPI's hook): in order
                self.foreign.append(route)
            else:
                tree_routes.append(route)
        routes = tree_routes
        for route in routes:
            if isinstance(route, APIRoute) and not route.path:
                continue  # "": only served under the prefix of an include (FastAPI's rule)
            if isinstance(route, APIRoute):
                for method in sorted(route.methods):
                    self.tree.add_route(method, route.path, route)
            elif isinstance(route, APIWebSocketRoute):
                if route.path:  # "": as for APIRoute
                    self.tree.add_route(WEBSOCKET, route.path, route)
            elif isinstance(route, Mount):
                self.mounts.append(route)
            elif is_route_like(route):
                self.foreign.append(route)
        # GET routes answer HEAD, unless a route registered HEAD for the same path itself.
        for route in routes:
            if isinstance(route, APIRoute) and "GET" in route.methods and route.path:
                self.tree.add_route("HEAD", route.path, route)
        self.mounts.sort(key=lambda mount: len(mount.path), reverse=True)
        for route in routes:
            if isinstance(route, APIRoute) and route.path and "{" not in route.path:
                for method in (*route.methods, "HEAD"):
                    found = self.tree.resolve(method, route.path)
                    if found is not None and isinstance(found[0], APIRoute):
                        self.static.setdefault(route.path, {})[method] = found[0]
        self.tails: dict[str, dict[str, tuple[APIRoute, str]]] = {
            prefix: http
            for prefix, methods in self.tree.tail_routes().items()
            if (http := {m: entry for m, entry in methods.items() if m != WEBSOCKET})
        }
        """``/users/{id}``-shaped routes by prefix (see ``RadixRouter.tail_routes``)."""


class RouterDispatch:
    """The dispatching half of ``FasterRouter``: match a request, serve it, or answer that
    nothing matched."""

    routes: list[BaseRoute]
    redirect_slashes: bool
    default: ASGIApp | None
    lifespan_handlers: LifespanHandlers
    _dispatch: Dispatch | None
    _resolve: Callable[[str, str], tuple[Any, dict[str, Any], Any] | None] | None
    _static_routes: dict[str, dict[str, APIRoute]] | None
    _tail_routes: dict[str, dict[str, tuple[APIRoute, str]]]
    _low_priority_routes: list[Any]

    def _get_dispatch(self) -> Dispatch:
        dispatch = self._dispatch
        if dispatch is None:
            dispatch = self._dispatch = Dispatch(self.routes)
            self._resolve = dispatch.tree.resolve
            self._static_routes = dispatch.static
            self._tail_routes = dispatch.tails
        return dispatch

    marks_response_started = True
    """Routes and the router mark the response start themselves (see started.py)."""

    def route_for(self, scope: Scope) -> Any:
        """The route answering an HTTP ``scope``, or None when no route of the tree has this
        path and method (then :meth:`not_found`): every lookup of the router in one place.

        Paths without parameters and ``/prefix/{x}`` paths are found in one probe of the
        static and tail tables, others by the radix tree (so is every path under a mount's
        ``root_path``: :meth:`match_http`). The routing keys follow routing_scope.py: written
        here only for a route that can show the scope to user code (``exposes_scope``) and
        for tree matches; the others write them when user code could see the scope after all.
        """
        # PERF: the one dispatch of every request without user middleware (Faster.__call__).
        # The probes skip the tree: bench app, timeit, 2026-12-07: /health 56 ns (tree 139 ns),
        # /users/42 165 ns (tree 583 ns).
        static = self._static_routes
        if static is None:  # built at the first request (and after routes change)
            static = self._get_dispatch().static
        if scope.get("root_path"):
            return self.match_http(scope)
        path = scope["path"]
        method = scope["method"]
        methods = static.get(path)
        if methods is not None:
            route = methods.get(method)
            if route is not None:
                if route.exposes_scope:
                    add_routing_keys(scope, route, self)
                return route
        prefix, slash, last = path.rpartition("/")
        tail = self._tail_routes.get(prefix)
        entry = None if tail is None or not (last and slash) else tail.get(method)
        if entry is not None:
            route, name = entry
            scope["path_params"] = {name: last}
            if route.exposes_scope:
                add_routing_keys(scope, route, self)
            return route
        if "router" not in scope:
            scope["router"] = self
        found = self._resolve(method, path)  # type: ignore[misc]  # set by _get_dispatch
        if found is None:
            return None
        route, scope["path_params"], _ = found
        scope["route"] = route
        return route

    def match_http(self, scope: Scope) -> Any:
        """The route answering an HTTP ``scope`` by the radix tree (its path parameters and the
        route are stored in the scope, under a mount's ``root_path`` too), or None when no route
        has this path and method."""
        if "router" not in scope:
            scope["router"] = self
        resolve = self._resolve or self._get_dispatch().tree.resolve
        path = scope["path"]
        outer = None
        if scope.get("root_path"):  # PERF: a mount's parameters are looked for only here
            path = get_route_path(scope)
            outer = scope.get("path_params")
        found = resolve(scope["method"], path)
        if found is None:
            return None
        route, params, _ = found
        # Inside a mount with parameters (/tenants/{tenant}): its parameters, then the route's.
        scope["path_params"] = {**outer, **params} if outer else params
        scope["route"] = route
        return route

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope_type = scope["type"]
        if scope_type == "http":
            if scope["method"] == "HEAD" and not isinstance(send, HeadSend):
                send = HeadSend(send)  # a router serving on its own (Faster.__call__ did it)
            route = self.match_http(scope)
            if route is not None:
                await route.handle(scope, receive, send)
                return
        elif scope_type == "websocket":
            if "router" not in scope:
                scope["router"] = self
            found = self._get_dispatch().tree.resolve(WEBSOCKET, get_route_path(scope))
            if found is not None:
                route, params, _ = found
                outer = scope.get("path_params")  # a mount's, as in match_http
                scope["path_params"] = {**outer, **params} if outer else params
                scope["route"] = route
                await route.handle(scope, receive, send)
                return
        elif scope_type == "lifespan":
            await self.lifespan_handlers.serve(scope.get("app"), scope, receive, send)
            return
        else:
            return
        await self.not_found(scope, receive, send)

    async def not_found(self, scope: Scope, receive: Receive, send: Send) -> None:
        """No route of the tree matched: the other routes (see foreign_routes.py), a mount,
        405 with ``Allow``, a slash redirect, the router's ``default`` app, or 404."""
        dispatch = self._get_dispatch()
        foreign = dispatch.foreign
        if foreign and await serve_foreign(foreign, scope, receive, send):
            return
        path = get_route_path(scope)
        for mount in dispatch.mounts:
            if mount.matches_path(path):
                await mount.serve(scope, receive, MarkingSend(scope, send))
                return
        is_http = scope["type"] == "http"
        if is_http:
            allowed = dispatch.tree.allowed_methods(path) - {WEBSOCKET}
            if allowed:
                allow = ", ".join(sorted(allowed))
                raise BaseHTTPException(405, headers={"Allow": allow})
        if self.redirect_slashes and path != "/":
            other = path[:-1] if path.endswith("/") else path + "/"
            methods = dispatch.tree.allowed_methods(other)
            if (
                (is_http and methods - {WEBSOCKET})
                or (not is_http and WEBSOCKET in methods)
                or (is_http and foreign and foreign_matches(foreign, _other_path(scope, path)))
                or (is_http and any(mount.matches_path(other) for mount in dispatch.mounts))
            ):
                await self._redirect(scope, receive, send, other)
                return
        low = self._low_priority_routes  # frontend routes... (see low_priority.py)
        if is_http and low and await serve_low_priority(low, scope, receive, send):
            return
        if self.default is not None:  # FastAPI's (Starlette's) router default
            await self.default(scope, receive, send)
        elif is_http:
            raise BaseHTTPException(404)
        else:
            await send({"type": "websocket.close", "code": 1000, "reason": ""})

    @staticmethod
    async def _redirect(scope: Scope, receive: Receive, send: Send, new_path: str) -> None:
        from fasterapi_core.datastructures import URL

        url = URL(scope=scope)
        root_path = scope.get("root_path", "")
        full = url.path
        prefix = full[: len(full) - len(get_route_path(scope))] if root_path else ""
        target = url.replace(path=prefix + new_path)
        response = RedirectResponse(str(target), status_code=307)
        await response(scope, receive, MarkingSend(scope, send))


def _other_path(scope: Scope, route_path: str) -> Scope:
    """``scope`` for the same path with its trailing slash added or removed (Starlette's)."""
    path = scope["path"]
    return {**scope, "path": path.rstrip("/") if route_path.endswith("/") else path + "/"}


def own_matching(route: Any) -> bool:
    """Whether ``route`` is a FasterAPI route whose class overrides ``matches`` (served
    through it, after the tree, instead of from the tree)."""
    for base in (APIRoute, APIWebSocketRoute, Mount):
        if isinstance(route, base):
            return type(route).matches is not base.matches
    return False
