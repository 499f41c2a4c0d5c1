"""``Request`` (``HTTPConnection`` lives in ``connection`` and is re-exported here).

Everything is parsed lazily on first access and cached; constructing a ``Request`` only stores
the scope and the ASGI channels.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Coroutine, Generator
from typing import Any

import anyio
import msgspec

from fasterapi_core.connection import HTTPConnection, empty_receive
from fasterapi_core.core_settings import core_settings_of
from fasterapi_core.datastructures import FormData
from fasterapi_core.exceptions import BaseHTTPException
from fasterapi_core.limits import (
    LIMITS_SCOPE_KEY,
    BodyTooLarge,
    Limits,
)
from fasterapi_core.request_body import body_headers, check_json_body_depth, whole_body
from fasterapi_core.types import Message, Receive, Scope, Send

__all__ = [
    "ClientDisconnect",
    "FormCall",
    "HTTPConnection",
    "Request",
    "body_headers",
    "empty_receive",
    "empty_send",
    "rest_of_body",
    "whole_body",
]


async def empty_send(message: Message) -> None:
    """A send channel that discards every message."""


class ClientDisconnect(Exception):
    """The client went away before the whole request body was received."""


async def rest_of_body(scope: Scope, receive: Receive, first: Message, limits: Limits) -> bytes:
    """The whole body when ``first`` was not all of it (see :func:`body_headers`).

    As FastAPI's route reading a body: an HTTP exception (a 413 over the limit) is raised as
    it is, and so is a group of body-limit errors only (their first); any other error (a
    group of others) becomes 400 ``There was an error parsing the body``."""
    request = Request(scope, receive)
    request._limits = limits
    request._absorb(first)
    if request._disconnected and not request._complete:
        raise ClientDisconnect()
    try:
        return await request.body()
    except (BaseHTTPException, ClientDisconnect):
        raise
    except Exception as error:
        raise _body_read_error(error) from error


def _body_read_error(error: Exception) -> Exception:
    """What a failed body read raises: the body-limit error when ``error`` is a group of
    those only, else FastAPI's 400."""
    if isinstance(error, ExceptionGroup):
        limit_errors, others = error.split(BodyTooLarge)
        if others is None and limit_errors is not None:
            leaf: BaseException = limit_errors
            while isinstance(leaf, BaseExceptionGroup):
                leaf = leaf.exceptions[0]
            if isinstance(leaf, Exception):
                return leaf
    return BaseHTTPException(400, "There was an error parsing the body")


class FormCall:
    """What ``Request.form()`` returns: awaitable (the form), and an async context manager
    closing the form's files on exit, as Starlette's ``request.form()`` is."""

    __slots__ = ("_coroutine", "_form")

    def __init__(self, coroutine: Coroutine[Any, Any, FormData]) -> None:
        self._coroutine = coroutine
        self._form: FormData | None = None

    def __await__(self) -> Generator[Any, None, FormData]:
        return self._coroutine.__await__()

    async def __aenter__(self) -> FormData:
        self._form = await self._coroutine
        return self._form

    async def __aexit__(self, *exc_info: object) -> None:
        if self._form is not None:
            await self._form.close()


