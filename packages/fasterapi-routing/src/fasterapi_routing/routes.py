"""Routes: an HTTP endpoint, a WebSocket endpoint, or a mounted ASGI application."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from contextlib import AsyncExitStack
from typing import Any, ClassVar

from fasterapi_core.concurrency import run_in_threadpool
from fasterapi_core.dependencies import RequestPlan
from fasterapi_core.exceptions import RequestValidationError, WebSocketException
from fasterapi_core.params import Depends
from fasterapi_core.responses import JSONResponse, Response
from fasterapi_core.types import ASGIApp, Receive, Scope, Send
from fasterapi_core.websockets import WebSocket
from fasterapi_routing.operation_ids import generate_unique_id
from fasterapi_routing.paths import NoMatchFound, build_path, path_param_names
from fasterapi_routing.request_handler import (
    RouteHandler,
    default_route_handler,
    request_response,
)
from fasterapi_routing.responding import (
    DefaultPlaceholder,
    ResponsePlan,
    given,
    resolve_response_model,
)
from fasterapi_routing.route_handler import compile_route_handler
from fasterapi_routing.started import RESPONSE_STARTED
from fasterapi_routing.streamed import stream_plan

__all__ = [
    "APIRoute",
    "APIWebSocketRoute",
    "BaseRoute",
    "Mount",
    "WebSocketRequestValidationError",
    "WebhookRoute",
]


class WebSocketRequestValidationError(RequestValidationError):
    """A WebSocket connection's parameters did not validate; it is closed with code 1008."""


def _endpoint_name(endpoint: Callable[..., Any]) -> str:
    return getattr(endpoint, "__name__", type(endpoint).__name__)


class BaseRoute:
    """What every route has: a path template, a name, and reverse URL building."""

    path: str
    name: str
    include_in_schema: bool = True

    def url_path_for(self, name: str, /, **params: Any) -> str:
        """The URL path of this route for ``params``; raises :class:`NoMatchFound`."""
        if name != self.name or set(params) != path_param_names(self.path):
            raise NoMatchFound(name, params)
        return build_path(self.path, params)


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
        **extra: Any,
    ) -> None:
        if self.served and not path.startswith(("/", "{$")):
            raise ValueError(f"route paths must start with '/': {path!r}")
        self.path = path
        self.endpoint = endpoint
        self.name = name or _endpoint_name(endpoint)
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
        self.extra = extra
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
        }
        """The options as given (defaults still marked), for ``copy_with``: kept in one
        attribute, so that an instance stays within CPython's 30 shared-key attributes and
        ``route.handle`` keeps its fastest lookup."""
        self.response_class: type[Response] = (
            response_class.value
            if isinstance(response_class, DefaultPlaceholder)
            else response_class
        )
        self.response_model = resolve_response_model(response_model, endpoint)
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
            response_model=self.response_model,
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
        if type(self).get_route_handler is APIRoute.get_route_handler:
            self.handle, self.exposes_scope = compile_route_handler(self)
        else:  # a route class wrapping the request handler (FastAPI's hook)
            self.handle, self.exposes_scope = request_response(self.get_route_handler()), True
        self.generate_unique_id_function: Callable[[APIRoute], str] = (
            generate_unique_id_function.value
            if isinstance(generate_unique_id_function, DefaultPlaceholder)
            else generate_unique_id_function
        )
        self.unique_id: str = self.operation_id or self.generate_unique_id_function(self)
        """``operation_id``, else ``generate_unique_id_function(route)``: the OpenAPI
        ``operationId`` (with the default function, each method of a several-method route
        has its own) and the suffix of the route's ``Body_``/``Response_`` schema names."""

    def get_route_handler(self) -> RouteHandler:
        """FastAPI's hook: the route's work as ``async (request) -> Response``. Override it in
        a subclass (``FasterRouter(route_class=...)``) to wrap that function; such routes are
        served through it (the general path) instead of the compiled fast handlers."""
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
    ) -> APIRoute:
        """This route as seen through ``include_router``: prefixed, with merged options (an
        explicit ``generate_unique_id_function`` of the route or its router wins over the
        including one's)."""
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
        if isinstance(options["response_class"], DefaultPlaceholder) and default_response_class:
            options["response_class"] = DefaultPlaceholder(default_response_class)
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
            **self.extra,
        )


