"""Operation spans (FastAPI 0.165's ``fastapi.dependencies``, ``fastapi.endpoint``,
``fastapi.serialization``, ``fastapi.background_task``) and the request's
:class:`~fasterapi_routing.telemetry.TelemetryData` (``request``/``websocket``, ``body``,
``values``, ``errors``), recorded by observed variants of the route handlers.

The compiled handlers of :mod:`fasterapi_routing.compiled_handler` are never changed: when an
application first records a request, :func:`observe_routes` gives each route it can reach
(included routers, mounted FasterAPI applications) a handler that serves requests recorded by
telemetry through the instrumented path below and every other request through the route's own
handler, so applications that record nothing pay nothing.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from contextlib import AsyncExitStack
from typing import Any

from fasterapi_core.background import BackgroundTask, BackgroundTasks
from fasterapi_core.concurrency import run_in_threadpool
from fasterapi_core.dependencies.body import is_json_content_type
from fasterapi_core.exceptions import RequestValidationError
from fasterapi_core.requests import Request
from fasterapi_core.responses import Response
from fasterapi_core.types import ASGIApp, Receive, Scope, Send
from fasterapi_core.validation import decode_json
from fasterapi_core.websockets import WebSocket
from fasterapi_routing.body_limits import LimitOverrides, limit_handle
from fasterapi_routing.foreign_responses import is_foreign_response
from fasterapi_routing.replaced_request_handler import hooks_replaced, replaced_request_handler
from fasterapi_routing.route_handler_hook import request_response
from fasterapi_routing.routes import APIRoute, APIWebSocketRoute
from fasterapi_routing.routing_scope import add_routing_keys
from fasterapi_routing.telemetry.config import SCOPE_KEY
from fasterapi_routing.telemetry.request import RequestTelemetry, operation
from fasterapi_routing.websocket_route import WebSocketRequestValidationError

__all__ = ["ObservedBackgroundTasks", "observe_routes"]

_MAX_DEPTH = 16
_OBSERVED = "__fasterapi_observed__"
"""Set on an observed handler: the route's own handler it serves other requests with."""
_DOCS_MODULES = "fasterapi_routing.openapi."
_seen: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()
"""Router -> the dispatch tables whose routes were given observed handlers."""


def observe_routes(app: Any, depth: int = 0) -> None:
    """Give the routes ``app`` (a FasterAPI application or router) serves, and those of the
    FasterAPI applications it mounts, their observed handlers (once per set of routes)."""
    router = getattr(app, "router", app)
    get_dispatch = getattr(router, "_get_dispatch", None)
    if get_dispatch is None or depth > _MAX_DEPTH:
        return
    dispatch = get_dispatch()
    if _seen.get(router) is not dispatch:
        for route in list(getattr(router, "routes", ())):
            _observe(route)
        _seen[router] = dispatch
    for mount in dispatch.mounts:
        observe_routes(mount.app, depth + 1)


def _observe(route: Any) -> None:
    handle = getattr(route, "handle", None)
    if handle is None or getattr(handle, _OBSERVED, None) is not None:
        return
    if (
        type(route) is APIWebSocketRoute
        or (isinstance(route, APIWebSocketRoute) and type(route).handle is APIWebSocketRoute.handle)
    ) and not hooks_replaced():  # served through a plugin's hooks: replaced_request_handler.py
        route.handle = _switch(handle, _observed_websocket(route), route)  # type: ignore[method-assign,assignment]
    elif (
        isinstance(route, APIRoute)
        and type(route).get_route_handler is APIRoute.get_route_handler
        and replaced_request_handler() is None
        and not _docs_page(route)
    ):
        observed = request_response(_observed_request_handler(route))
        limits = LimitOverrides(route.max_body_size, route._given["form_limits"])
        if limits:
            observed = limit_handle(observed, limits)
        route.handle = _switch(handle, observed, route)


def _docs_page(route: APIRoute) -> bool:
    """The OpenAPI document and docs pages: plain Starlette routes in FastAPI, no operations."""
    return str(getattr(route.endpoint, "__module__", "")).startswith(_DOCS_MODULES)


def _switch(plain: ASGIApp, observed: ASGIApp, route: Any) -> ASGIApp:
    """Serve requests recorded by telemetry through ``observed``, others through ``plain``."""

    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        if SCOPE_KEY in scope:
            add_routing_keys(scope, route)  # the general path shows the scope to user code
            await observed(scope, receive, send)
        else:
            await plain(scope, receive, send)

    setattr(handle, _OBSERVED, plain)
    return handle


