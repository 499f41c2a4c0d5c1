"""FasterRouter: groups routes, includes other routers, and dispatches through a radix tree."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from fasterapi_core.exceptions import BaseHTTPException
from fasterapi_core.params import Depends
from fasterapi_core.responses import JSONResponse, RedirectResponse, Response
from fasterapi_core.types import ASGIApp, Receive, Scope, Send
from fasterapi_routing.head_send import HeadSend
from fasterapi_routing.lifespan import LifespanHandlers
from fasterapi_routing.method_decorators import MethodDecorators
from fasterapi_routing.operation_ids import generate_unique_id
from fasterapi_routing.paths import NoMatchFound, get_route_path
from fasterapi_routing.radix import RadixRouter
from fasterapi_routing.responding import DefaultPlaceholder, given
from fasterapi_routing.routes import APIRoute, APIWebSocketRoute, BaseRoute, Mount
from fasterapi_routing.started import MarkingSend

__all__ = ["FasterRouter"]

F = TypeVar("F", bound=Callable[..., Any])
_WEBSOCKET = "WEBSOCKET"


class _Dispatch:
    """The radix tree and mounts built from a router's routes (rebuilt when routes change)."""

    __slots__ = ("mounts", "static", "tails", "tree")

    def __init__(self, routes: Sequence[BaseRoute]) -> None:
        self.tree = RadixRouter()
        self.mounts: list[Mount] = []
        self.static: dict[str, dict[str, APIRoute]] = {}
        """Path -> method -> route for paths without parameters: what the tree resolves them
        to, in one probe (a method missing here may still match a parameter route)."""
        for route in routes:
            if isinstance(route, APIRoute):
                for method in sorted(route.methods):
                    self.tree.add_route(method, route.path, route)
            elif isinstance(route, APIWebSocketRoute):
                self.tree.add_route(_WEBSOCKET, route.path, route)
            elif isinstance(route, Mount):
                self.mounts.append(route)
        # GET routes answer HEAD, unless a route registered HEAD for the same path itself.
        for route in routes:
            if isinstance(route, APIRoute) and "GET" in route.methods:
                self.tree.add_route("HEAD", route.path, route)
        self.mounts.sort(key=lambda mount: len(mount.path), reverse=True)
        for route in routes:
            if isinstance(route, APIRoute) and "{" not in route.path:
                for method in (*route.methods, "HEAD"):
                    found = self.tree.resolve(method, route.path)
                    if found is not None and isinstance(found[0], APIRoute):
                        self.static.setdefault(route.path, {})[method] = found[0]
        self.tails: dict[str, dict[str, tuple[APIRoute, str]]] = {
            prefix: http
            for prefix, methods in self.tree.tail_routes().items()
            if (http := {m: entry for m, entry in methods.items() if m != _WEBSOCKET})
        }
        """``/users/{id}``-shaped routes by prefix (see ``RadixRouter.tail_routes``)."""


