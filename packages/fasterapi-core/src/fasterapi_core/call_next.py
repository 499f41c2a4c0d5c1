"""Request/``call_next`` middleware, as written for FastAPI and Starlette.

``async def mw(request, call_next) -> Response`` wraps the rest of the application; the
downstream response is streamed back through a bounded channel, never buffered whole. Used by
``@app.middleware("http")`` and by ``BaseHTTPMiddleware`` subclasses whose ``dispatch`` takes
``(request, call_next)``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import anyio
from anyio.abc import ObjectReceiveStream, TaskGroup

from fasterapi_core.requests import Request
from fasterapi_core.responses import Response
from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CallNextMiddleware", "Dispatch"]

Dispatch = Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]


class _StreamedResponse(Response):
    """The downstream app's response, replayed (headers editable) as the body arrives."""

    def __init__(self, status: int, headers: list[tuple[bytes, bytes]], body: AsyncIterator[bytes]):
        self.status_code = status
        self.raw_headers = headers
        self.background = None
        self.body = b""
        self.body_iterator = body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        async for chunk in self.body_iterator:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})


class _Downstream:
    """One ``call_next``: whether its whole response was read, its error, whether raised."""

    __slots__ = ("complete", "error", "raised")

    def __init__(self) -> None:
        self.complete = False
        self.error: list[BaseException] = []
        self.raised = False


def _single(error: BaseException) -> BaseException:
    """The only exception inside (nested) one-member exception groups."""
    while isinstance(error, BaseExceptionGroup) and len(error.exceptions) == 1:
        error = error.exceptions[0]
    return error


def _replaying(request: Request) -> Receive:
    """The rest of the application's ``receive``: the body the middleware has read (as
    Starlette replays it), then the client's messages."""
    replayed = False

    async def receive() -> Message:
        nonlocal replayed
        body: bytes | None = getattr(request, "_body", None)
        if body is not None and not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await request.receive()

    return receive


class CallNextMiddleware:
    """Run ``dispatch(request, call_next)`` around the rest of the application."""

    def __init__(self, app: ASGIApp, dispatch: Dispatch) -> None:
        self.app = app
        self.dispatch = dispatch

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        downstreams: list[_Downstream] = []
        try:
            async with anyio.create_task_group() as group:
                request = Request(scope, receive, send)

                async def call_next(req: Request) -> Response:
                    return await self._call_next(group, scope, req, downstreams)

                response = await self.dispatch(request, call_next)
                await response(scope, receive, send)
                # A downstream whose whole response was read is running its background tasks
                # and yield teardown: waited for, as Starlette does. Else its response was not
                # used: cancelled.
                if not all(downstream.complete for downstream in downstreams):
                    group.cancel_scope.cancel()
        except BaseExceptionGroup as group_error:
            raise _single(group_error) from None
        for downstream in downstreams:  # raised after the response (a failed background task)
            if downstream.error and not downstream.raised:
                raise downstream.error[0]

    async def _call_next(
        self, group: TaskGroup, scope: Scope, request: Request, downstreams: list[_Downstream]
    ) -> Response:
        send_stream, recv_stream = anyio.create_memory_object_stream[Message](16)
        state = _Downstream()
        downstreams.append(state)
        app_error = state.error

        async def downstream() -> None:
            async with send_stream:
                try:
                    await self.app(scope, _replaying(request), send_stream.send)
                except BaseException as exc:  # re-raised in the caller's task
                    app_error.append(exc)

        group.start_soon(downstream)
        start: Any = None
        async for message in recv_stream:
            if message["type"] == "http.response.start":
                start = message
                break
        if start is None:
            recv_stream.close()
            if app_error:
                state.raised = True
                raise app_error[0]
            raise RuntimeError("No response returned.")

        async def body(stream: ObjectReceiveStream[Message] = recv_stream) -> AsyncIterator[bytes]:
            async with stream:
                async for message in stream:
                    if message["type"] == "http.response.body":
                        yield message.get("body", b"")
                        if not message.get("more_body", False):
                            state.complete = True
                            break
            if app_error:
                state.raised = True
                raise app_error[0]

        return _StreamedResponse(start["status"], list(start.get("headers", [])), body())
