"""Exceptions raised by FasterAPI and by user code to produce error responses."""

from __future__ import annotations

import http
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

__all__ = [
    "BaseHTTPException",
    "DependencyScopeError",
    "EndpointContext",
    "FastAPIDeprecationWarning",
    "FastAPIError",
    "FasterAPIDeprecationWarning",
    "FasterAPIError",
    "HTTPException",
    "PydanticV1NotSupportedError",
    "RequestValidationError",
    "ResponseValidationError",
    "ValidationException",
    "WebSocketDisconnect",
    "WebSocketException",
]


class BaseHTTPException(Exception):
    """An HTTP error raised by the framework itself (routing 404/405, malformed forms...).

    Mirrors FastAPI's split between Starlette's ``HTTPException`` (raised by the framework) and
    ``fastapi.HTTPException`` (raised by your code, a subclass): a handler registered for
    :class:`HTTPException` sees only the errors your code raises, a handler registered for
    ``BaseHTTPException`` (or for a status code) sees both.
    """

    def __init__(
        self,
        status_code: int,
        detail: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        if detail is None:
            try:
                detail = http.HTTPStatus(status_code).phrase
            except ValueError:
                detail = "Error"
        self.status_code = status_code
        self.detail = detail
        self.headers = dict(headers) if headers is not None else None
        super().__init__(status_code, detail)

    def __str__(self) -> str:
        return f"{self.status_code}: {self.detail}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code!r}, detail={self.detail!r})"


class HTTPException(BaseHTTPException):
    """Raise to answer with ``status_code`` and a JSON body ``{"detail": detail}``.

    ``detail`` defaults to the standard reason phrase; ``headers`` are added to the response.
    """


class EndpointContext(TypedDict, total=False):
    """Where a validation error happened (FastAPI's ``endpoint_ctx``), shown by ``str(exc)``."""

    function: str
    path: str
    file: str
    line: int


def _with_tuple_loc(error: Any) -> Any:
    """``error`` with its ``loc`` as a tuple, as pydantic (and FastAPI's ``errors()``) give it."""
    if isinstance(error, dict):
        loc = error.get("loc")
        if isinstance(loc, list):
            return {**error, "loc": tuple(loc)}
    return error


class ValidationException(Exception):
    """Base of the validation errors: carries FastAPI-shaped error dicts, their ``loc`` a
    tuple (the JSON answer shows it as a list)."""

    def __init__(
        self, errors: Sequence[Any], *, endpoint_ctx: EndpointContext | None = None
    ) -> None:
        self._errors = [_with_tuple_loc(error) for error in errors]
        self.endpoint_ctx = endpoint_ctx
        ctx = endpoint_ctx or {}
        self.endpoint_function = ctx.get("function")
        self.endpoint_path = ctx.get("path")
        self.endpoint_file = ctx.get("file")
        self.endpoint_line = ctx.get("line")
        super().__init__(self._errors)

    def errors(self) -> list[Any]:
        """The list of ``{"type", "loc", "msg", "input", ...}`` error dicts."""
        return self._errors

    def __str__(self) -> str:
        count = len(self._errors)
        text = f"{count} validation error{'s' if count != 1 else ''}:\n"
        text += "".join(f"  {error}\n" for error in self._errors)
        if self.endpoint_file and self.endpoint_line and self.endpoint_function:
            text += (
                f'\n  File "{self.endpoint_file}", line {self.endpoint_line}, '
                f"in {self.endpoint_function}"
            )
            if self.endpoint_path:
                text += f"\n    {self.endpoint_path}"
        elif self.endpoint_path:
            text += f"\n  Endpoint: {self.endpoint_path}"
        return text.rstrip()


class RequestValidationError(ValidationException):
    """A request did not match the route's declared parameters; answered as 422 by default."""

    def __init__(
        self,
        errors: Sequence[Any],
        *,
        body: Any = None,
        endpoint_ctx: EndpointContext | None = None,
    ) -> None:
        super().__init__(errors, endpoint_ctx=endpoint_ctx)
        self.body = body


class ResponseValidationError(ValidationException):
    """A handler returned data that does not match its ``response_model``; a server error."""

    def __init__(
        self,
        errors: Sequence[Any],
        *,
        body: Any = None,
        endpoint_ctx: EndpointContext | None = None,
    ) -> None:
        super().__init__(errors, endpoint_ctx=endpoint_ctx)
        self.body = body


class WebSocketException(Exception):
    """Raise inside a WebSocket endpoint to close the connection with ``code`` and ``reason``."""

    def __init__(self, code: int, reason: str | None = None) -> None:
        self.code = code
        self.reason = reason or ""
        super().__init__(code, self.reason)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, reason={self.reason!r})"


class FasterAPIError(RuntimeError):
    """The application was declared in a way FasterAPI cannot serve (FastAPI's
    ``FastAPIError``); raised at registration, not per request."""


FastAPIError = FasterAPIError
"""FastAPI's name for :class:`FasterAPIError` (the same class)."""


class FasterAPIDeprecationWarning(UserWarning):
    """A deprecated FastAPI feature was used (FastAPI's ``FastAPIDeprecationWarning``): a
    ``UserWarning``, so that Python shows it by default, unlike a ``DeprecationWarning``."""


FastAPIDeprecationWarning = FasterAPIDeprecationWarning
"""FastAPI's name for :class:`FasterAPIDeprecationWarning` (the same class)."""


class DependencyScopeError(FasterAPIError):
    """A dependency with ``yield`` that is torn down after the response (scope ``"request"``)
    depends on one torn down before it (``Depends(..., scope="function")``)."""


class PydanticV1NotSupportedError(FasterAPIError):
    """A ``pydantic.v1`` model was given as a parameter, body, response model or value to
    encode: FasterAPI, like FastAPI 0.165, serves pydantic v2 models only."""


class WebSocketDisconnect(Exception):
    """Raised by ``WebSocket.receive_*`` when the client has gone away."""

    def __init__(self, code: int = 1000, reason: str | None = None) -> None:
        self.code = code
        self.reason = reason or ""
        super().__init__(code, self.reason)