class FasterRouter(MethodDecorators):
    """A group of routes with a common prefix, tags, dependencies and responses."""

    def __init__(
        self,
        *,
        prefix: str = "",
        tags: Sequence[Any] | None = None,
        dependencies: Sequence[Depends] | None = None,
        default_response_class: type[Response] = JSONResponse,
        responses: Mapping[int | str, Any] | None = None,
        routes: Sequence[BaseRoute] | None = None,
        redirect_slashes: bool = True,
        deprecated: bool | None = None,
        include_in_schema: bool = True,
        on_startup: Sequence[Callable[[], Any]] | None = None,
        on_shutdown: Sequence[Callable[[], Any]] | None = None,
        lifespan: Callable[[Any], Any] | None = None,
        generate_unique_id_function: Callable[[APIRoute], str]
        | DefaultPlaceholder = DefaultPlaceholder(generate_unique_id),
        route_class: type[APIRoute] = APIRoute,
        callbacks: Sequence[BaseRoute] | None = None,
        strict_content_type: bool | DefaultPlaceholder = DefaultPlaceholder(True),
    ) -> None:
        if prefix and (not prefix.startswith("/") or prefix.endswith("/")):
            raise ValueError("a router prefix must start with '/' and not end with '/'")
        self.prefix = prefix
        self.tags = list(tags or [])
        self.dependencies = list(dependencies or [])
        self.default_response_class = default_response_class
        self.responses = dict(responses or {})
        self.redirect_slashes = redirect_slashes
        self.deprecated = deprecated
        self.include_in_schema = include_in_schema
        self.generate_unique_id_function = generate_unique_id_function
        self.route_class = route_class
        self.strict_content_type = strict_content_type
        """Whether a body without ``Content-Type`` is refused as JSON (FastAPI's default)."""
        self.callbacks = list(callbacks or [])
        """OpenAPI callbacks documented on every route added here (before the route's own)."""
        """The class of the routes added here (an ``APIRoute`` subclass overriding
        ``get_route_handler``, say); ``include_router`` keeps each route's class."""
        """How routes added here name their operations (an explicit function wins over the
        one of a router including this one; see ``APIRoute.unique_id``)."""
        self.routes: list[BaseRoute] = list(routes or [])
        self.lifespan_handlers = LifespanHandlers(on_startup, on_shutdown, lifespan)
        self._dispatch: _Dispatch | None = None
        self._resolve: Callable[[str, str], tuple[Any, dict[str, Any], Any] | None] | None = None
        self._static_routes: dict[str, dict[str, APIRoute]] | None = None
        self._tail_routes: dict[str, dict[str, tuple[APIRoute, str]]] = {}

    # -- registration -------------------------------------------------------------------------

    def add_api_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        methods: Sequence[str] | None = None,
        tags: Sequence[Any] | None = None,
        dependencies: Sequence[Depends] | None = None,
        responses: Mapping[int | str, Any] | None = None,
        response_class: type[Response] | DefaultPlaceholder | None = None,
        deprecated: bool | None = None,
        include_in_schema: bool = True,
        generate_unique_id_function: Callable[[APIRoute], str] | DefaultPlaceholder | None = None,
        route_class_override: type[APIRoute] | None = None,
        callbacks: Sequence[BaseRoute] | None = None,
        strict_content_type: bool | DefaultPlaceholder | None = None,
        **options: Any,
    ) -> APIRoute:
        """Register ``endpoint`` for ``methods`` (default GET) at ``prefix + path``."""
        generate_unique_id_function = given(
            generate_unique_id_function, self.generate_unique_id_function
        )
        strict_content_type = given(strict_content_type, self.strict_content_type)
        route = (route_class_override or self.route_class)(
            self.prefix + path,
            endpoint,
            methods=methods,
            tags=[*self.tags, *(tags or [])],
            dependencies=[*self.dependencies, *(dependencies or [])],
            responses={**self.responses, **(responses or {})},
            response_class=response_class
            if response_class is not None
            else DefaultPlaceholder(self.default_response_class),
            deprecated=deprecated if deprecated is not None else self.deprecated,
            include_in_schema=include_in_schema and self.include_in_schema,
            generate_unique_id_function=generate_unique_id_function,
            callbacks=[*self.callbacks, *(callbacks or [])],
            strict_content_type=strict_content_type,
            **options,
        )
        self._add(route)
        return route

    def api_route(
        self, path: str, *, methods: Sequence[str] | None = None, **options: Any
    ) -> Callable[[F], F]:
        """Decorator form of :meth:`add_api_route`."""

        def decorator(endpoint: F) -> F:
            self.add_api_route(path, endpoint, methods=methods, **options)
            return endpoint

        return decorator

    def add_api_websocket_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        name: str | None = None,
        dependencies: Sequence[Depends] | None = None,
    ) -> APIWebSocketRoute:
        """Register a WebSocket endpoint at ``prefix + path``."""
        route = APIWebSocketRoute(
            self.prefix + path,
            endpoint,
            name=name,
            dependencies=[*self.dependencies, *(dependencies or [])],
        )
        self._add(route)
        return route

    def websocket(
        self, path: str, *, name: str | None = None, dependencies: Sequence[Depends] | None = None
    ) -> Callable[[F], F]:
        """Decorator registering a WebSocket endpoint."""

        def decorator(endpoint: F) -> F:
            self.add_api_websocket_route(path, endpoint, name=name, dependencies=dependencies)
            return endpoint

        return decorator

    def mount(self, path: str, app: ASGIApp, name: str | None = None) -> None:
        """Serve the ASGI application ``app`` under ``path`` (e.g. ``StaticFiles``)."""
        self._add(Mount(self.prefix + path, app, name=name))

    def include_router(
        self,
        router: FasterRouter,
        *,
        prefix: str = "",
        tags: Sequence[Any] | None = None,
        dependencies: Sequence[Depends] | None = None,
        responses: Mapping[int | str, Any] | None = None,
        default_response_class: type[Response] | None = None,
        deprecated: bool | None = None,
        include_in_schema: bool = True,
        generate_unique_id_function: Callable[[APIRoute], str] | DefaultPlaceholder | None = None,
        callbacks: Sequence[BaseRoute] | None = None,
        strict_content_type: bool | DefaultPlaceholder | None = None,
    ) -> None:
        """Add every route of ``router`` under ``prefix``, with these tags and dependencies."""
        generate_unique_id_function = given(
            generate_unique_id_function, self.generate_unique_id_function
        )
        strict_content_type = given(strict_content_type, self.strict_content_type)
        if prefix and (not prefix.startswith("/") or prefix.endswith("/")):
            raise ValueError("an include prefix must start with '/' and not end with '/'")
        if router is self:
            raise ValueError("a router cannot include itself")
        full_prefix = self.prefix + prefix
        for route in router.routes:
            if isinstance(route, APIRoute):
                copied: BaseRoute = route.copy_with(
                    prefix=full_prefix,
                    tags=[*self.tags, *(tags or [])],
                    dependencies=[*self.dependencies, *(dependencies or [])],
                    responses={**self.responses, **(responses or {})},
                    deprecated=deprecated if deprecated is not None else self.deprecated,
                    include_in_schema=include_in_schema and self.include_in_schema,
                    default_response_class=default_response_class,
                    generate_unique_id_function=generate_unique_id_function,
                    callbacks=[*self.callbacks, *(callbacks or [])],
                    strict_content_type=strict_content_type,
                )
            elif isinstance(route, APIWebSocketRoute):
                copied = route.copy_with(
                    prefix=full_prefix,
                    dependencies=[*self.dependencies, *(dependencies or [])],
                )
            elif isinstance(route, Mount):
                copied = route.copy_with(prefix=full_prefix)
            else:
                raise TypeError(f"cannot include route of type {type(route).__name__}")
            self._add(copied)
        self.lifespan_handlers.include(router.lifespan_handlers)

    def _add(self, route: BaseRoute) -> None:
        self.routes.append(route)
        self._dispatch = self._resolve = self._static_routes = None

    # -- lookup -------------------------------------------------------------------------------

    def url_path_for(self, name: str, /, **params: Any) -> str:
        """The path of the route called ``name`` (``"mount:child"`` for mounted apps)."""
        for route in self.routes:
            try:
                return route.url_path_for(name, **params)
            except NoMatchFound:
                continue
        raise NoMatchFound(name, params)

    def _get_dispatch(self) -> _Dispatch:
        dispatch = self._dispatch
        if dispatch is None:
            dispatch = self._dispatch = _Dispatch(self.routes)
            self._resolve = dispatch.tree.resolve
            self._static_routes = dispatch.static
            self._tail_routes = dispatch.tails
        return dispatch

    marks_response_started = True
    """Routes and the router set ``scope[RESPONSE_STARTED]`` before sending (see started.py)."""

    def match_http(self, scope: Scope) -> Any:
        """The route answering an HTTP ``scope`` (its path parameters and the route are stored
        in the scope), or None when no route has this path and method."""
        if "router" not in scope:
            scope["router"] = self
        resolve = self._resolve or self._get_dispatch().tree.resolve
        path = scope["path"]
        if scope.get("root_path"):
            path = get_route_path(scope)
        found = resolve(scope["method"], path)
        if found is None:
            return None
        route, scope["path_params"], _ = found
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
            found = self._get_dispatch().tree.resolve(_WEBSOCKET, get_route_path(scope))
            if found is not None:
                route, scope["path_params"], _ = found
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
        """No route matched: a mount, 405 with ``Allow``, a slash redirect, or 404."""
        dispatch = self._get_dispatch()
        path = get_route_path(scope)
        for mount in dispatch.mounts:
            if mount.matches(path):
                await mount.handle(scope, receive, MarkingSend(scope, send))
                return
        is_http = scope["type"] == "http"
        if is_http:
            allowed = dispatch.tree.allowed_methods(path) - {_WEBSOCKET}
            if allowed:
                allow = ", ".join(sorted(allowed))
                raise BaseHTTPException(405, headers={"Allow": allow})
        if self.redirect_slashes and path != "/":
            other = path[:-1] if path.endswith("/") else path + "/"
            methods = dispatch.tree.allowed_methods(other)
            if (is_http and methods - {_WEBSOCKET}) or (not is_http and _WEBSOCKET in methods):
                await self._redirect(scope, receive, send, other)
                return
        if is_http:
            raise BaseHTTPException(404)
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
