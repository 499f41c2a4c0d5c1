"""FasterRouter: groups routes, includes other routers, and dispatches through a radix tree."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from fasterapi_core.datastructures import URLPath
from fasterapi_core.formparsers import FormLimits
from fasterapi_core.limits import FormLimitOptions, form_limit_overrides, validate_max_body_size
from fasterapi_core.params import Depends
from fasterapi_core.responses import JSONResponse, Response
from fasterapi_core.types import ASGIApp
from fasterapi_routing.body_limits import first_limit, merged_form_limits
from fasterapi_routing.dispatch import Dispatch, RouterDispatch
from fasterapi_routing.lifespan import LifespanHandlers
from fasterapi_routing.low_priority import LowPriorityRoutes
from fasterapi_routing.method_decorators import MethodDecorators, sign_decorators
from fasterapi_routing.operation_ids import generate_unique_id
from fasterapi_routing.paths import NoMatchFound, is_no_match
from fasterapi_routing.plain_registration import PlainRouteRegistration
from fasterapi_routing.responding import DefaultPlaceholder, given, inherited_response_class
from fasterapi_routing.route_list import RouteList
from fasterapi_routing.router_inclusion import Inclusion, RouterInclusion
from fasterapi_routing.routes import APIRoute, APIWebSocketRoute, BaseRoute, Mount

__all__ = ["ON_EVENT_DEPRECATED", "FasterRouter"]

F = TypeVar("F", bound=Callable[..., Any])

ON_EVENT_DEPRECATED = (
    "on_event is deprecated, use lifespan event handlers instead. Read more about it in the "
    "FastAPI docs for Lifespan Events: https://fastapi.tiangolo.com/advanced/events/"
)
"""FastAPI's ``DeprecationWarning`` for ``app.on_event`` and ``router.on_event``."""


