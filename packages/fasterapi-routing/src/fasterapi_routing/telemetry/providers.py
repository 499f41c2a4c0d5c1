"""The providers telemetry records through: the configured ones, else the global ones once
something configured them (OpenTelemetry's deferred proxies record nothing until then)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

__all__ = ["SCHEMA_URL", "SCOPE_NAME", "SCOPE_VERSION", "unconfigured"]

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
