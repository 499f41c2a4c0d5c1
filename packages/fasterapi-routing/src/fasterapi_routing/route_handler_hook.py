"""FastAPI's ``APIRoute.get_route_handler`` hook: a route's work as a ``Request -> Response``
coroutine function, which a subclass may wrap (time it, log a failing body, decode a gzipped
body with its own ``Request`` class), and :func:`request_response` serving such a function.

Routes that do not override the hook never come here: they are served by the compiled
handlers of ``compiled_handler.py``. A route class that does gets the general path, with
FastAPI's order: ``scope="function"`` dependencies torn down when the endpoint returns, the
response sent (then its background tasks), then the other ``yield`` dependencies.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from typing import TYPE_CHECKING, Any

from fasterapi_core.concurrency import run_in_threadpool
from fasterapi_core.dependencies.body import is_json_content_type
from fasterapi_core.exceptions import FasterAPIError
from fasterapi_core.requests import Request
from fasterapi_core.responses import Response
from fasterapi_core.types import ASGIApp, Receive, Scope, Send
from fasterapi_routing.compiled_handler import SWALLOWED
from fasterapi_routing.started import MarkingSend

if TYPE_CHECKING:
    from fasterapi_routing.routes import APIRoute

__all__ = ["RouteHandler", "default_route_handler", "request_response"]

RouteHandler = Callable[[Request], Awaitable[Response]]
"""What ``get_route_handler`` returns."""

_STACK = "fasterapi.exit_stack"
_FUNCTION_STACK = "fasterapi.function_exit_stack"


def default_route_handler(
    route: APIRoute, endpoint: Callable[..., Any] | None = None, *, keep_json: bool = False
) -> RouteHandler:
    """The route's request handler: solve the parameters and dependencies from the request
    given (a subclass of ``Request`` works: its ``body()`` is what body parameters read), call
    the endpoint (or ``endpoint``, a wrapper of it as sync or async as it), build the response.
    Raises ``RequestValidationError`` on bad input. ``keep_json``: leave a JSON body decoded
    on the request (``request._json``) before the endpoint runs, as FastAPI's body solving
    does (sentry-sdk's FastAPI integration attaches it to events from there)."""
    plan = route.plan
    endpoint = route.endpoint if endpoint is None else endpoint
    response_plan = route.response_plan
    keep_json = keep_json and plan.body is not None and not plan.body.is_form

    async def route_handler(request: Request) -> Response:
        stack: AsyncExitStack | None = request.scope.get(_STACK)
        if stack is None:  # called outside request_response: tear down before returning
            async with AsyncExitStack() as own:
                request.scope[_STACK] = request.scope[_FUNCTION_STACK] = own
                try:
                    return await route_handler(request)
                finally:
                    del request.scope[_STACK], request.scope[_FUNCTION_STACK]
        kwargs, ctx = await plan.solve(request, stack, request.scope.get(_FUNCTION_STACK))
        if keep_json:
            await _keep_json(request)
        if route.stream is not None:  # a generator endpoint: its items streamed
            return route.stream.build(endpoint(**kwargs), ctx.background_tasks, ctx.sub_response)
        if plan.is_coroutine:
            result = await endpoint(**kwargs)
        else:
            result = await run_in_threadpool(endpoint, **kwargs)
        return response_plan.build(result, ctx.sub_response, ctx.background_tasks)

    return route_handler


async def _keep_json(request: Request) -> None:
    """``request._json``: the body read already, decoded if it is JSON (else left unset)."""
    if getattr(request, "_body", None) and is_json_content_type(
        request.headers.get("content-type")
    ):
        with contextlib.suppress(Exception):  # FastAPI sets it only when the body decodes
            await request.json()


def request_response(handler: Callable[[Request], Any]) -> ASGIApp:
    """Serve ``handler`` (a ``Request -> Response`` function, sync ones in the thread pool):
    the ASGI ``handle`` of a route whose class overrides ``get_route_handler``."""
    is_coroutine = inspect.iscoroutinefunction(handler) or inspect.iscoroutinefunction(
        getattr(handler, "__call__", None)  # noqa: B004
    )

    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive, send)
        sent = False
        async with AsyncExitStack() as stack:
            stack.push_async_callback(request.close)
            scope[_STACK] = stack
            async with AsyncExitStack() as function_stack:
                scope[_FUNCTION_STACK] = function_stack
                if is_coroutine:
                    response = await handler(request)
                else:
                    response = await run_in_threadpool(handler, request)
            del scope[_FUNCTION_STACK]
            await response(scope, receive, MarkingSend(scope, send))
            sent = True
        del scope[_STACK]
        if not sent:  # an exit stack swallowed the handler's exception
            raise FasterAPIError(SWALLOWED)

    return handle
