"""The telemetry of one request or connection: its span, route template and collected
exceptions, kept in the scope and in the OpenTelemetry context while it is handled; the
operation spans and validation log records that routes report into it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from time import time_ns
from typing import Any

from opentelemetry import context as otel_context  # type: ignore[import-not-found,unused-ignore]
from opentelemetry._logs import Logger, SeverityNumber  # type: ignore[import-not-found,unused-ignore]
from opentelemetry.context import Context  # type: ignore[import-not-found,unused-ignore]
from opentelemetry.trace import Span, StatusCode, Tracer  # type: ignore[import-not-found,unused-ignore]

from fasterapi_core.exceptions import (
    BaseHTTPException,
    RequestValidationError,
    WebSocketDisconnect,
    WebSocketException,
)
from fasterapi_routing.telemetry.config import SCOPE_KEY
from fasterapi_routing.telemetry.data import TelemetryData

__all__ = [
    "REQUEST_TELEMETRY_KEY",
    "SCOPE_KEY",
    "RequestTelemetry",
    "current_request_telemetry",
    "exception_type",
    "normal_websocket_disconnect",
    "operation",
    "validation_failed",
]

REQUEST_TELEMETRY_KEY = otel_context.create_key("fastapi.request")


@dataclass(kw_only=True)
class RequestTelemetry:
    """What is recorded about one request or connection while it is handled."""

    span: Span | None
    span_method: str
    tracer: Tracer | None = None
    logger: Logger | None = None
    route: str | None = None
    status_code: int | None = None
    data: TelemetryData | None = field(default_factory=TelemetryData)
    mount_prefix: str = ""
    exceptions: list[BaseException] = field(default_factory=list, repr=False)

    def route_selected(self, template: str) -> None:
        """The route template is known: name the span after it."""
        self.route = template
        if self.span is not None:
            self.span.set_attribute("http.route", template)
            self.span.update_name(f"{self.span_method} {template}")


def current_request_telemetry(context: Context | None = None) -> RequestTelemetry | None:
    """The telemetry of the request handled in ``context`` (default: the current one)."""
    value = otel_context.get_value(REQUEST_TELEMETRY_KEY, context)
    return value if isinstance(value, RequestTelemetry) else None


def exception_type(exc: BaseException) -> str:
    """``error.type`` of an exception: its qualified name (no module for builtins); FasterAPI's
    exceptions by their FastAPI/Starlette names (``fastapi.exceptions.HTTPException``), as
    FastAPI reports them."""
    cls = type(exc)
    if cls.__module__ == "builtins":
        return cls.__qualname__
    if cls.__module__ == "fasterapi_core.exceptions":
        return _FASTAPI_NAMES.get(cls.__qualname__, f"fastapi.exceptions.{cls.__qualname__}")
    return f"{cls.__module__}.{cls.__qualname__}"


_FASTAPI_NAMES = {  # fasterapi_core.exceptions' classes not named as FastAPI's
    "BaseHTTPException": "starlette.exceptions.HTTPException",
    "FasterAPIError": "fastapi.exceptions.FastAPIError",
    "WebSocketDisconnect": "starlette.websockets.WebSocketDisconnect",
}


def normal_websocket_disconnect(exc: BaseException) -> bool:
    """A client closing normally (1000, 1001) is not an error."""
    return isinstance(exc, WebSocketDisconnect) and getattr(exc, "code", None) in (1000, 1001)


def validation_failed(exc: Any, *, websocket: bool = False) -> None:
    """Keep the input and errors of a failed validation, and log it (a WARN record)."""
    telemetry = current_request_telemetry()
    if telemetry is None:
        return
    errors = exc.errors()
    if telemetry.data is not None:
        if not websocket:
            telemetry.data.body = getattr(exc, "body", None)
        telemetry.data.errors = errors
    if telemetry.logger is not None:
        attributes: dict[str, Any] = {"fastapi.validation.error_count": len(errors)}
        if telemetry.route is not None:
            attributes["http.route"] = telemetry.route
        telemetry.logger.emit(
            event_name="fastapi.validation.failed",
            timestamp=time_ns(),
            severity_number=SeverityNumber.WARN,
            severity_text="WARN",
            body="Request validation failed",
            attributes=attributes,
        )


_NO_OPERATION: AbstractContextManager[None] = nullcontext()
_EXPECTED = (BaseHTTPException, RequestValidationError, WebSocketException)
_EXPECTED_NAMES = frozenset({"RequestValidationError", "WebSocketRequestValidationError"})


def operation(
    *, name: str, function: Callable[..., Any] | None = None
) -> AbstractContextManager[None]:
    """A ``fastapi.<name>`` span (dependencies, endpoint, serialization, background_task)
    under the current request's span; nothing when operation spans are off."""
    telemetry = current_request_telemetry()
    if telemetry is None or telemetry.tracer is None:
        return _NO_OPERATION
    return _traced(telemetry.tracer, name, function)


@contextmanager
def _traced(tracer: Tracer, name: str, function: Callable[..., Any] | None) -> Iterator[None]:
    attributes = {}
    if function is not None:
        module = getattr(function, "__module__", type(function).__module__)
        qualname = getattr(function, "__qualname__", type(function).__qualname__)
        attributes["code.function.name"] = f"{module}.{qualname}"
    with tracer.start_as_current_span(
        f"fastapi.{name}",
        attributes=attributes,
        record_exception=False,
        set_status_on_exception=False,
    ) as span:
        try:
            yield
        except Exception as exc:
            # Handled by the exception layer: HTTP and WebSocket exceptions, request validation
            # (a response's ResponseValidationError is the endpoint's error: its span fails).
            expected = isinstance(exc, _EXPECTED) or type(exc).__name__ in _EXPECTED_NAMES
            if name == "background_task" or not (expected or normal_websocket_disconnect(exc)):
                span.set_attribute("error.type", exception_type(exc))
                span.set_status(StatusCode.ERROR)
            raise
