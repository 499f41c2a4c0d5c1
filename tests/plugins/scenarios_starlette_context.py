"""starlette-context scenarios, as its documentation shows it used (run by
``test_starlette_context.py`` on FastAPI and on FasterAPI): ``RawContextMiddleware`` and
``ContextMiddleware`` with the request-id, correlation-id, user-agent and forwarded-for plugins,
the ``context`` read in endpoints, the ids echoed in responses, invalid ids refused."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from plugin_answers import answer
from starlette_context import context, plugins
from starlette_context.middleware import ContextMiddleware, RawContextMiddleware

VALID = "f47ac10b-58cc-4372-a567-0e02b2c3d479"
HEADERS = ("x-request-id", "x-correlation-id")


def _app(middleware: type, **options: Any) -> FastAPI:
    app = FastAPI()
    app.add_middleware(
        middleware,
        plugins=(
            plugins.RequestIdPlugin(**options),
            plugins.CorrelationIdPlugin(),
            plugins.UserAgentPlugin(),
            plugins.ForwardedForPlugin(),
        ),
    )

    @app.get("/context")
    async def read() -> dict[str, Any]:
        return {"data": dict(context.data), "exists": context.exists()}

    return app


def _masked(record: dict[str, Any], generated: list[str]) -> dict[str, Any]:
    """Ids the plugins generated are random: where they show, masked."""
    text = json.dumps(record)
    for made in generated:
        text = text.replace(made, "<generated>")
    masked: dict[str, Any] = json.loads(text)
    return masked


def _run(app: FastAPI) -> list[Any]:
    client = TestClient(app)
    found = []
    for headers in (
        {"x-request-id": VALID, "x-correlation-id": VALID, "user-agent": "scenario"},
        {"user-agent": "scenario", "x-forwarded-for": "10.0.0.1"},
        {"x-request-id": "not-a-uuid"},
    ):
        response = client.get("/context", headers=headers)
        record = answer(response, HEADERS)
        generated = [
            response.headers[name]
            for name in HEADERS
            if name in response.headers and response.headers[name] != headers.get(name)
        ]
        found.append(_masked(record, generated))
    return found


def scenario_raw_context_middleware() -> Any:
    return _run(_app(RawContextMiddleware))


def scenario_context_middleware() -> Any:
    return _run(_app(ContextMiddleware))


def scenario_new_ids_forced() -> Any:
    return _run(_app(RawContextMiddleware, force_new_uuid=True))
