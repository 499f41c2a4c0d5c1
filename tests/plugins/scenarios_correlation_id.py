"""asgi-correlation-id scenarios, as its documentation shows it used (run by
``test_correlation_id.py`` on FastAPI and on FasterAPI): the request id taken from the request
header or generated, validated, visible to endpoints (``correlation_id``) and to logging
(``CorrelationIdFilter``), echoed in every response, errors included."""

from __future__ import annotations

import logging
import re
from typing import Any

from asgi_correlation_id import CorrelationIdFilter, CorrelationIdMiddleware, correlation_id
from fastapi import FastAPI, HTTPException, Request
from fastapi.testclient import TestClient
from plugin_answers import answer

VALID = "0123456789abcdef0123456789abcdef"
_HEX32 = re.compile(r"^[0-9a-f]{32}$")


class _Records(logging.Handler):
    """Keeps each log record's message and correlation id."""

    def __init__(self) -> None:
        super().__init__()
        self.addFilter(CorrelationIdFilter(uuid_length=8, default_value="-"))
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(f"[{getattr(record, 'correlation_id', '?')}] {record.getMessage()}")


def _app(**options: Any) -> FastAPI:
    app = FastAPI()
    app.add_middleware(CorrelationIdMiddleware, **options)

    @app.get("/id")
    def current(request: Request) -> dict[str, Any]:
        logging.getLogger("scenario.app").warning("handling /id")
        return {"context": correlation_id.get(), "header": request.headers.get("x-request-id")}

    @app.get("/missing")
    def missing() -> None:
        raise HTTPException(status_code=404, detail="nothing here")

    @app.get("/crash")
    def crash() -> None:
        raise RuntimeError("boom")

    return app


def _generated(response: Any, sent: str | None) -> str | None:
    """The id the middleware generated for this exchange (random: masked), if it did."""
    echoed = response.headers.get("x-request-id") or response.headers.get("x-correlation-id")
    return echoed if echoed and echoed != sent and _HEX32.match(echoed) else None


def _masked(value: Any, generated: list[str]) -> Any:
    """``value`` with the generated ids (and their 8-digit prefix in logs) as ``<generated>``."""
    if isinstance(value, str):
        for made in generated:
            value = value.replace(made, "<generated>").replace(made[:8], "<generated>")
        return value
    if isinstance(value, dict):
        return {k: _masked(v, generated) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v, generated) for v in value]
    return value


def _run(app: FastAPI, requests: list[tuple[str, dict[str, str]]]) -> Any:
    handler = _Records()
    loggers = [logging.getLogger(name) for name in ("scenario", "asgi_correlation_id")]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    exchanges, generated = [], []
    try:
        client = TestClient(app, raise_server_exceptions=False)
        for path, headers in requests:
            response = client.get(path, headers=headers)
            exchanges.append(answer(response, ("x-request-id", "x-correlation-id")))
            made = _generated(response, headers.get("x-request-id"))
            generated += [made] if made else []
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    return _masked({"exchanges": exchanges, "logs": handler.seen}, generated)


def scenario_id_from_the_request_header() -> Any:
    return _run(_app(), [("/id", {"x-request-id": VALID}), ("/missing", {"x-request-id": VALID})])


def scenario_generated_id() -> Any:
    return _run(_app(), [("/id", {}), ("/missing", {})])


def scenario_invalid_id_replaced() -> Any:
    return _run(_app(), [("/id", {"x-request-id": "not-a-uuid"})])


def scenario_no_validator_custom_header_and_generator() -> Any:
    app = _app(
        header_name="X-Correlation-ID",
        validator=None,
        generator=lambda: "fixed-id",
        transformer=lambda value: value.upper(),
    )
    return _run(
        app,
        [("/id", {"x-correlation-id": "abc"}), ("/id", {}), ("/missing", {})],
    )


def scenario_request_header_not_updated() -> Any:
    app = _app(update_request_header=False, generator=lambda: "generated")
    return _run(app, [("/id", {}), ("/id", {"x-request-id": VALID})])


def scenario_unhandled_error() -> Any:
    return _run(_app(), [("/crash", {"x-request-id": VALID})])
