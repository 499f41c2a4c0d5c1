"""``fastapi.routing.solve_dependencies`` and ``run_endpoint_function`` as hooks plugins replace.

FastAPI's request handlers call these two module globals on every request, so a plugin that
replaces them sees every route's solved arguments and endpoint call: logfire's FastAPI
integration does (``logfire.instrument_fastapi``: the "FastAPI arguments" span, the endpoint's
span, ``request_attributes_mapper``). FasterAPI serves routes from compiled plans and never
calls them while they are the stand-in's own. Once one is replaced on the stand-in's
``fastapi.routing`` (see ``StandInModule.__setattr__``), routes are served through them instead,
as FastAPI's are: the ones registered afterwards (``fasterapi_routing.replaced_request_handler``)
and, at that moment, every live route registered before (:func:`serve_routes_through_hooks`).
``solve_dependencies`` then still solves with the route's compiled plan, returning its errors;
the handler raises them, calls ``run_endpoint_function``, and builds the response as usual.
Apps that never see a replacement are untouched.
"""

from __future__ import annotations

import gc
import sys
import types
import weakref
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import replace
from typing import Any

from FasterAPI._stand_in.connections import real_starlette_kept
from FasterAPI._stand_in.dependency_utils import ROUTE_BEING_SOLVED, solve_dependencies
from fasterapi_core.concurrency import run_in_threadpool
from fasterapi_core.dependencies import Dependant
from fasterapi_core.dependencies.starlette_objects import starlette_connection
from fasterapi_core.exceptions import RequestValidationError
from fasterapi_core.requests import Request
from fasterapi_core.responses import Response
from fasterapi_core.types import ASGIApp, Receive, Scope, Send
from fasterapi_core.websockets import WebSocket
from fasterapi_routing.route_handler_hook import RouteHandler, _keep_json, request_response
from fasterapi_routing.routes import APIRoute
from fasterapi_routing.websocket_route import APIWebSocketRoute, WebSocketRequestValidationError

__all__ = [
    "hooked_route_handler",
    "hooked_websocket_handle",
    "hooked_websocket_session",
    "hooks_replaced",
    "mark_hooked",
    "run_endpoint_function",
    "serve_routes_through_hooks",
    "websocket_handle",
]

_STACK = "fasterapi.exit_stack"  # request_response's exit stacks (route_handler_hook)
_FUNCTION_STACK = "fasterapi.function_exit_stack"


async def run_endpoint_function(
    *, dependant: Dependant, values: dict[str, Any], is_coroutine: bool
) -> Any:
    """Call ``dependant.call`` with ``values`` (a sync one in the thread pool)."""
    if is_coroutine:
        return await dependant.call(**values)
    return await run_in_threadpool(dependant.call, **values)


_ORIGINALS: dict[str, Any] = {  # the functions FastAPI's handlers call per request
    "solve_dependencies": solve_dependencies,
    "run_endpoint_function": run_endpoint_function,
}


def hooks_replaced(routing: types.ModuleType) -> bool:
    """Whether a plugin replaced one of :data:`HOOK_NAMES` on the stand-in ``routing``."""
    names = routing.__dict__
    return any(names.get(name, original) is not original for name, original in _ORIGINALS.items())


