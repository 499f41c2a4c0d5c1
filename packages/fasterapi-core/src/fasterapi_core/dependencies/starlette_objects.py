"""Starlette's ``Request``, ``WebSocket``, ``HTTPConnection``, ``Response`` and
``BackgroundTasks`` asked for by annotation, as FastAPI gives them.

A parameter annotated with one of these classes (or a subclass) becomes, at registration, a
dependency on one of the factories below: they build the real Starlette object over the
request FasterAPI already has (same scope, the body replayed, ``scope["state"]`` shared; the
sub-response's status and headers; background tasks run with FasterAPI's). Starlette is never
imported here unless such a class was met, so routes without them pay nothing.
"""

from __future__ import annotations

import functools
import importlib
import typing
from typing import Any

from fasterapi_core.background import BackgroundTasks
from fasterapi_core.connection import HTTPConnection
from fasterapi_core.limits import Limits
from fasterapi_core.params import Depends
from fasterapi_core.request_body import body_headers
from fasterapi_core.requests import Request
from fasterapi_core.responses import Response
from fasterapi_core.types import Message, Receive

__all__ = [
    "starlette_connection",
    "starlette_dependency",
    "starlette_sub_response",
]

_CONNECTIONS = {
    ("starlette.requests", "HTTPConnection"),
    ("starlette.requests", "Request"),
    ("starlette.websockets", "WebSocket"),
}
_RESPONSE = ("starlette.responses", "Response")
_BACKGROUND = ("starlette.background", "BackgroundTasks")


def _starlette(module: str) -> Any:
    """``starlette.<module>``, imported now (only once such a class was met)."""
    return importlib.import_module(f"starlette.{module}")


def _kinds(cls: type) -> set[tuple[str, str]]:
    return {(getattr(base, "__module__", ""), base.__name__) for base in cls.__mro__}


def starlette_dependency(annotation: Any) -> Depends | None:
    """The dependency that gives a parameter annotated with Starlette's class ``annotation``
    its object, or None when ``annotation`` is not one of them (the common case: decided by
    the class's MRO, at registration). ``Request[State]`` counts as ``Request``."""
    annotation = typing.get_origin(annotation) or annotation
    if not isinstance(annotation, type) or not any(
        getattr(base, "__module__", "").startswith("starlette.") for base in annotation.__mro__
    ):
        return None
    kinds = _kinds(annotation)
    if kinds & _CONNECTIONS:
        return Depends(starlette_connection)
    if _RESPONSE in kinds:
        return Depends(starlette_sub_response)
    if _BACKGROUND in kinds:
        return Depends(_background_factory(annotation))
    return None


def _replaying_receive(request: Request) -> Receive:
    """``receive`` for a Starlette ``Request`` over ``request``: the body FasterAPI has read
    (once), then the client's messages, within the route's ``max_body_size`` (413 past it, or
    at once for a ``Content-Length`` over it, as FastAPI's request)."""
    replayed = False
    limits: Limits | None = None
    received = 0

    async def receive() -> Message:
        nonlocal replayed, limits, received
        if not replayed:
            body: bytes | None = getattr(request, "_body", None)
            if body is not None:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
        if limits is None:
            limits, _ = body_headers(request.scope)
        message = await request.receive()
        if message.get("type") == "http.request":
            received += len(message.get("body", b""))
            if limits.max_body_size is not None and received > limits.max_body_size:
                raise limits.body_too_large()
        return message

    return receive


async def starlette_connection(connection: HTTPConnection) -> Any:
    """Starlette's ``Request`` (``WebSocket`` in a websocket route) over ``connection``, as
    FastAPI passes it to a parameter annotated ``Request``, ``HTTPConnection`` or
    ``WebSocket``."""
    scope = connection.scope
    if scope["type"] == "websocket":
        # The raw channels of FasterAPI's WebSocket: both objects see every message.
        ws_receive = getattr(connection, "receive", None)
        ws_send = getattr(connection, "send", None)
        return _starlette("websockets").WebSocket(scope, ws_receive, ws_send)
    starlette_request = _starlette("requests").Request
    if not isinstance(connection, Request):  # not reached by routes (they give a Request)
        return starlette_request(scope, connection._receive)
    request = starlette_request(scope, _replaying_receive(connection), connection._send)
    body: bytes | None = getattr(connection, "_body", None)
    form = connection._form
    if body is not None:  # read already: body(), json(), form() and stream() give it
        request._body = body
    elif form is not None:  # the form was parsed (streamed, not kept): give it as parsed
        request._form = _starlette_form(form)
        request._stream_consumed = True
    elif connection._consumed:
        request._stream_consumed = True  # streamed without being kept: it is gone
    return request


def _starlette_form(form: Any) -> Any:
    """Starlette's ``FormData`` of FasterAPI's parsed ``form`` (the same files)."""
    from fasterapi_core._upload import UploadFile as OurUpload

    structures = _starlette("datastructures")
    items: list[tuple[str, Any]] = []
    for key, value in form.multi_items():
        if isinstance(value, OurUpload):
            value = structures.UploadFile(
                value.file,
                size=value.size,
                filename=value.filename,
                headers=structures.Headers(raw=list(value.headers.raw)),
            )
        items.append((key, value))
    return structures.FormData(items)


def _target_status(self: Any) -> Any:
    return self._target.status_code


def _set_target_status(self: Any, value: Any) -> None:
    self._target.status_code = value


def _share_target(self: Any, target: Response) -> None:  # no super(): nothing is rendered
    self._target = target
    self.raw_headers = target.raw_headers  # the same list: edits are shared
    self.background = None
    self.body = b""


@functools.cache
def _sub_response_class() -> Any:
    """A Starlette ``Response`` whose status and headers are FasterAPI's sub-response's."""
    doc = (
        "What a parameter annotated with Starlette's ``Response`` gets: its status code, "
        "headers and cookies go into the route's response (FastAPI's sub-response)."
    )
    namespace = {
        "__init__": _share_target,
        "status_code": property(_target_status, _set_target_status),
        "__doc__": doc,
        "__module__": __name__,
    }
    return type("SubResponse", (_starlette("responses").Response,), namespace)


async def starlette_sub_response(response: Response) -> Any:
    """Starlette's ``Response`` over the route's sub-response ``response``."""
    return _sub_response_class()(response)


@functools.cache
def _background_factory(cls: type) -> Any:
    """The factory of ``cls`` (Starlette's ``BackgroundTasks`` or a subclass, such as
    FastAPI's), its tasks run after the response with the route's own."""

    async def starlette_background_tasks(tasks: BackgroundTasks) -> Any:
        own = cls()
        tasks.add_task(own)  # an async callable: runs its tasks in order
        return own

    starlette_background_tasks.__qualname__ = f"starlette_background_tasks[{cls.__qualname__}]"
    return starlette_background_tasks