def _telemetry(scope: Scope) -> RequestTelemetry | None:
    found = scope.get(SCOPE_KEY)
    return found if isinstance(found, RequestTelemetry) else None


def _run_sync_endpoint(function: Callable[..., Any], arguments: dict[str, Any]) -> Any:
    """A sync endpoint called in its worker thread, its span current there."""
    with operation(name="endpoint", function=function):
        return function(**arguments)


async def _call_endpoint(endpoint: Callable[..., Any], coroutine: bool, kwargs: Any) -> Any:
    if coroutine:
        with operation(name="endpoint", function=endpoint):
            return await endpoint(**kwargs)
    return await run_in_threadpool(_run_sync_endpoint, endpoint, kwargs)


async def _read_body_data(request: Request, route: APIRoute) -> Any:
    """The body as FastAPI shows it before validation: a form's ``FormData``, parsed JSON, else
    the bytes; None when empty. A body that is not JSON is left to the solver's 422 (which
    records its text)."""
    body_plan = route.plan.body
    if body_plan is None:
        return None
    if body_plan.is_form:  # parsed (and cached) as the solver reads it, under the same limits
        return await request.form()
    raw = await request.body()
    if not raw:
        return None
    content_type = request.headers.get("content-type")
    if is_json_content_type(content_type, strict=body_plan.strict_content_type):
        value, errors = decode_json(raw)
        return raw.decode("utf-8", "replace") if errors else value
    return raw


def _observed_request_handler(route: APIRoute) -> Callable[[Request], Any]:
    """``default_route_handler`` with FastAPI's operation spans and telemetry data."""
    plan = route.plan
    endpoint = route.endpoint
    response_plan = route.response_plan
    stream = route.stream

    async def route_handler(request: Request) -> Response:
        scope = request.scope
        telemetry = _telemetry(scope)
        data = None if telemetry is None else telemetry.data
        if data is not None:
            data.request = request
            data.body = await _read_body_data(request, route)
        stack = scope["fasterapi.exit_stack"]
        with operation(name="dependencies", function=endpoint):
            kwargs, ctx = await plan.solve(
                request, stack, scope.get("fasterapi.function_exit_stack")
            )
            if data is not None:
                data.values, data.errors = kwargs, []
        if stream is not None:
            return stream.build(endpoint(**kwargs), ctx.background_tasks, ctx.sub_response)
        result = await _call_endpoint(endpoint, plan.is_coroutine, kwargs)
        if isinstance(result, Response) or is_foreign_response(result):
            response = response_plan.build(result, ctx.sub_response, ctx.background_tasks)
        else:
            with operation(name="serialization", function=endpoint):
                response = response_plan.build(result, ctx.sub_response, ctx.background_tasks)
        background = getattr(response, "background", None)
        if isinstance(background, BackgroundTasks) and telemetry is not None:
            response.background = ObservedBackgroundTasks(background, scope)
        return response

    return route_handler


def _observed_websocket(route: APIWebSocketRoute) -> ASGIApp:
    """``APIWebSocketRoute.handle`` with FastAPI's operation spans and telemetry data."""
    plan = route.plan
    endpoint = route.endpoint

    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        websocket = WebSocket(scope, receive, send)
        telemetry = _telemetry(scope)
        data = None if telemetry is None else telemetry.data
        if data is not None:
            data.websocket = websocket
        async with AsyncExitStack() as stack, AsyncExitStack() as function_stack:
            with operation(name="dependencies", function=endpoint):
                try:
                    kwargs, _ = await plan.solve(websocket, stack, function_stack)
                except RequestValidationError as exc:
                    raise WebSocketRequestValidationError(exc.errors()) from None
                if data is not None:
                    data.values, data.errors = kwargs, []
            await _call_endpoint(endpoint, plan.is_coroutine, kwargs)

    return handle


class ObservedBackgroundTasks(BackgroundTask):
    """A response's ``BackgroundTasks`` run with a ``fastapi.background_task`` span each
    (each task called as itself: a subclass's ``__call__`` is kept)."""

    __slots__ = ("scope", "tasks")

    def __init__(self, tasks: BackgroundTasks, scope: Scope) -> None:
        super().__init__(tasks.run)
        self.tasks = tasks
        self.scope = scope

    async def run(self) -> None:
        """Run the tasks in order, each in its span. As FastAPI 0.165, the first one that raises
        fails its span and stops the run; its exception propagates (the server layer logs it as
        the request's unhandled exception, once)."""
        for task in self.tasks.tasks:
            with operation(name="background_task", function=task.func):
                await task()
