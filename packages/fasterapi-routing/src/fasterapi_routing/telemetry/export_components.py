"""The OpenTelemetry SDK pieces automatic export creates (imported only then: the SDK and
the OTLP/HTTP exporter are not dependencies of FasterAPI). Classes are looked up in their
modules when used, so a replaced class (a test double, a vendor patch) is the one created."""

from __future__ import annotations

from typing import Any

from opentelemetry import _logs, metrics, trace  # type: ignore[import-not-found,unused-ignore]
from opentelemetry.exporter.otlp.proto.http import (  # type: ignore[import-not-found,unused-ignore]
    _log_exporter,
    metric_exporter,
    trace_exporter,
)
from opentelemetry.sdk import _logs as sdk_logs  # type: ignore[import-not-found,unused-ignore]
from opentelemetry.sdk import metrics as sdk_metrics  # type: ignore[import-not-found,unused-ignore]
from opentelemetry.sdk import trace as sdk_trace  # type: ignore[import-not-found,unused-ignore]
from opentelemetry.sdk._logs import export as logs_export  # type: ignore[import-not-found,unused-ignore]
from opentelemetry.sdk.metrics import export as metrics_export  # type: ignore[import-not-found,unused-ignore]
from opentelemetry.sdk.trace import export as trace_export  # type: ignore[import-not-found,unused-ignore]

__all__ = ["component", "global_provider", "registration"]


def component(signal: str, endpoint: str) -> Any:
    """The exporting component of ``signal`` (TRACES, METRICS, LOGS) sending to ``endpoint``."""
    if signal == "TRACES":
        return trace_export.BatchSpanProcessor(trace_exporter.OTLPSpanExporter(endpoint=endpoint))
    if signal == "METRICS":
        return metrics_export.PeriodicExportingMetricReader(
            metric_exporter.OTLPMetricExporter(endpoint=endpoint)
        )
    return logs_export.BatchLogRecordProcessor(_log_exporter.OTLPLogExporter(endpoint=endpoint))


def global_provider(signal: str, endpoint: str) -> Any:
    """A new SDK provider exporting to ``endpoint``, set as the global one (if none was)."""
    exporting = component(signal, endpoint)
    if signal == "TRACES":
        tracer_provider = sdk_trace.TracerProvider(shutdown_on_exit=False)
        tracer_provider.add_span_processor(exporting)
        trace.set_tracer_provider(tracer_provider)
        return tracer_provider
    if signal == "METRICS":
        meter_provider = sdk_metrics.MeterProvider(
            metric_readers=[exporting], shutdown_on_exit=False
        )
        metrics.set_meter_provider(meter_provider)
        return meter_provider
    logger_provider = sdk_logs.LoggerProvider(shutdown_on_exit=False)
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
