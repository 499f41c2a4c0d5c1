"""The OpenTelemetry SDK pieces automatic export creates (imported only then: the SDK and
the OTLP/HTTP exporter are not dependencies of FasterAPI)."""

from __future__ import annotations

from typing import Any

from opentelemetry import _logs, metrics, trace  # type: ignore[import-not-found,unused-ignore]
from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter  # type: ignore[import-not-found,unused-ignore]
from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter  # type: ignore[import-not-found,unused-ignore]
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter  # type: ignore[import-not-found,unused-ignore]
from opentelemetry.sdk._logs import LoggerProvider  # type: ignore[import-not-found,unused-ignore]
from opentelemetry.sdk._logs.export import BatchLogRecordProcessor  # type: ignore[import-not-found,unused-ignore]
from opentelemetry.sdk.metrics import MeterProvider  # type: ignore[import-not-found,unused-ignore]
from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader  # type: ignore[import-not-found,unused-ignore]
from opentelemetry.sdk.trace import TracerProvider  # type: ignore[import-not-found,unused-ignore]
from opentelemetry.sdk.trace.export import BatchSpanProcessor  # type: ignore[import-not-found,unused-ignore]

__all__ = ["component", "global_provider", "registration"]


def component(signal: str, endpoint: str) -> Any:
    """The exporting component of ``signal`` (TRACES, METRICS, LOGS) sending to ``endpoint``."""
    if signal == "TRACES":
        return BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint))
    if signal == "METRICS":
        return PeriodicExportingMetricReader(OTLPMetricExporter(endpoint=endpoint))
    return BatchLogRecordProcessor(OTLPLogExporter(endpoint=endpoint))


def global_provider(signal: str, endpoint: str) -> Any:
    """A new SDK provider exporting to ``endpoint``, set as the global one (if none was)."""
    exporting = component(signal, endpoint)
    if signal == "TRACES":
        tracer_provider = TracerProvider(shutdown_on_exit=False)
        tracer_provider.add_span_processor(exporting)
        trace.set_tracer_provider(tracer_provider)
        return tracer_provider
    if signal == "METRICS":
        meter_provider = MeterProvider(metric_readers=[exporting], shutdown_on_exit=False)
        metrics.set_meter_provider(meter_provider)
        return meter_provider
    logger_provider = LoggerProvider(shutdown_on_exit=False)
    logger_provider.add_log_record_processor(exporting)
    _logs.set_logger_provider(logger_provider)
    return logger_provider


def registration(signal: str, provider: Any) -> Any:
    """The provider's method adding a component of ``signal`` (None if it has none)."""
    name = {
        "TRACES": "add_span_processor",
        "METRICS": "add_metric_reader",
        "LOGS": "add_log_record_processor",
    }[signal]
    return getattr(provider, name, None)