class FasterRouter(
    RouterDispatch, MethodDecorators, PlainRouteRegistration, LowPriorityRoutes, RouterInclusion
):
    """A group of routes with a common prefix, tags, dependencies and responses.

    ``max_body_size`` and ``form_limits`` (FastAPI's) apply to the routes added here and to
    those of the routers included here, unless they (or an ``include_router``) set their own:
    the most specific setting wins. ``default``: the ASGI app answering requests no route
    matches (instead of 404/405).
    """

    def __init__(
        self,
        *,
        prefix: str = "",
        tags: Sequence[Any] | None = None,
        dependencies: Sequence[Depends] | None = None,
        default_response_class: type[Response] | DefaultPlaceholder = DefaultPlaceholder(
            JSONResponse
        ),
        responses: Mapping[int | str, Any] | None = None,
        callbacks: Sequence[BaseRoute] | None = None,
        routes: Sequence[BaseRoute] | None = None,
        redirect_slashes: bool = True,
        default: ASGIApp | None = None,
        dependency_overrides_provider: Any | None = None,
        route_class: type[APIRoute] = APIRoute,
        on_startup: Sequence[Callable[[], Any]] | None = None,
        on_shutdown: Sequence[Callable[[], Any]] | None = None,
        lifespan: Callable[[Any], Any] | None = None,
        deprecated: bool | None = None,
        include_in_schema: bool = True,
        generate_unique_id_function: Callable[[APIRoute], str]
        | DefaultPlaceholder = DefaultPlaceholder(generate_unique_id),
        strict_content_type: bool | DefaultPlaceholder = DefaultPlaceholder(True),
        max_body_size: int | None = None,
        form_limits: FormLimitOptions | FormLimits | None = None,
    ) -> None:
        if prefix and (not prefix.startswith("/") or prefix.endswith("/")):
            raise ValueError("a router prefix must start with '/' and not end with '/'")
        validate_max_body_size(max_body_size)
        self.prefix = prefix
        self.tags = list(tags or [])
        self.dependencies = list(dependencies or [])
        self.default_response_class = default_response_class
        self.responses = dict(responses or {})
        self.redirect_slashes = redirect_slashes
        self.default = default
        """What answers a request no route matches (FastAPI's ``default``); None: 404/405."""
        self.dependency_overrides_provider = dependency_overrides_provider
        """Kept for code that reads it: overrides come from the serving application."""
        self.deprecated = deprecated
        self.include_in_schema = include_in_schema
        self.generate_unique_id_function = generate_unique_id_function
        """How routes added here name their operations (an explicit function wins over the
        one of a router including this one; see ``APIRoute.unique_id``)."""
        self.route_class = route_class
        """The class of the routes added here (an ``APIRoute`` subclass overriding
        ``get_route_handler``, say); ``include_router`` keeps each route's class."""
        self.strict_content_type = strict_content_type
        """Whether a body without ``Content-Type`` is refused as JSON (FastAPI's default)."""
        self.callbacks = list(callbacks or [])
        """OpenAPI callbacks documented on every route added here (before the route's own)."""
        self.max_body_size = max_body_size
        """The body size limit of the routes here that set none (FastAPI's)."""
        self.form_limits = form_limit_overrides(form_limits)
        """Form limits of the routes here, under their own (FastAPI's)."""
        self._routes: list[BaseRoute] = RouteList(routes or [], self._routes_changed)
        self.lifespan_handlers = LifespanHandlers(on_startup, on_shutdown, lifespan)
        self._included: list[FasterRouter] = []  # the routers included here (cycle checks)
        self._includers: list[tuple[RouterInclusion, Inclusion]] = []  # where this one is
        self._dispatch: Dispatch | None = None
        self._resolve: Callable[[str, str], tuple[Any, dict[str, Any], Any] | None] | None = None
        self._static_routes: dict[str, dict[str, APIRoute]] | None = None
        self._tail_routes: dict[str, dict[str, tuple[APIRoute, str]]] = {}
        self._low_priority_routes: list[Any] = []  # frontends... (see low_priority.py)
        self._frontend_routes = None

    # -- registration -------------------------------------------------------------------------

    def add_api_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        response_model: Any = DefaultPlaceholder(None),
        status_code: int | None = None,
        tags: Sequence[Any] | None = None,
        dependencies: Sequence[Depends] | None = None,
        summary: str | None = None,
        description: str | None = None,
        response_description: str = "Successful Response",
        responses: Mapping[int | str, Any] | None = None,
        deprecated: bool | None = None,
        methods: Sequence[str] | None = None,
        operation_id: str | None = None,
        response_model_include: Any = None,
        response_model_exclude: Any = None,
        response_model_by_alias: bool = True,
        response_model_exclude_unset: bool = False,
        response_model_exclude_defaults: bool = False,
        response_model_exclude_none: bool = False,
        include_in_schema: bool = True,
        response_class: type[Response] | DefaultPlaceholder = DefaultPlaceholder(JSONResponse),
        name: str | None = None,
        route_class_override: type[APIRoute] | None = None,
        callbacks: Sequence[BaseRoute] | None = None,
        openapi_extra: dict[str, Any] | None = None,
        generate_unique_id_function: Callable[[APIRoute], str]
        | DefaultPlaceholder = DefaultPlaceholder(generate_unique_id),
        strict_content_type: bool | DefaultPlaceholder = DefaultPlaceholder(True),
        max_body_size: int | None = None,
        form_limits: FormLimitOptions | FormLimits | None = None,
    ) -> APIRoute:
        """Register ``endpoint`` for ``methods`` (default GET) at ``prefix + path``."""
        validate_max_body_size(max_body_size)
        limits: dict[str, Any] = {}  # passed only when set, for older route classes
        body_limit = first_limit(max_body_size, self.max_body_size)
        if body_limit is not None:
            limits["max_body_size"] = body_limit
        forms = merged_form_limits(self.form_limits, form_limit_overrides(form_limits))
        if forms:
            limits["form_limits"] = forms
        route = (route_class_override or self.route_class)(
            self.prefix + path,
            endpoint,
            response_model=response_model,
            status_code=status_code,
            tags=[*self.tags, *(tags or [])],
            dependencies=[*self.dependencies, *(dependencies or [])],
            summary=summary,
            description=description,
            response_description=response_description,
            responses={**self.responses, **(responses or {})},
            deprecated=deprecated if deprecated is not None else self.deprecated,
            methods=methods,
            operation_id=operation_id,
            response_model_include=response_model_include,
            response_model_exclude=response_model_exclude,
            response_model_by_alias=response_model_by_alias,
            response_model_exclude_unset=response_model_exclude_unset,
            response_model_exclude_defaults=response_model_exclude_defaults,
            response_model_exclude_none=response_model_exclude_none,
            include_in_schema=include_in_schema and self.include_in_schema,
            response_class=inherited_response_class(response_class, self.default_response_class),
            name=name,
            callbacks=[*self.callbacks, *(callbacks or [])],
            openapi_extra=openapi_extra,
            generate_unique_id_function=given(
                generate_unique_id_function, self.generate_unique_id_function
            ),
            strict_content_type=given(strict_content_type, self.strict_content_type),
            **limits,
        )
        self._add(route)
        return route

    def add_api_websocket_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        name: str | None = None,
        *,
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
        self, path: str, name: str | None = None, *, dependencies: Sequence[Depends] | None = None
    ) -> Callable[[F], F]:
        """Decorator registering a WebSocket endpoint."""

        def decorator(endpoint: F) -> F:
            self.add_api_websocket_route(path, endpoint, name=name, dependencies=dependencies)
            return endpoint

        return decorator

    def mount(self, path: str, app: ASGIApp, name: str | None = None) -> None:
        """Serve the ASGI application ``app`` under ``path`` (e.g. ``StaticFiles``)."""
        self._add(Mount(self.prefix + path, app, name=name))

    def on_event(self, event_type: str) -> Callable[[F], F]:
        """FastAPI's deprecated ``@router.on_event("startup" | "shutdown")``."""
        warnings.warn(ON_EVENT_DEPRECATED, DeprecationWarning, stacklevel=2)
        if event_type not in ("startup", "shutdown"):
            raise ValueError(f"unknown event type {event_type!r}")
        handlers = self.lifespan_handlers
        target = handlers.on_startup if event_type == "startup" else handlers.on_shutdown

        def decorator(func: F) -> F:
            target.append(func)
            return func

        return decorator

    def _add(self, route: BaseRoute) -> None:
        self.routes.append(route)  # the list calls _routes_changed
        if self._includers:  # included already: the including routers serve it too
            self._add_to_includers(route)

    def _register_route(self, route: Any) -> None:
        self._add(route)

    def _routes_changed(self) -> None:
        self._dispatch = self._resolve = self._static_routes = None

    @property
    def lifespan_context(self) -> Callable[[Any], Any]:
        """FastAPI's: the lifespan of the routes here, ``app -> async context manager``; a
        plugin may replace it, wrapping the one it read (fastapi-pagination)."""
        return self.lifespan_handlers.lifespan_context

    @lifespan_context.setter
    def lifespan_context(self, value: Callable[[Any], Any]) -> None:
        self.lifespan_handlers.replaced = value

    @property
    def routes(self) -> list[BaseRoute]:
        """The routes, in registration order (changes to the list are served)."""
        return self._routes

    @routes.setter
    def routes(self, routes: Sequence[BaseRoute]) -> None:
        self._routes = RouteList(routes, self._routes_changed)
        self._routes_changed()

    # -- lookup -------------------------------------------------------------------------------

    def url_path_for(self, name: str, /, **params: Any) -> URLPath:
        """The path of the route called ``name`` (``"mount:child"`` for mounted apps)."""
        for route in self.routes:
            try:
                return route.url_path_for(name, **params)
            except Exception as exc:
                if not is_no_match(exc):
                    raise
        raise NoMatchFound(name, params)


sign_decorators(FasterRouter.add_api_route)
