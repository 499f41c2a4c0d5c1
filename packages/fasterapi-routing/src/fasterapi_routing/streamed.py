"""Generator endpoints (FastAPI 0.134+): an endpoint that ``yield``s streams its items.

Decided once, at registration, by the route's ``response_class`` as FastAPI decides it:

- none given: JSON Lines (``application/jsonl``), one JSON value per line, each item validated
  and serialised as the annotation's item type (as a response model is); an item of no
  declared type is written as FastAPI writes it (``jsonable_encoder`` then ``json.dumps``);
- an ``EventSourceResponse``: each item is a Server-Sent Event (``data:`` its JSON; a
  ``ServerSentEvent`` item is sent as it is);
- any other class (``StreamingResponse``, a subclass with its own ``media_type``...): the
  chunks the endpoint yields (``bytes``/``str``) are the body, sent as they are, with that
  class's media type.
"""

from __future__ import annotations

import collections.abc
import inspect
import typing
from collections.abc import AsyncIterator, Callable
from typing import Any, Literal

import anyio
import anyio.lowlevel

from fasterapi_core.background import BackgroundTasks
from fasterapi_core.concurrency import iterate_in_threadpool
from fasterapi_core.encoding import jsonable_dumps
from fasterapi_core.responses import Response
from fasterapi_core.sse import EventSourceResponse, ServerSentEvent
from fasterapi_core.streaming import StreamingResponse
from fasterapi_routing.responding import DefaultPlaceholder

__all__ = ["StreamPlan", "stream_plan"]

_STREAMS = {
    collections.abc.AsyncIterable,
    collections.abc.AsyncIterator,
    collections.abc.AsyncGenerator,
    collections.abc.Iterable,
    collections.abc.Iterator,
    collections.abc.Generator,
}

StreamKind = Literal["jsonl", "events", "raw"]


_UNDECLARED: Any = object()


def stream_item_type(endpoint: Callable[..., Any]) -> Any:
    """The item type of a generator endpoint's return annotation (``Any`` for a bare
    ``AsyncIterable``), ``_UNDECLARED`` when the annotation is not a stream type."""
    try:
        annotation = typing.get_type_hints(endpoint, include_extras=True).get("return")
    except Exception:
        return _UNDECLARED
    if typing.get_origin(annotation) in _STREAMS:
        args = typing.get_args(annotation)
        return args[0] if args else Any
    return _UNDECLARED


def _untyped(item: Any) -> bytes:
    return jsonable_dumps(item).encode("utf-8")


async def _checkpointed(items: Any) -> AsyncIterator[Any]:
    """An async generator's items, with a checkpoint after each (so that a client that went
    away is noticed even when the generator never waits), closed when the stream stops."""
    try:
        async for item in items:
            yield item
            await anyio.lowlevel.checkpoint()
    finally:
        aclose = getattr(items, "aclose", None)
        if aclose is not None:
            with anyio.CancelScope(shield=True):
                await aclose()


class StreamPlan:
    """How a generator endpoint's items are encoded and sent."""

    __slots__ = ("encode_item", "item_type", "kind", "response_class", "status_code", "typed")

    def __init__(
        self,
        item_type: Any,
        encode_item: Callable[[Any], bytes],
        kind: StreamKind,
        status_code: int,
        response_class: type[Response] = StreamingResponse,
        typed: bool = True,
    ) -> None:
        self.item_type = item_type
        """The annotation's item type (``Any`` when the endpoint does not say, or for
        ``raw`` streams, whose chunks are not validated)."""
        self.typed = typed
        """The return annotation names the item type (``AsyncIterable`` alone: ``Any``):
        items are serialised as that type and documented (``itemSchema``)."""
        self.encode_item = encode_item
        self.kind: StreamKind = kind
        """``jsonl``, ``events`` (Server-Sent Events) or ``raw`` (chunks sent as they are)."""
        self.status_code = status_code
        self.response_class = response_class

    @property
    def events(self) -> bool:
        """Server-Sent Events (``response_class=EventSourceResponse``)."""
        return self.kind == "events"

    @property
    def raw(self) -> bool:
        """The chunks are the body (another ``response_class``): documented as a plain
        response of that class, not as a stream of items."""
        return self.kind == "raw"

    def _items(self, result: Any) -> AsyncIterator[Any]:
        if hasattr(result, "__aiter__"):
            return _checkpointed(result)
        return iterate_in_threadpool(result)  # a plain generator: each step in the thread pool

    async def _lines(self, result: Any) -> AsyncIterator[bytes]:
        encode = self.encode_item
        async for item in self._items(result):
            yield encode(item) + b"\n"

    async def _events(self, result: Any) -> AsyncIterator[Any]:
        encode = self.encode_item
        async for item in self._items(result):
            if isinstance(item, ServerSentEvent):
                yield item
            else:
                yield b"data: " + encode(item) + b"\n\n"

    def build(
        self,
        result: Any,
        background: BackgroundTasks | None,
        sub_response: Response | None = None,
    ) -> Response:
        """The streaming response for the generator the endpoint returned (``background``
        runs after its last item). A ``Response`` parameter's status code and headers, set
        by a dependency before the stream starts, apply as in FastAPI (headers appended)."""
        status = self.status_code
        if sub_response is not None and sub_response.status_code:
            status = sub_response.status_code
        response: Response
        if self.kind == "events":
            response = EventSourceResponse(
                self._events(result), status_code=status, background=background
            )
        elif self.kind == "raw":
            content = _checkpointed(result) if hasattr(result, "__aiter__") else result
            response_class: Any = self.response_class
            response = response_class(content=content, status_code=status, background=background)
        else:
            response = StreamingResponse(
                self._lines(result),
                status_code=status,
                media_type="application/jsonl",
                background=background,
            )
        if sub_response is not None and sub_response.raw_headers:
            response.raw_headers.extend(sub_response.raw_headers)
        return response


def stream_plan(
    endpoint: Callable[..., Any],
    response_class: type[Response] | DefaultPlaceholder,
    status_code: int,
    encoder_for: Callable[[Any], Callable[[Any], bytes]],
) -> StreamPlan | None:
    """The plan of a generator endpoint (``response_class`` as the route was given it, a
    :class:`DefaultPlaceholder` when it was not; ``encoder_for(item_type)`` validates and
    encodes one item), None for any other endpoint."""
    if not (inspect.isasyncgenfunction(endpoint) or inspect.isgeneratorfunction(endpoint)):
        return None
    if isinstance(response_class, DefaultPlaceholder):
        # An application's or router's default_response_class counts when it is a streaming
        # class (FastAPI: any explicit default; a JSON one would fail on every item).
        default = response_class.value
        streaming = isinstance(default, type) and issubclass(default, StreamingResponse)
        response_class = default if streaming else DefaultPlaceholder(StreamingResponse)
    if isinstance(response_class, DefaultPlaceholder):
        kind: StreamKind = "jsonl"
        response_class = StreamingResponse
    elif isinstance(response_class, type) and issubclass(response_class, EventSourceResponse):
        kind = "events"
    else:
        return StreamPlan(Any, _untyped, "raw", status_code, response_class, typed=False)
    item_type = stream_item_type(endpoint)
    if item_type is _UNDECLARED or item_type is ServerSentEvent:
        # no item type (a ServerSentEvent is made by the endpoint): written as FastAPI
        # writes untyped data
        return StreamPlan(Any, _untyped, kind, status_code, response_class, typed=False)
    return StreamPlan(item_type, encoder_for(item_type), kind, status_code, response_class)
