"""Streaming responses: a body produced chunk by chunk (Server-Sent Events build on it in sse.py).

Async iterables are consumed directly; sync ones are iterated in a worker thread so they never
block the event loop. When the client goes away the stream stops and the iterator is closed
(its ``finally`` blocks run).
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager, suppress
from typing import Any, TypeAlias

import anyio

from fasterapi_core.background import BackgroundTask, run_background
from fasterapi_core.concurrency import iterate_in_threadpool
from fasterapi_core.responses import Response
from fasterapi_core.types import Message, Receive, Scope, Send

__all__ = ["ContentStream", "StreamingResponse", "collapse_excgroups"]

ContentStream: TypeAlias = "AsyncIterable[Any] | Iterable[Any]"


@asynccontextmanager
async def collapse_excgroups() -> AsyncIterator[None]:
    """Re-raise the only exception of a task group's ExceptionGroup as itself."""
    try:
        yield
    except BaseExceptionGroup as group:
        exc: BaseException = group
        while isinstance(exc, BaseExceptionGroup) and len(exc.exceptions) == 1:
            exc = exc.exceptions[0]
        if exc is group:
            raise
        raise exc from None


def _spec_version(scope: Scope) -> tuple[int, ...]:
    version = str(scope.get("asgi", {}).get("spec_version", "2.0"))
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        return (2, 0)


class StreamingResponse(Response):
    """Send the chunks of ``content`` (str, bytes or memoryview) as they are produced.

    No ``content-length`` is set; each chunk goes out as its own ``http.response.body``
    message with ``more_body=True``, then a final empty one.
    """

    body_iterator: AsyncIterable[Any]

    def __init__(
        self,
        content: ContentStream,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: BackgroundTask | None = None,
    ) -> None:
        self.status_code = status_code
        if media_type is not None:
            self.media_type = media_type
        self.background = background
        self._sync_iterator: Any = None
        if isinstance(content, AsyncIterable):
            self.body_iterator = content
        else:
            self._sync_iterator = content
            self.body_iterator = iterate_in_threadpool(content)
        self.init_headers(headers)

    def _encode_chunk(self, chunk: Any) -> bytes:
        if isinstance(chunk, bytes):
            return chunk
        if isinstance(chunk, str):
            return chunk.encode(self.charset)
        if isinstance(chunk, (bytearray, memoryview)):
            return bytes(chunk)
        raise TypeError(f"Streamed chunks must be str or bytes, not {type(chunk).__name__}")

    async def stream_body(self, send: Send) -> None:
        """Send every chunk of ``body_iterator``; subclasses may override."""
        encode = self._encode_chunk
        async for chunk in self.body_iterator:
            await send({"type": "http.response.body", "body": encode(chunk), "more_body": True})

    async def _close_iterators(self) -> None:
        with anyio.CancelScope(shield=True):
            aclose = getattr(self.body_iterator, "aclose", None)
            if aclose is not None:
                await aclose()
            close = getattr(self._sync_iterator, "close", None)
            if close is not None:
                close()

    async def _stream(self, send: Send) -> None:
        try:
            await send(
                {
                    "type": "http.response.start",
                    "status": self.status_code,
                    "headers": self.raw_headers,
                }
            )
            await self.stream_body(send)
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            await self._close_iterators()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":  # a denial response: the handshake's HTTP answer
            await self.to_asgi(_websocket_denial(send))
            return
        if _spec_version(scope) >= (2, 4):
            # The server raises OSError from send() once the client is gone.
            with suppress(OSError):
                await self._stream(send)
        else:
            async with collapse_excgroups(), anyio.create_task_group() as group:

                async def stream_then_stop() -> None:
                    await self._stream(send)
                    group.cancel_scope.cancel()

                group.start_soon(stream_then_stop)
                await _wait_for_disconnect(receive)
                group.cancel_scope.cancel()
        if self.background is not None:
            await run_background(self.background)

    async def to_asgi(self, send: Send) -> None:
        """Stream through ``send`` alone (no disconnect listening), then run the background."""
        with suppress(OSError):
            await self._stream(send)
        if self.background is not None:
            await run_background(self.background)


def _websocket_denial(send: Send) -> Send:
    """``send`` for a response answering a WebSocket handshake (``websocket.http.response.*``
    messages, the denial response extension)."""

    async def relay(message: Message) -> None:
        kind: str = message["type"]
        if kind.startswith("http."):
            message = {**message, "type": "websocket." + kind}
        await send(message)

    return relay


async def _wait_for_disconnect(receive: Receive) -> None:
    while True:
        message: Message = await receive()
        if message["type"] == "http.disconnect":
            return


def __getattr__(name: str) -> Any:
    # The Server-Sent Events classes moved to fasterapi_core.sse; still importable from here.
    if name in ("EventSourceResponse", "ServerSentEvent"):
        from fasterapi_core import sse

        return getattr(sse, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