class Request(HTTPConnection):
    """An HTTP request. The body is read lazily through ``body``, ``json``, ``form`` or
    ``stream``; see ``stream`` for how ``Faster(stream_request_body=...)`` changes retention."""

    __slots__ = (
        "_body",
        "_buffer",
        "_complete",
        "_consumed",
        "_disconnected",
        "_form",
        "_json",
        "_limits",
        "_received",
        "_send",
    )

    _body: bytes
    _json: Any

    def __init__(
        self, scope: Scope, receive: Receive = empty_receive, send: Send = empty_send
    ) -> None:
        self.scope = scope
        self._receive = receive
        self._send = send
        # _body stays unset until the body is read: subclasses written for Starlette test
        # hasattr(self, "_body") in an overridden body() (FastAPI's GzipRequest recipe).
        self._buffer: list[bytes] = []  # received body chunks not yet handed out / retained
        self._complete = False  # the last body message has been received
        self._consumed = False  # streamed without retention: the body is gone
        self._disconnected = False
        self._form: FormData | None = None
        self._limits: Limits | None = None  # looked up when the body is first read
        self._received = 0

    @property
    def method(self) -> str:
        """The HTTP method, upper-case (``"GET"``, ``"POST"``...)."""
        method: str = self.scope["method"]
        return method

    @property
    def receive(self) -> Receive:
        """The ASGI ``receive`` channel of this request."""
        return self._receive

    def _absorb(self, message: Message) -> None:
        """Record one ASGI message: buffer body bytes, note completion or disconnection."""
        kind = message.get("type")
        if kind == "http.request":
            if self._complete:
                return
            chunk = message.get("body", b"")
            if chunk:
                self._received += len(chunk)
                limits = self._limits
                if limits is not None:
                    limit = limits.max_body_size
                    if limit is not None and self._received > limit:
                        self._complete = True
                        self._buffer = []
                        raise limits.body_too_large()
                self._buffer.append(chunk)
            if not message.get("more_body", False):
                self._complete = True
        elif kind == "http.disconnect":
            self._disconnected = True

    def _start_body(self) -> Limits:
        """Look the limits up once; refuse up front a ``Content-Length`` over the limit."""
        try:
            limits, _ = body_headers(self.scope)
        except BaseHTTPException:
            self._complete = True
            raise
        self._limits = limits
        limit = limits.max_body_size
        if limit is not None and self._received > limit:  # absorbed before the limits were known
            self._complete = True
            self._buffer = []
            raise limits.body_too_large()
        return limits

    async def _pull(self) -> None:
        self._absorb(await self._receive())
        if self._disconnected and not self._complete:
            raise ClientDisconnect()

    async def _iter_body(self, retain: bool) -> AsyncIterator[bytes]:
        body = getattr(self, "_body", None)
        if body is not None:
            if body:
                yield body
            return
        if self._consumed:
            raise RuntimeError("Stream consumed: the request body was already streamed")
        limits = self._limits if self._limits is not None else self._start_body()
        buffer = self._buffer
        if retain:
            index = 0
            while True:
                if index < len(buffer):
                    index += 1
                    yield buffer[index - 1]
                elif self._complete:
                    break
                else:
                    await self._pull()
            if getattr(self, "_body", None) is None:
                self._finish_body(buffer[0] if len(buffer) == 1 else b"".join(buffer), limits)
        else:
            self._consumed = True
            while True:
                if buffer:
                    yield buffer.pop(0)
                elif self._complete:
                    break
                else:
                    await self._pull()

    def _finish_body(self, body: bytes, limits: Limits) -> None:
        """Keep the complete body (after the JSON depth check, when one is configured)."""
        if limits.max_json_depth is not None:
            check_json_body_depth(self.scope, body, limits.max_json_depth)
        self._body = body
        self._buffer = []

    def stream(self) -> AsyncIterator[bytes]:
        """Yield the body in chunks as they arrive.

        By default the chunks are also retained, so ``body``/``json``/``form`` still work
        afterwards. When the app sets ``stream_request_body=True`` they are not retained and a
        later ``body()`` raises ``RuntimeError``. After ``body()``, yields the cached body.
        Raises ``ClientDisconnect`` if the client leaves mid-body.
        """
        retain = not core_settings_of(self.scope.get("app")).stream_request_body
        return self._iter_body(retain)

    async def body(self) -> bytes:
        """The whole body (read once, then cached)."""
        body: bytes | None = getattr(self, "_body", None)
        if body is not None:
            return body
        if not self._buffer and not self._complete and not self._consumed:
            # Fast path: most bodies arrive in a single ``http.request`` message.
            limits = self._limits if self._limits is not None else self._start_body()
            message = await self._receive()
            chunk = whole_body(message, limits, self.scope)
            if chunk is not None:
                self._received += len(chunk)
                self._complete = True
                self._body = chunk
                return chunk
            self._absorb(message)
            if self._disconnected and not self._complete:
                raise ClientDisconnect()
        async for _ in self._iter_body(True):
            pass
        return self._body

    async def json(self) -> Any:
        """The body decoded as JSON; ``BaseHTTPException(400)`` when it is not valid JSON."""
        try:
            return self._json
        except AttributeError:
            pass
        body = await self.body()
        try:
            value = msgspec.json.decode(body)
        except (msgspec.DecodeError, RecursionError, UnicodeDecodeError) as exc:
            raise BaseHTTPException(400, detail=f"Invalid JSON body: {exc}") from None
        self._json = value
        return value

    def form(
        self,
        *,
        max_files: int | None = None,
        max_fields: int | None = None,
        max_part_size: int | None = None,
    ) -> FormCall:
        """Parse a urlencoded or multipart body (cached): ``await request.form()``, or
        ``async with request.form() as form:`` to close its files on leaving (Starlette's
        two forms). Limits default to the route's ``form_limits``, else the app's (a
        ``FormLimits`` or a dict of its fields), else ``limits.form`` (``Faster(limits=...)``),
        else 1000 files, 1000 fields and 1 MB per non-file part. The whole body is also
        bounded by ``limits.max_body_size`` (413).

        The body is streamed into the parser without being retained.
        """
        return FormCall(self._read_form(max_files, max_fields, max_part_size))

    async def _read_form(
        self, max_files: int | None, max_fields: int | None, max_part_size: int | None
    ) -> FormData:
        """What ``form()`` awaits."""
        if self._form is None:
            from fasterapi_core.formparsers import parse_form

            route_limits = self.scope.get(LIMITS_SCOPE_KEY)
            if not isinstance(route_limits, Limits):
                route_limits = core_settings_of(self.scope.get("app")).limits
            limits = route_limits.form
            overrides = {
                name: value
                for name, value in (
                    ("max_files", max_files),
                    ("max_fields", max_fields),
                    ("max_part_size", max_part_size),
                )
                if value is not None
            }
            if overrides:
                limits = dataclasses.replace(limits, **overrides)
            self._form = await parse_form(self.headers, self._iter_body(False), limits)
        return self._form

    async def close(self) -> None:
        """Release resources held by the request (uploaded files of a parsed form)."""
        if self._form is not None:
            await self._form.close()

    async def is_disconnected(self) -> bool:
        """True once the client has gone away (checks without waiting)."""
        if not self._disconnected:
            message: Message = {}
            with anyio.CancelScope() as scope:
                scope.cancel()
                message = await self._receive()
            self._absorb(message)
        return self._disconnected
