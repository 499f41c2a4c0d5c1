"""``APIWebSocketRoute``: a WebSocket endpoint with typed parameters and dependencies."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AsyncExitStack
from typing import Any

from fasterapi_core.concurrency import run_in_threadpool
from fasterapi_core.dependencies import RequestPlan
from fasterapi_core.exceptions import RequestValidationError, WebSocketException
from fasterapi_core.params import Depends
from fasterapi_core.types import Receive, Scope, Send
from fasterapi_core.websockets import WebSocket
from fasterapi_routing.base_route import BaseRoute, endpoint_name
from fasterapi_routing.matching import matched
from fasterapi_routing.paths import path_param_names
from fasterapi_routing.replaced_request_handler import replaced_websocket_handle

__all__ = ["APIWebSocketRoute", "WebSocketRequestValidationError", "close_websocket"]


class WebSocketRequestValidationError(RequestValidationError):
    """A WebSocket connection's parameters did not validate; it is closed with code 1008."""


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
        # "" is allowed, as in FastAPI: a router's route under the prefix it is included with.
        if path and not path.startswith("/"):
            raise ValueError(f"route paths must start with '/': {path!r}")
        self.path = path
        self.endpoint = endpoint
        self.name = name or endpoint_name(endpoint)
        self.dependencies = list(dependencies or [])
        self.plan = RequestPlan(
            endpoint, path_param_names=path_param_names(path), dependencies=self.dependencies
        )
        handle = replaced_websocket_handle(self)  # plugins' hooks: replaced_request_handler.py
        if handle is not None:
            self.handle = handle  # type: ignore[method-assign,assignment]

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

    url_protocol = "websocket"

    def matches(self, scope: Scope) -> tuple[Any, Scope]:
        """Starlette's routing protocol (FastAPI's): FULL for a WebSocket scope on this path
        (the child scope holds ``endpoint``, ``path_params`` and ``route``), else NONE."""
        return matched(self, scope, "websocket", with_route=True)

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


async def close_websocket(send: Send, exc: WebSocketException) -> None:
    """Close a WebSocket with the exception's code and reason."""
    await send({"type": "websocket.close", "code": exc.code, "reason": exc.reason})
