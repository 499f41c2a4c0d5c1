"""Generator endpoints (FastAPI 0.134+): an endpoint that ``yield``s streams its items.

``async def items() -> AsyncIterable[Item]: yield ...`` (or a plain generator, run in the
thread pool) answers ``application/jsonl``, one JSON value per line, each item validated and
serialized as the annotation's item type (as a response model is); with
``response_class=EventSourceResponse`` each item is a Server-Sent Event (``data:`` its JSON;
a ``ServerSentEvent`` item is sent as it is). Found once, at registration.
"""

from __future__ import annotations

import collections.abc
import inspect
import typing
from collections.abc import AsyncIterator, Callable
from typing import Any

from fasterapi_core.background import BackgroundTasks
from fasterapi_core.concurrency import iterate_in_threadpool
from fasterapi_core.responses import Response
from fasterapi_core.streaming import EventSourceResponse, ServerSentEvent, StreamingResponse

__all__ = ["StreamPlan", "stream_plan"]

_STREAMS = {
    collections.abc.AsyncIterable,
    collections.abc.AsyncIterator,
    collections.abc.AsyncGenerator,
    collections.abc.Iterable,
    collections.abc.Iterator,
    collections.abc.Generator,
}


def stream_item_type(endpoint: Callable[..., Any]) -> Any:
    """The item type of a generator endpoint's return annotation (``Any`` when unsaid)."""
    try:
        annotation = typing.get_type_hints(endpoint, include_extras=True).get("return")
    except Exception:
        return Any
    if typing.get_origin(annotation) in _STREAMS and typing.get_args(annotation):
        return typing.get_args(annotation)[0]
    return Any


class StreamPlan:
    """How a generator endpoint's items are encoded and sent."""

    __slots__ = ("encode_item", "events", "item_type", "status_code")

    def __init__(
        self, item_type: Any, encode_item: Callable[[Any], bytes], events: bool, status_code: int
    ) -> None:
        self.item_type = item_type
        """The annotation's item type (``Any`` when the endpoint does not say)."""
        self.encode_item = encode_item
        self.events = events
        """Server-Sent Events (``response_class=EventSourceResponse``), else JSON Lines."""
        self.status_code = status_code

    async def _items(self, result: Any) -> AsyncIterator[Any]:
        if hasattr(result, "__aiter__"):
            async for item in result:
                yield item
        else:  # a plain generator: each step in the thread pool
            async for item in iterate_in_threadpool(result):
                yield item

    async def _lines(self, result: Any) -> AsyncIterator[bytes]:
        async for item in self._items(result):
            yield self.encode_item(item) + b"\n"

    async def _events(self, result: Any) -> AsyncIterator[Any]:
        async for item in self._items(result):
            if isinstance(item, ServerSentEvent):
                yield item
            else:
                yield b"data: " + self.encode_item(item) + b"\n\n"

    def build(self, result: Any, background: BackgroundTasks | None) -> Response:
        """The streaming response for the generator the endpoint returned (``background``
        runs after its last item)."""
        if self.events:
            return EventSourceResponse(
                self._events(result), status_code=self.status_code, background=background
            )
        return StreamingResponse(
            self._lines(result),
            status_code=self.status_code,
            media_type="application/jsonl",
            background=background,
        )


def stream_plan(
    endpoint: Callable[..., Any],
    response_class: type[Response],
    status_code: int,
    encoder_for: Callable[[Any], Callable[[Any], bytes]],
) -> StreamPlan | None:
    """The plan of a generator endpoint (``encoder_for(item_type)`` validates and encodes
    one item), None for any other endpoint."""
    if not (inspect.isasyncgenfunction(endpoint) or inspect.isgeneratorfunction(endpoint)):
        return None
    item_type = stream_item_type(endpoint)
    if item_type is ServerSentEvent:  # events made by the endpoint: nothing to validate
        item_type = Any
    events = isinstance(response_class, type) and issubclass(response_class, EventSourceResponse)
    return StreamPlan(item_type, encoder_for(item_type), events, status_code)
