"""The providers telemetry records through: the configured ones, else the global ones once
something configured them (OpenTelemetry's deferred proxies record nothing until then)."""

from __future__ import annotations

import os
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from typing import Any, TypeVar

from opentelemetry import _logs, metrics, trace  # type: ignore[import-not-found,unused-ignore]
from opentelemetry._logs import _internal as logs_state  # type: ignore[import-not-found,unused-ignore]
from opentelemetry.metrics import _internal as metrics_state  # type: ignore[import-not-found,unused-ignore]

__all__ = [
    "SCHEMA_URL",
    "SCOPE_NAME",
    "SCOPE_VERSION",
    "global_provider",
    "nothing_configured",
    "quiet_layer",
    "unconfigured",
]

SCOPE_NAME = "fastapi"
"""The instrumentation scope of spans, metrics and logs: FastAPI's, so integrations that
recognise FastAPI's native telemetry (Logfire, Sentry) recognise FasterAPI's."""

try:
    SCOPE_VERSION = version("fasterapi-routing")
except PackageNotFoundError:  # pragma: no cover - a source checkout without metadata
    SCOPE_VERSION = "0"

SCHEMA_URL = "https://opentelemetry.io/schemas/1.44.0"

_DEFERRED = frozenset(
    {
        ("opentelemetry.trace", "ProxyTracerProvider"),
        ("opentelemetry.metrics._internal", "_ProxyMeterProvider"),
        ("opentelemetry._logs._internal", "ProxyLoggerProvider"),
    }
)


def unconfigured(provider: Any) -> bool:
    """True for OpenTelemetry's own placeholder providers (nothing configured yet); never for
    an SDK provider or a vendor's wrapper."""
    cls = type(provider)
    return (cls.__module__, cls.__name__) in _DEFERRED


# signal: (API module, its getter, the module holding the global, its name, the variable naming
# a provider to load from the environment)
_GLOBALS = {
    "tracing": (
        trace,
        "get_tracer_provider",
        trace,
        "_TRACER_PROVIDER",
        "OTEL_PYTHON_TRACER_PROVIDER",
    ),
    "metrics": (
        metrics,
        "get_meter_provider",
        metrics_state,
        "_METER_PROVIDER",
        "OTEL_PYTHON_METER_PROVIDER",
    ),
    "logs": (
        _logs,
        "get_logger_provider",
        logs_state,
        "_LOGGER_PROVIDER",
        "OTEL_PYTHON_LOGGER_PROVIDER",
    ),
}
_GETTERS = {signal: getattr(api, getter) for signal, (api, getter, *_) in _GLOBALS.items()}
_FROM_ENVIRONMENT = frozenset(entry[4] for entry in _GLOBALS.values() if entry[4] in os.environ)
"""Signals' provider variables set when telemetry was first used (``os.environ`` lookups of
missing names raise and catch ``KeyError``: too slow for every request)."""


def global_provider(signal: str) -> Any:
    """The global provider of ``signal`` (tracing, metrics, logs), or None while it is
    OpenTelemetry's placeholder (nothing configured)."""
    api, getter, holder, name, variable = _GLOBALS[signal]
    get = getattr(api, getter)
    # PERF: the getters look the environment up on every call while nothing is configured
    # (~2 µs each): read the global they return instead, unless the getter was replaced.
    if (
        get is _GETTERS[signal]
        and getattr(holder, name, True) is None
        and variable not in _FROM_ENVIRONMENT
    ):
        return None
    provider = get()
    return None if unconfigured(provider) else provider


_GET_TRACER_PROVIDER = trace.get_tracer_provider
_GET_METER_PROVIDER = metrics.get_meter_provider
_GET_LOGGER_PROVIDER = _logs.get_logger_provider


def nothing_configured() -> bool:
    """True while no global provider can be configured: OpenTelemetry's globals unset, its
    getters not replaced, no provider named in the environment. False means "maybe"."""
    # PERF: what every request of an application with default telemetry asks while nothing
    # is configured: attribute reads only, no call into OpenTelemetry.
    return (
        trace._TRACER_PROVIDER is None
        and metrics_state._METER_PROVIDER is None
        and logs_state._LOGGER_PROVIDER is None
        and trace.get_tracer_provider is _GET_TRACER_PROVIDER
        and metrics.get_meter_provider is _GET_METER_PROVIDER
        and _logs.get_logger_provider is _GET_LOGGER_PROVIDER
        and not _FROM_ENVIRONMENT
    )


T = TypeVar("T")


def quiet_layer(layer: T) -> Callable[[], T | None] | None:
    """``check()`` -> ``layer`` while nothing is configured (as :func:`nothing_configured`),
    else None; None when a provider variable was set in the environment (never quiet)."""
    if _FROM_ENVIRONMENT:
        return None

    def check() -> T | None:
        # PERF: asked by every request of an application with default telemetry (opentelemetry
        # installed, nothing configured): six attribute reads in one call. timeit, 2026-12-07:
        # 105 ns, against 172 ns for the options-dict lookup, the tuple and nothing_configured().
        if (
            trace._TRACER_PROVIDER is None
            and metrics_state._METER_PROVIDER is None
            and logs_state._LOGGER_PROVIDER is None
            and trace.get_tracer_provider is _GET_TRACER_PROVIDER
            and metrics.get_meter_provider is _GET_METER_PROVIDER
            and _logs.get_logger_provider is _GET_LOGGER_PROVIDER
        ):
            return layer
        return None

    return check
