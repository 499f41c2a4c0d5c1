"""Routes: an HTTP endpoint (``APIRoute``), a WebSocket endpoint, or a mounted ASGI
application (the last two live in their own modules and are re-exported here)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from fasterapi_core.dependencies import Dependant, RequestPlan
from fasterapi_core.formparsers import FormLimits
from fasterapi_core.limits import FormLimitOptions, form_limit_overrides, validate_max_body_size
from fasterapi_core.params import Depends
from fasterapi_core.responses import JSONResponse, Response
from fasterapi_core.types import ASGIApp, Scope
from fasterapi_routing.base_route import BaseRoute, endpoint_name
from fasterapi_routing.body_limits import LimitOverrides, first_limit, limit_handle
from fasterapi_routing.compiled_handler import compile_route_handler
from fasterapi_routing.matching import match_enum, matched
from fasterapi_routing.mounts import Mount
from fasterapi_routing.operation_ids import generate_unique_id
from fasterapi_routing.paths import path_param_names
from fasterapi_routing.replaced_request_handler import handler_through, replaced_request_handler
from fasterapi_routing.responding import (
    DefaultPlaceholder,
    ResponsePlan,
    RouterDefault,
    given,
    resolve_response_model,
)
from fasterapi_routing.response_checks import check_response_declarations
from fasterapi_routing.route_handler_hook import (
    RouteHandler,
    default_route_handler,
    request_response,
)
from fasterapi_routing.streamed import stream_plan
from fasterapi_routing.websocket_route import APIWebSocketRoute, WebSocketRequestValidationError

__all__ = [
    "APIRoute",
    "APIWebSocketRoute",
    "BaseRoute",
    "Mount",
    "WebSocketRequestValidationError",
    "WebhookRoute",
]


class APIRoute(BaseRoute):
    """An HTTP endpoint whose signature was compiled into a request plan at registration."""

    served: ClassVar[bool] = True
    """False for routes that are only documented (``WebhookRoute``): any path is accepted."""

    def __init__(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        methods: Sequence[str] | None = None,
        name: str | None = None,
        response_model: Any = DefaultPlaceholder(None),
        status_code: int | None = None,
        tags: Sequence[Any] | None = None,
        dependencies: Sequence[Depends] | None = None,
        summary: str | None = None,
        description: str | None = None,
        response_description: str = "Successful Response",
        responses: Mapping[int | str, Any] | None = None,
        deprecated: bool | None = None,
        operation_id: str | None = None,
        include_in_schema: bool = True,
        response_class: type[Response] | DefaultPlaceholder = DefaultPlaceholder(JSONResponse),
        response_model_include: Any = None,
        response_model_exclude: Any = None,
        response_model_by_alias: bool = True,
        response_model_exclude_unset: bool = False,
        response_model_exclude_defaults: bool = False,
        response_model_exclude_none: bool = False,
        openapi_extra: dict[str, Any] | None = None,
        generate_unique_id_function: Callable[[APIRoute], str]
        | DefaultPlaceholder = DefaultPlaceholder(generate_unique_id),
        callbacks: Sequence[BaseRoute] | None = None,
        strict_content_type: bool | DefaultPlaceholder = DefaultPlaceholder(True),
        dependency_overrides_provider: Any | None = None,
        max_body_size: int | None = None,
        form_limits: FormLimitOptions | FormLimits | None = None,
    ) -> None:
        # "" is allowed, as in FastAPI: a router's route under the prefix it is included with.
        if self.served and path and not path.startswith(("/", "{$")):
            raise ValueError(f"route paths must start with '/': {path!r}")
        validate_max_body_size(max_body_size)
        form_overrides = form_limit_overrides(form_limits)
        self.path = path
        self.endpoint = endpoint
        self.name = name or endpoint_name(endpoint)
        self.methods = {m.upper() for m in (methods or ("GET",))}
        self.tags = list(tags or [])
        self.dependencies = list(dependencies or [])
        self.summary = summary
        if description is None:
            description = inspect.cleandoc(endpoint.__doc__ or "")
        # FastAPI's rule: what follows a form feed ("\f") is for the code's readers only.
        self.description: str | None = description.split("\f")[0].strip()
        self.response_description = response_description
        self.responses = dict(responses or {})
        self.deprecated = deprecated
        self.operation_id = operation_id
        self.include_in_schema = include_in_schema
        self.openapi_extra = openapi_extra
        self.callbacks = list(callbacks or [])
        """Routes documented as the operation's OpenAPI callbacks (their paths may start with
        a runtime expression, ``{$request.body.url}/...``); never served."""
        self.status_code = status_code
        self._given: dict[str, Any] = {
            "response_class": response_class,
            "response_model": response_model,
            "response_model_include": response_model_include,
            "response_model_exclude": response_model_exclude,
            "response_model_by_alias": response_model_by_alias,
            "response_model_exclude_unset": response_model_exclude_unset,
            "response_model_exclude_defaults": response_model_exclude_defaults,
            "response_model_exclude_none": response_model_exclude_none,
            "strict_content_type": strict_content_type,
            "generate_unique_id_function": generate_unique_id_function,
            "dependency_overrides_provider": dependency_overrides_provider,
            "max_body_size": max_body_size,
            "form_limits": form_overrides,
        }
        """The options as given (defaults still marked), for ``copy_with``: kept in one
        attribute, so that an instance stays within CPython's inline attribute limit (29
        attributes, tests/meta/test_attribute_layout.py) and ``route.handle`` keeps its fastest
        lookup."""
        self.response_class: type[Response] = (
            response_class.value
            if isinstance(response_class, DefaultPlaceholder)
            else response_class
        )
        self.response_model = resolve_response_model(response_model, endpoint)
        check_response_declarations(self.response_model, status_code, self.responses)
        self.plan = RequestPlan(
            endpoint, path_param_names=path_param_names(path), dependencies=self.dependencies
        )
        self.strict_content_type = bool(
            strict_content_type.value
            if isinstance(strict_content_type, DefaultPlaceholder)
            else strict_content_type
        )
        """False: a body without ``Content-Type`` is read as JSON (FastAPI's option)."""
        if self.plan.body is not None:
            self.plan.body.strict_content_type = self.strict_content_type
        self.response_plan = ResponsePlan(
            status_code=status_code,
            response_class=self.response_class,
            response_model=None if self.response_model is Any else self.response_model,
            include=response_model_include,
            exclude=response_model_exclude,
            by_alias=response_model_by_alias,
            exclude_unset=response_model_exclude_unset,
            exclude_defaults=response_model_exclude_defaults,
            exclude_none=response_model_exclude_none,
        )
        self.stream = stream_plan(
            endpoint,
            response_class,  # as given: a generator streams raw chunks with an explicit one
            self.response_plan.status_code,
            lambda item: (
                ResponsePlan(
                    status_code=None,
                    response_class=JSONResponse,
                    response_model=None if item is Any else item,
                    include=response_model_include,
                    exclude=response_model_exclude,
                    by_alias=response_model_by_alias,
                    exclude_unset=response_model_exclude_unset,
                    exclude_defaults=response_model_exclude_defaults,
                    exclude_none=response_model_exclude_none,
                ).encode
            ),
        )
        """A generator endpoint's streaming (JSON Lines or Server-Sent Events), else None."""
        self.handle: ASGIApp
        """Serve one request: solve parameters, call the endpoint, send the response."""
        self.exposes_scope: bool
        """Whether the handler may show the scope to user code, so that dispatch must write
        ``route``, ``path_params`` and ``router`` into it first (see routing_scope.py)."""
        if (
            type(self).get_route_handler is APIRoute.get_route_handler
            and replaced_request_handler() is None  # see replaced_request_handler.py
        ):
            self.handle, self.exposes_scope = compile_route_handler(self)
        else:  # a route class wrapping the request handler (FastAPI's hook)
            self.handle, self.exposes_scope = request_response(self.get_route_handler()), True
        self._limit_handle()
        self.generate_unique_id_function: Callable[[APIRoute], str] = (
            generate_unique_id_function.value
            if isinstance(generate_unique_id_function, DefaultPlaceholder)
            else generate_unique_id_function
        )
        self.unique_id: str = self.operation_id or self.generate_unique_id_function(self)
        """``operation_id``, else ``generate_unique_id_function(route)``: the OpenAPI
        ``operationId`` (with the default function, each method of a several-method route
        has its own) and the suffix of the route's ``Body_``/``Response_`` schema names."""

    def _limit_handle(self) -> None:
        """Wrap :attr:`handle` in the route's own body and form limits, if it has any."""
        limits = LimitOverrides(self._given["max_body_size"], self._given["form_limits"])
        if limits:  # FastAPI's max_body_size / form_limits: see body_limits.py
            self.handle = limit_handle(self.handle, limits)

    def _follow_dependant(self) -> None:
        """Compile the plan again if a plugin changed its graph (:attr:`dependant`)."""
        plan = self.plan
        if list(map(id, plan.dependant.walk())) == list(map(id, plan.flat)):
            return
        self.plan = RequestPlan(
            self.endpoint, path_param_names=path_param_names(self.path), dependant=plan.dependant
        )
        if self.plan.body is not None:
            self.plan.body.strict_content_type = self.strict_content_type

    @property
    def dependant(self) -> Dependant:
        """FastAPI's ``route.dependant``: the route's dependency graph (its plan's). A plugin
        that adds to it (fastapi-pagination) then sets :attr:`app` to
        ``request_response(route.get_route_handler())``, which compiles the graph again."""
        return self.plan.dependant

    @property
    def _embed_body_fields(self) -> bool:
        """FastAPI's: whether the body parameters are read keyed by their names."""
        return self.plan.body is not None and self.plan.body.embed

    @property
    def app(self) -> ASGIApp:
        """FastAPI's ``route.app``: what serves the route (:attr:`handle`)."""
        return self.handle

    @app.setter
    def app(self, value: ASGIApp) -> None:
        """Serve the route with ``value`` from now on (FastAPI's ``route.app = ...``), within
        the route's own body and form limits."""
        self.handle, self.exposes_scope = value, True
        self._limit_handle()

    @property
    def max_body_size(self) -> int | None:
        """FastAPI's per-route body size limit (``None``: the router's or application's)."""
        value: int | None = self._given["max_body_size"]
        return value

    @property
    def form_limits(self) -> dict[str, Any]:
        """FastAPI's per-route form limits (``{"max_fields": 10}``...), checked."""
        value: dict[str, Any] = self._given["form_limits"]
        return value

    @property
    def dependency_overrides_provider(self) -> Any:
        """FastAPI's option, kept for code that reads it: FasterAPI applies the overrides of
        the application serving the request (``app.dependency_overrides``)."""
        return self._given["dependency_overrides_provider"]

    def matches(self, scope: Scope) -> tuple[Any, Scope]:
        """Starlette's routing protocol (FastAPI's): FULL for this path and method (HEAD with
        GET), PARTIAL for this path only, NONE otherwise; the child scope holds ``endpoint``,
        ``path_params`` and ``route``. Dispatch does not call it (the tree does that work)."""
        if not self.served:
            return match_enum().NONE, {}
        return matched(self, scope, "http", self.methods, with_route=True)

    def get_route_handler(self) -> RouteHandler:
        """FastAPI's hook: the route's work as ``async (request) -> Response``. Override it in
        a subclass (``FasterRouter(route_class=...)``) to wrap that function; such routes are
        served through it (the general path) instead of the compiled fast handlers."""
        self._follow_dependant()
        builder = replaced_request_handler()  # fastapi.routing.get_request_handler replaced
        if builder is not None:
            return handler_through(builder, self)
        return default_route_handler(self)

    def copy_with(
        self,
        *,
        prefix: str = "",
        tags: Sequence[Any] = (),
        dependencies: Sequence[Depends] = (),
        responses: Mapping[int | str, Any] | None = None,
        deprecated: bool | None = None,
        include_in_schema: bool = True,
        default_response_class: type[Response] | None = None,
        generate_unique_id_function: Callable[[APIRoute], str] | DefaultPlaceholder | None = None,
        callbacks: Sequence[BaseRoute] = (),
        strict_content_type: bool | DefaultPlaceholder | None = None,
        max_body_size: int | None = None,
        form_limits: Mapping[str, Any] | None = None,
    ) -> APIRoute:
        """This route as seen through ``include_router``: prefixed, with merged options (an
        explicit ``generate_unique_id_function``, body or form limit of the route or its
        router wins over the including one's)."""
        # The route's (or its router's) explicit options win over the including router's.
        options = dict(self._given)
        own_ids = options["generate_unique_id_function"]
        options["generate_unique_id_function"] = given(
            own_ids, generate_unique_id_function or own_ids
        )
        own_strict = options["strict_content_type"]
        options["strict_content_type"] = given(
            own_strict, own_strict if strict_content_type is None else strict_content_type
        )
        if type(options["response_class"]) is DefaultPlaceholder and default_response_class:
            # no explicit class on the route or its routers: the including router's default
            options["response_class"] = RouterDefault(default_response_class)
        # Passed on only when set, for route classes written before FastAPI had them.
        for name, value in (
            ("max_body_size", first_limit(options.pop("max_body_size"), max_body_size)),
            ("form_limits", {**(form_limits or {}), **options.pop("form_limits")}),
            ("dependency_overrides_provider", options.pop("dependency_overrides_provider")),
        ):
            if value is not None and value != {}:
                options[name] = value
        return type(self)(
            prefix + self.path,
            self.endpoint,
            methods=sorted(self.methods),
            name=self.name,
            status_code=self.status_code,
            tags=[*tags, *self.tags],
            dependencies=[*dependencies, *self.dependencies],
            summary=self.summary,
            description=self.description,
            response_description=self.response_description,
            responses={**(responses or {}), **self.responses},
            deprecated=self.deprecated if deprecated is None else deprecated or self.deprecated,
            operation_id=self.operation_id,
            include_in_schema=self.include_in_schema and include_in_schema,
            openapi_extra=self.openapi_extra,
            callbacks=[*callbacks, *self.callbacks],
            **options,
        )


class WebhookRoute(APIRoute):
    """A route of ``app.webhooks``: an OpenAPI webhook, documented and never served, so its
    path is the webhook's name (``"new-subscription"``)."""

    served = False
