"""An HTTP route's request handler, compiled once at registration for the route's shape.

Everything the route knows before its first request (the endpoint, whether it is a
coroutine, how its arguments are obtained, the response status and encoder) is bound in the
closure, so a request pays only for the branches its route needs: no parameters at all, a
flat plan read synchronously from the scope, dependencies that take nothing from the request,
one JSON body, or the general dependency solver.
"""

from __future__ import annotations

from contextlib import AsyncExitStack
from typing import TYPE_CHECKING, Any

from fasterapi_core.concurrency import run_in_threadpool
from fasterapi_core.requests import Request
from fasterapi_core.responses import Response
from fasterapi_core.types import ASGIApp, Receive, Scope, Send
from fasterapi_routing.responding import JSON_CONTENT_TYPE
from fasterapi_routing.started import RESPONSE_STARTED, MarkingSend

if TYPE_CHECKING:
    from fasterapi_routing.routes import APIRoute

__all__ = ["HeadSend", "compile_route_handler"]

_NO_ARGUMENTS: dict[str, Any] = {}  # unpacked with ** only, never mutated


class HeadSend:
    """Forward a response without its body (HEAD answered by a GET route)."""

    __slots__ = ("send",)

    def __init__(self, send: Send) -> None:
        self.send = send

    async def __call__(self, message: Any) -> None:
        if message["type"] == "http.response.body":
            if message.get("more_body"):
                return
            message = {"type": "http.response.body", "body": b""}
        await self.send(message)


def compile_route_handler(route: APIRoute) -> ASGIApp:
    """The ``handle(scope, receive, send)`` coroutine function of ``route``."""
    plan = route.plan
    endpoint = route.endpoint
    is_coroutine = plan.is_coroutine
    answers_head = "HEAD" not in route.methods  # HEAD reaches it only as GET without a body
    extract = plan.extract if plan.has_parameters else None
    leaves = bool(plan.leaf_dependencies)
    body_only = plan.body_only is not None
    general = plan.has_parameters and extract is None and not body_only and not leaves
    needs_exit_stack = plan.needs_exit_stack
    response_plan = route.response_plan
    fast_json = response_plan.fast_json
    encode = response_plan.encode
    status = response_plan.status_code

    async def with_exit_stack(scope: Scope, receive: Receive, send: Send) -> None:
        """Dependencies with ``yield`` (or a form body): teardown after the response."""
        request = Request(scope, receive, send)
        background = None
        async with AsyncExitStack() as stack:
            stack.push_async_callback(request.close)
            kwargs, ctx = await plan.solve(request, stack)
            if is_coroutine:
                result = await endpoint(**kwargs)
            else:
                result = await run_in_threadpool(endpoint, **kwargs)
            response = response_plan.build(result, ctx.sub_response, ctx.background_tasks)
            background, response.background = response.background, None
            await response(scope, receive, MarkingSend(scope, send))
        if background is not None:
            await background.run()

    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        if answers_head and scope["method"] == "HEAD":
            send = HeadSend(send)
        ctx = None
        if extract is not None:
            kwargs = extract(scope)
        elif leaves:
            found = await plan.solve_leaves(scope)
            if found is None:  # dependency overrides: the general solver applies them
                kwargs, ctx = await plan.solve(Request(scope, receive, send), None)
            else:
                kwargs = found
        elif body_only:
            kwargs = await plan.solve_body_only(scope, receive)
        elif general:
            if needs_exit_stack:
                await with_exit_stack(scope, receive, send)
                return
            if plan.is_flat:  # special parameters (Request, Response...) but nothing to await
                kwargs, ctx = plan.solve_flat(Request(scope, receive, send))
            else:
                kwargs, ctx = await plan.solve(Request(scope, receive, send), None)
        else:
            kwargs = _NO_ARGUMENTS
        if is_coroutine:
            result = await endpoint(**kwargs)
        else:
            result = await run_in_threadpool(endpoint, **kwargs)
        if ctx is not None and (ctx.sub_response is not None or ctx.background_tasks is not None):
            response = response_plan.build(result, ctx.sub_response, ctx.background_tasks)
            await response(scope, receive, MarkingSend(scope, send))
            return
        if fast_json and not isinstance(result, Response):
            body = encode(result)
            scope[RESPONSE_STARTED] = True
            await send(
                {
                    "type": "http.response.start",
                    "status": status,
                    "headers": [JSON_CONTENT_TYPE, (b"content-length", b"%d" % len(body))],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        response = response_plan.build(result, None, None)
        await response(scope, receive, MarkingSend(scope, send))

    return handle