class WebhookRoute(APIRoute):
    """A route of ``app.webhooks``: an OpenAPI webhook, documented and never served, so its
    path is the webhook's name (``"new-subscription"``)."""

    served = False


class APIWebSocketRoute(BaseRoute):
    """A WebSocket endpoint with typed parameters and dependencies."""

    include_in_schema = False

    def __init__(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        name: str | None = None,
        dependencies: Sequence[Depends] | None = None,
    ) -> None:
        if not path.startswith("/"):
            raise ValueError(f"route paths must start with '/': {path!r}")
        self.path = path
        self.endpoint = endpoint
        self.name = name or _endpoint_name(endpoint)
        self.dependencies = list(dependencies or [])
        self.plan = RequestPlan(
            endpoint, path_param_names=path_param_names(path), dependencies=self.dependencies
        )

    def copy_with(
        self, *, prefix: str = "", dependencies: Sequence[Depends] = (), **_: Any
    ) -> APIWebSocketRoute:
        """This route as seen through ``include_router``."""
        return type(self)(
            prefix + self.path,
            self.endpoint,
            name=self.name,
            dependencies=[*dependencies, *self.dependencies],
        )

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Solve parameters, then run the endpoint with the connection."""
        websocket = WebSocket(scope, receive, send)
        async with AsyncExitStack() as stack, AsyncExitStack() as function_stack:
            try:
                kwargs, _ = await self.plan.solve(websocket, stack, function_stack)
            except RequestValidationError as exc:
                raise WebSocketRequestValidationError(exc.errors()) from None
            if self.plan.is_coroutine:
                await self.endpoint(**kwargs)
            else:
                await run_in_threadpool(self.endpoint, **kwargs)


class Mount(BaseRoute):
    """An ASGI application served under a path prefix (``root_path`` grows by the prefix)."""

    include_in_schema = False

    def __init__(self, path: str, app: ASGIApp, *, name: str | None = None) -> None:
        path = path.rstrip("/")
        if path and not path.startswith("/"):
            raise ValueError(f"mount paths must start with '/': {path!r}")
        self.path = path
        self.app = app
        self.name = name or ""

    def matches(self, route_path: str) -> bool:
        """True when ``route_path`` is the prefix itself or lies under it."""
        prefix = self.path
        return not prefix or route_path == prefix or route_path.startswith(prefix + "/")

    def copy_with(self, *, prefix: str = "", **_: Any) -> Mount:
        """This mount as seen through ``include_router``."""
        return Mount(prefix + self.path, self.app, name=self.name)

    def url_path_for(self, name: str, /, **params: Any) -> str:
        """``name`` itself with ``path=...``, or ``"mount:child"`` for a named child route."""
        if name == self.name and set(params) <= {"path"}:
            return self.path + "/" + str(params.get("path", "")).lstrip("/")
        if self.name and name.startswith(self.name + ":"):
            child = getattr(self.app, "url_path_for", None)
            if child is not None:
                return self.path + str(child(name[len(self.name) + 1 :], **params))
        raise NoMatchFound(name, params)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Forward to the mounted app with ``root_path`` extended by the prefix."""
        child = dict(scope)
        child.pop(RESPONSE_STARTED, None)  # the mounted app's layers keep their own flag
        child["root_path"] = scope.get("root_path", "") + self.path
        await self.app(child, receive, send)


async def close_websocket(send: Send, exc: WebSocketException) -> None:
    """Close a WebSocket with the exception's code and reason."""
    await send({"type": "websocket.close", "code": exc.code, "reason": exc.reason})