def hooked_route_handler(route: APIRoute, endpoint: Callable[..., Any]) -> RouteHandler:
    """``route``'s request handler through ``fastapi.routing``'s current hooks, as FastAPI's
    (``endpoint``: the route's endpoint, or what a replaced ``get_request_handler`` wrapped it
    in). Served by ``request_response``, which provides the exit stacks."""
    routing = sys.modules["fastapi.routing"]
    plan, response_plan, stream = route.plan, route.response_plan, route.stream
    dependant = plan.dependant
    if endpoint is not dependant.call:
        dependant = replace(dependant, call=endpoint)
    embed = route._embed_body_fields
    as_starlette = real_starlette_kept()
    keep_json = plan.body is not None and not plan.body.is_form

    async def route_handler(request: Request) -> Response:
        stack: AsyncExitStack = request.scope[_STACK]
        token = ROUTE_BEING_SOLVED.set((dependant, plan, request))
        try:
            solved = await routing.solve_dependencies(
                request=await starlette_connection(request) if as_starlette else request,
                dependant=dependant,
                body=None,  # read by the route's plan
                dependency_overrides_provider=route.dependency_overrides_provider,
                async_exit_stack=stack,
                embed_body_fields=embed,
            )
        finally:
            ROUTE_BEING_SOLVED.reset(token)
        if solved.errors:
            raise RequestValidationError(solved.errors, body=getattr(solved, "body", None))
        if keep_json:  # a JSON body left decoded on the request, as FastAPI's (sentry-sdk)
            await _keep_json(request)
        if stream is not None:  # a generator endpoint: its items streamed
            items = endpoint(**solved.values)
            return stream.build(items, solved.background_tasks, solved.response)
        result = await routing.run_endpoint_function(
            dependant=dependant, values=solved.values, is_coroutine=plan.is_coroutine
        )
        return response_plan.build(result, solved.response, solved.background_tasks)

    return route_handler


def hooked_websocket_session(route: APIWebSocketRoute) -> Callable[[WebSocket], Awaitable[None]]:
    """``route``'s session through ``fastapi.routing.solve_dependencies``, as FastAPI's
    websocket app (the endpoint is called directly, not through ``run_endpoint_function``)."""
    routing = sys.modules["fastapi.routing"]
    plan = route.plan
    dependant = plan.dependant
    as_starlette = real_starlette_kept()

    async def session(websocket: WebSocket) -> None:
        scope = websocket.scope
        async with AsyncExitStack() as stack, AsyncExitStack() as function_stack:
            scope[_FUNCTION_STACK] = function_stack
            token = ROUTE_BEING_SOLVED.set((dependant, plan, websocket))
            try:
                solved = await routing.solve_dependencies(
                    request=await starlette_connection(websocket) if as_starlette else websocket,
                    dependant=dependant,
                    dependency_overrides_provider=None,
                    async_exit_stack=stack,
                    embed_body_fields=False,
                )
            finally:
                ROUTE_BEING_SOLVED.reset(token)
                del scope[_FUNCTION_STACK]
            if solved.errors:
                raise WebSocketRequestValidationError(solved.errors)
            if plan.is_coroutine:
                await dependant.call(**solved.values)
            else:
                await run_in_threadpool(dependant.call, **solved.values)

    return session


def hooked_websocket_handle(route: APIWebSocketRoute) -> ASGIApp:
    """:func:`hooked_websocket_session` as the route's ASGI handler."""
    session = hooked_websocket_session(route)

    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        await session(WebSocket(scope, receive, send))

    return handle


_HOOKED: weakref.WeakSet[Any] = weakref.WeakSet()
"""The routes served through the hooks already."""


def mark_hooked(route: APIRoute) -> None:
    """Record that ``route`` is served through the hooks (built so at registration)."""
    _HOOKED.add(route)


def serve_routes_through_hooks() -> None:
    """Serve every live route through ``fastapi.routing``'s hooks, once one is replaced (called
    when a plugin sets one; logfire does once per process): FastAPI's handlers call them on
    each request, whenever the route was registered. Routes registered later are built so."""
    routing = sys.modules.get("fastapi.routing")
    if routing is None or not hooks_replaced(routing):
        return
    for route in gc.get_objects():  # once per replacement: routes have no registry
        if isinstance(route, APIRoute) and route not in _HOOKED:
            _HOOKED.add(route)
            route.app = request_response(route.get_route_handler())
        elif isinstance(route, APIWebSocketRoute) and route not in _HOOKED:
            _HOOKED.add(route)
            route.handle = hooked_websocket_handle(route)  # type: ignore[method-assign,assignment]


def websocket_handle(route: APIWebSocketRoute) -> ASGIApp | None:
    """The handler of a websocket route being registered: through the hooks when one is
    replaced, else None (the route's own)."""
    routing = sys.modules.get("fastapi.routing")
    if routing is None or not hooks_replaced(routing):
        return None
    _HOOKED.add(route)
    return hooked_websocket_handle(route)
