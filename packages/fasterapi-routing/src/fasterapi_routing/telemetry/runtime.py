"""Export set up from the environment (``auto_configure``): OTLP/HTTP exporters added to the
providers at startup, flushed at shutdown, shut down at exit; never for providers the
application passed, and without replacing exporters other components configured."""

from __future__ import annotations

import atexit
import logging
import os
import sys
import threading
from typing import Any
from urllib.parse import urlsplit

from opentelemetry import _logs, metrics, trace  # type: ignore[import-not-found,unused-ignore]

from fasterapi_core.concurrency import run_in_threadpool
from fasterapi_core.exceptions import FasterAPIError
from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send
from fasterapi_routing.telemetry.config import TelemetryConfig
from fasterapi_routing.telemetry.providers import unconfigured

__all__ = ["configure_from_environment", "lifespan"]

logger = logging.getLogger("fasterapi")


def _logger() -> logging.Logger:
    """``fasterapi``; ``fastapi`` while FasterAPI's stand-in serves the ``fastapi`` package, where
    FastAPI's users (and its tests) look for these records."""
    served = sys.modules.get("fastapi")
    if served is not None and type(served).__module__.startswith("FasterAPI."):
        return logging.getLogger("fastapi")
    return logger


_lock = threading.RLock()
_owned: list[Any] = []
"""Providers and export components created here (flushed at shutdown, shut down at exit)."""
_configured: list[tuple[str, Any]] = []
"""``(signal, provider)`` pairs given an exporter here (once each)."""

_ALTERNATIVE = "pass telemetry={'auto_configure': False} to Faster()"
_MISSING_SDK = (
    "Automatic OpenTelemetry export needs opentelemetry-sdk and "
    "opentelemetry-exporter-otlp-proto-http (what FastAPI's fastapi[opentelemetry] extra "
    "installs); install them, configure providers yourself, "
    f"or {_ALTERNATIVE}."
)


def _flush() -> None:
    for component in tuple(_owned):
        try:
            component.force_flush()
        except Exception:
            _logger().exception("FastAPI telemetry cleanup failed")


def _shutdown() -> None:
    with _lock:
        owned = tuple(_owned)
        _owned.clear()
    for component in owned:
        try:
            component.shutdown()
        except Exception:
            _logger().exception("FastAPI telemetry cleanup failed")


atexit.register(_shutdown)


def _export_endpoint(signal: str) -> str | None:
    """The OTLP endpoint of ``signal`` (TRACES, METRICS, LOGS) from the environment."""
    exporter = (os.getenv(f"OTEL_{signal}_EXPORTER") or "otlp").strip().lower()
    endpoint = os.getenv(f"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT")
    if not endpoint:
        general = os.getenv("OTEL_EXPORTER_OTLP_ENDPOINT")
        endpoint = f"{general.removesuffix('/')}/v1/{signal.lower()}" if general else None
    if not endpoint or exporter == "none":
        return None
    if exporter != "otlp":
        raise FasterAPIError(
            f"Automatic telemetry supports OTEL_{signal}_EXPORTER=otlp or none. "
            f"Configure other exporters explicitly and {_ALTERNATIVE}."
        )
    protocol = (
        os.getenv(f"OTEL_EXPORTER_OTLP_{signal}_PROTOCOL")
        or os.getenv("OTEL_EXPORTER_OTLP_PROTOCOL")
        or "http/protobuf"
    )
    if protocol != "http/protobuf":
        raise FasterAPIError(
            "Automatic telemetry requires the OTLP http/protobuf protocol. "
            f"Configure other transports explicitly and {_ALTERNATIVE}."
        )
    parsed = urlsplit(endpoint)
    if parsed.scheme not in {"http", "https"} or not parsed.hostname:
        raise FasterAPIError(
            f"Invalid OTLP {signal.lower()} endpoint. Use an absolute HTTP or HTTPS URL."
        )
    return endpoint


def _registration_provider(provider: Any) -> Any:
    # Older Logfire meter wrappers lack add_metric_reader(): register on their SDK provider.
    cls = type(provider)
    if (
        cls.__module__ == "logfire._internal.metrics"
        and cls.__name__ == "ProxyMeterProvider"
        and not hasattr(provider, "add_metric_reader")
    ):
        return provider.provider
    return provider


def configure_from_environment(config: TelemetryConfig) -> None:
    """Add OTLP exporters from the ``OTEL_*`` environment to the providers of the enabled
    signals (a new global SDK provider where none is configured). Does nothing unless
    ``auto_configure`` is on, or with ``OTEL_SDK_DISABLED=true``."""
    if not config["auto_configure"] or os.getenv("OTEL_SDK_DISABLED", "").lower() == "true":
        return
    with _lock:
        signals = (
            ("TRACES", config["tracing"], config["tracer_provider"]),
            ("METRICS", config["metrics"], config["meter_provider"]),
            ("LOGS", config["logs"], config["logger_provider"]),
        )
        requested = [
            (signal, provider, endpoint)
            for signal, enabled, provider in signals
            if enabled and (endpoint := _export_endpoint(signal)) is not None
        ]
        if not requested:
            return
        try:
            from fasterapi_routing.telemetry import export_components
        except ImportError as exc:
            raise FasterAPIError(_MISSING_SDK) from exc
        for signal, explicit, endpoint in requested:
            _configure_signal(export_components, signal, explicit, endpoint)


_GLOBALS = {"TRACES": (trace, "tracer"), "METRICS": (metrics, "meter"), "LOGS": (_logs, "logger")}


def _configure_signal(components: Any, signal: str, explicit: Any, endpoint: str) -> None:
    api, name = _GLOBALS[signal]
    get_global = getattr(api, f"get_{name}_provider")  # looked up now: it can be replaced
    provider = _registration_provider(explicit if explicit is not None else get_global())
    if any(done == signal and known is provider for done, known in _configured):
        return
    if explicit is None and unconfigured(provider):
        created = components.global_provider(signal, endpoint)
        current = get_global()
        if current is created:
            _configured.append((signal, created))
            _owned.append(created)
            return
        # Another component set the global provider meanwhile: add to theirs instead.
        created.shutdown()
        provider = _registration_provider(current)
    register = components.registration(signal, provider)
    if not callable(register):
        raise FasterAPIError(
            f"The configured OpenTelemetry {name} provider does not support adding an OTLP "
            f"exporter. Configure export through that provider and {_ALTERNATIVE}."
        )
    component = components.component(signal, endpoint)
    try:
        register(component)
    except Exception:
        component.shutdown()
        raise
    _configured.append((signal, provider))
    _owned.append(component)


async def lifespan(
    *, config: TelemetryConfig, app: ASGIApp, scope: Scope, receive: Receive, send: Send
) -> None:
    """Serve the lifespan with ``app``: configure export at startup (a failure is a warning,
    never a failed startup), flush what was created here at shutdown (off the event loop)."""

    async def starting(message_source: Receive = receive) -> Message:
        message = await message_source()
        if message["type"] == "lifespan.startup":
            try:
                configure_from_environment(config)
            except Exception as exc:
                _logger().warning("FastAPI automatic telemetry configuration failed: %s", exc)
        return message

    async def flushing(message: Message) -> None:
        if (
            message["type"]
            in {"lifespan.shutdown.complete", "lifespan.shutdown.failed", "lifespan.startup.failed"}
            and _owned
        ):
            await run_in_threadpool(_flush)
        await send(message)

    await app(scope, starting, flushing)


_configure_from_environment = configure_from_environment  # FastAPI's name (fastapi.telemetry)
