"""Streaming responses: a body produced chunk by chunk, and Server-Sent Events on top of it.

Async iterables are consumed directly; sync ones are iterated in a worker thread so they never
block the event loop. When the client goes away the stream stops and the iterator is closed
(its ``finally`` blocks run).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager, suppress
from typing import Any, TypeAlias

import anyio

from fasterapi_core.background import BackgroundTask, run_background
from fasterapi_core.concurrency import iterate_in_threadpool
from fasterapi_core.encoding import json_encode
from fasterapi_core.responses import Response, encode_headers
from fasterapi_core.types import Message, Receive, Scope, Send

__all__ = ["EventSourceResponse", "ServerSentEvent", "StreamingResponse"]

ContentStream: TypeAlias = "AsyncIterable[Any] | Iterable[Any]"


@asynccontextmanager
async def _collapse_excgroups() -> AsyncIterator[None]:
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
        if _spec_version(scope) >= (2, 4):
            # The server raises OSError from send() once the client is gone.
            with suppress(OSError):
                await self._stream(send)
        else:
            async with _collapse_excgroups(), anyio.create_task_group() as group:

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


async def _wait_for_disconnect(receive: Receive) -> None:
    while True:
        message: Message = await receive()
        if message["type"] == "http.disconnect":
            return


# Server-Sent Events -------------------------------------------------------------------------

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class ServerSentEvent:
    """One Server-Sent Event. ``data`` that is not str/bytes is JSON-encoded; multi-line data
    becomes several ``data:`` lines. ``event`` and ``id`` must be single lines (ValueError
    otherwise, so an event cannot be forged); ``retry`` is a non-negative int (milliseconds).
    ``raw_data`` (FastAPI's keyword for text sent as it is) may stand for ``data``."""

    __slots__ = ("comment", "data", "event", "id", "retry")

    def __init__(
        self,
        data: Any = None,
        event: str | None = None,
        id: str | int | None = None,
        retry: int | None = None,
        comment: str | None = None,
        *,
        raw_data: str | None = None,
    ) -> None:
        if raw_data is not None:
            if data is not None:
                raise ValueError("SSE 'data' and 'raw_data' are mutually exclusive")
            data = str(raw_data)
        if event is not None:
            event = _single_line("event", str(event))
        if id is not None:
            id = _single_line("id", str(id))
            if "\x00" in id:
                raise ValueError("SSE 'id' must not contain NUL characters")
        if retry is not None and (
            not isinstance(retry, int) or isinstance(retry, bool) or retry < 0
        ):
            raise ValueError("SSE 'retry' must be a non-negative integer (milliseconds)")
        self.data = data
        self.event = event
        self.id = id
        self.retry = retry
        self.comment = comment

    def encode(self, sep: str = "\n") -> bytes:
        """The event in ``text/event-stream`` wire format, ending with a blank line."""
        lines: list[str] = []
        if self.comment is not None:
            lines.extend(f": {line}" for line in _LINE_BREAK.split(str(self.comment)))
        if self.event is not None:
            lines.append(f"event: {self.event}")
        data = self.data
        if data is not None:
            if isinstance(data, bytes | bytearray | memoryview):
                text = bytes(data).decode("utf-8")
            elif isinstance(data, str):
                text = data
            else:
                text = json_encode(data).decode("utf-8")
            lines.extend(f"data: {line}" for line in _LINE_BREAK.split(text))
        if self.id is not None:
            lines.append(f"id: {self.id}")
        if self.retry is not None:
            lines.append(f"retry: {self.retry}")
        lines.append("")
        lines.append("")
        return sep.join(lines).encode("utf-8")

    def __repr__(self) -> str:
        fields = ", ".join(
            f"{name}={getattr(self, name)!r}"
            for name in ("data", "event", "id", "retry", "comment")
            if getattr(self, name) is not None
        )
        return f"ServerSentEvent({fields})"


def _single_line(name: str, value: str) -> str:
    if "\r" in value or "\n" in value:
        raise ValueError(f"SSE {name!r} must be a single line")
    return value


_SSE_KEYS = frozenset({"data", "event", "id", "retry", "comment"})


class EventSourceResponse(StreamingResponse):
    """Stream Server-Sent Events (``text/event-stream``).

    Items of ``content`` may be ``ServerSentEvent``, a dict with keys data/event/id/retry/comment,
    a str (sent as the data) or bytes (sent as they are: a pre-formatted event). When no event
    has been sent for ``ping`` seconds a ``: ping`` comment keeps proxies from closing the
    connection (``ping=None`` disables it).
    """

    media_type = "text/event-stream"

    def __init__(
        self,
        content: ContentStream,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        ping: float | None = 15,
        sep: str = "\n",
        background: BackgroundTask | None = None,
    ) -> None:
        if sep not in ("\n", "\r\n", "\r"):
            raise ValueError("sep must be '\\n', '\\r\\n' or '\\r'")
        if ping is not None and ping <= 0:
            raise ValueError("ping must be a positive number of seconds or None")
        self.ping_interval = ping
        self.sep = sep
        self._ping_message = f": ping{sep}{sep}".encode()
        super().__init__(content, status_code=status_code, headers=None, background=background)
        extra = [
            (b"cache-control", b"no-cache"),
            (b"x-accel-buffering", b"no"),
        ]
        if headers is not None:
            user = encode_headers(headers)
            names = {name for name, _ in user}
            extra = [item for item in extra if item[0] not in names]
            if b"content-type" in names:
                self.raw_headers = [h for h in self.raw_headers if h[0] != b"content-type"]
            self.raw_headers = user + self.raw_headers
        self.raw_headers.extend(extra)

    def _encode_chunk(self, chunk: Any) -> bytes:
        if isinstance(chunk, ServerSentEvent):
            return chunk.encode(self.sep)
        if isinstance(chunk, Mapping):
            unknown = set(chunk) - _SSE_KEYS
            if unknown:
                raise ValueError(f"Unknown SSE field(s): {sorted(unknown)}")
            return ServerSentEvent(**chunk).encode(self.sep)
        if isinstance(chunk, bytes | bytearray | memoryview):
            return bytes(chunk)
        return ServerSentEvent(data=chunk).encode(self.sep)

    async def stream_body(self, send: Send) -> None:
        """Send each event as it is produced, with a ``: ping`` comment every ``ping`` seconds."""
        interval = self.ping_interval
        if interval is None:
            await super().stream_body(send)
            return
        lock = anyio.Lock()
        last_sent = anyio.current_time()

        async def locked_send(message: Message) -> None:
            nonlocal last_sent
            async with lock:
                await send(message)
                last_sent = anyio.current_time()

        async def pinger() -> None:
            ping = {"type": "http.response.body", "body": self._ping_message, "more_body": True}
            while True:
                wait = last_sent + interval - anyio.current_time()
                if wait > 0:
                    await anyio.sleep(wait)
                else:
                    await locked_send(dict(ping))

        async with _collapse_excgroups(), anyio.create_task_group() as group:
            group.start_soon(pinger)
            try:
                await super().stream_body(locked_send)
            finally:
                group.cancel_scope.cancel()
