"""Server-Sent Events: ``ServerSentEvent``, ``format_sse_event`` and ``EventSourceResponse``.

FastAPI's rules (``fastapi.sse``): an event's ``data`` is always sent as JSON, a ``str`` too
(``data="hi"`` sends ``data: "hi"``); ``raw_data`` is sent as it is; multi-line text becomes
several ``data:`` lines; the wire format ends each event with a blank line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import anyio

from fasterapi_core.background import BackgroundTask
from fasterapi_core.encoding import json_encode, jsonable_dumps
from fasterapi_core.responses import encode_headers
from fasterapi_core.streaming import ContentStream, StreamingResponse, collapse_excgroups
from fasterapi_core.types import Message, Send

__all__ = ["KEEPALIVE_COMMENT", "EventSourceResponse", "ServerSentEvent", "format_sse_event"]

KEEPALIVE_COMMENT = b": ping\n\n"
"""The comment sent when a stream has been idle for a while (as FastAPI sends it)."""

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _event_bytes(
    data_str: str | None,
    event: str | None,
    id: str | None,
    retry: int | None,
    comment: str | None,
    sep: str,
) -> bytes:
    lines: list[str] = []
    if comment is not None:
        lines.extend(f": {line}" for line in _LINE_BREAK.split(comment))
    if event is not None:
        lines.append(f"event: {event}")
    if data_str is not None:
        lines.extend(f"data: {line}" for line in _LINE_BREAK.split(data_str))
    if id is not None:
        lines.append(f"id: {id}")
    if retry is not None:
        lines.append(f"retry: {retry}")
    lines.append("")
    lines.append("")
    return sep.join(lines).encode("utf-8")


def format_sse_event(
    *,
    data_str: str | None = None,
    event: str | None = None,
    id: str | None = None,
    retry: int | None = None,
    comment: str | None = None,
) -> bytes:
    """One event in ``text/event-stream`` wire format from **already serialised** data
    (``fastapi.sse.format_sse_event``); the result ends with ``\\n\\n``."""
    return _event_bytes(data_str, event, id, retry, comment, "\n")


def _single_line(name: str, value: str) -> str:
    if "\r" in value or "\n" in value:
        raise ValueError(f"SSE {name!r} must be a single line")
    return value


class ServerSentEvent:
    """One Server-Sent Event, as ``fastapi.sse.ServerSentEvent``.

    ``data`` is sent as JSON (a pydantic model through ``model_dump_json``, anything else as
    FastAPI encodes it: strings are quoted); ``raw_data`` is text sent as it is (not both).
    ``event`` and ``id`` must be single lines (ValueError otherwise, so an event cannot be
    forged; ``id`` without NUL); ``retry`` is a non-negative int (milliseconds).
    """

    __slots__ = ("comment", "data", "event", "id", "raw_data", "retry")

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
        if data is not None and raw_data is not None:
            raise ValueError(
                "Cannot set both 'data' and 'raw_data' on the same ServerSentEvent: 'data' "
                "is sent as JSON, 'raw_data' as it is"
            )
        if event is not None:
            event = _single_line("event", str(event))
        if id is not None:
            id = _single_line("id", str(id))
            if "\x00" in id:
                raise ValueError("SSE 'id' must not contain null characters")
        if retry is not None and (
            not isinstance(retry, int) or isinstance(retry, bool) or retry < 0
        ):
            raise ValueError("SSE 'retry' must be a non-negative integer (milliseconds)")
        self.data = data
        self.raw_data = None if raw_data is None else str(raw_data)
        self.event = event
        self.id = id
        self.retry = retry
        self.comment = comment

    def data_text(self) -> str | None:
        """The text of the ``data:`` field(s): ``raw_data``, or ``data`` as JSON."""
        if self.raw_data is not None:
            return self.raw_data
        data = self.data
        if data is None:
            return None
        dump_json = getattr(data, "model_dump_json", None)
        if dump_json is not None:
            text: str = dump_json()
            return text
        return jsonable_dumps(data)

    def encode(self, sep: str = "\n") -> bytes:
        """The event in ``text/event-stream`` wire format, ending with a blank line."""
        comment = None if self.comment is None else str(self.comment)
        return _event_bytes(self.data_text(), self.event, self.id, self.retry, comment, sep)

    def __repr__(self) -> str:
        fields = ", ".join(
            f"{name}={getattr(self, name)!r}"
            for name in ("data", "raw_data", "event", "id", "retry", "comment")
            if getattr(self, name) is not None
        )
        return f"ServerSentEvent({fields})"


_SSE_KEYS = frozenset({"data", "event", "id", "retry", "comment"})


def _text(data: Any) -> str | None:
    """sse-starlette's rule for the items of an ``EventSourceResponse``: text is sent as it
    is, bytes decoded, anything else as compact JSON."""
    if data is None or isinstance(data, str):
        return data
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data).decode("utf-8")
    return json_encode(data).decode("utf-8")


class EventSourceResponse(StreamingResponse):
    """Stream Server-Sent Events (``text/event-stream``).

    As ``response_class=`` of a generator endpoint, each item is an event (FastAPI's rules).
    Given an iterable, its items may be ``ServerSentEvent``, a dict with keys
    data/event/id/retry/comment or a str (sent as the data as it is: sse-starlette's rule),
    or bytes (a pre-formatted event). When no event has been sent for ``ping`` seconds a
    ``: ping`` comment keeps proxies from closing the connection (``ping=None`` disables it).
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
        if isinstance(chunk, bytes | bytearray | memoryview):
            return bytes(chunk)
        if isinstance(chunk, Mapping):
            unknown = set(chunk) - _SSE_KEYS
            if unknown:
                raise ValueError(f"Unknown SSE field(s): {sorted(unknown)}")
            fields = dict(chunk)
            raw = _text(fields.pop("data", None))
            return ServerSentEvent(raw_data=raw, **fields).encode(self.sep)
        return ServerSentEvent(raw_data=_text(chunk)).encode(self.sep)

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

        async with collapse_excgroups(), anyio.create_task_group() as group:
            group.start_soon(pinger)
            try:
                await super().stream_body(locked_send)
            finally:
                group.cancel_scope.cancel()
