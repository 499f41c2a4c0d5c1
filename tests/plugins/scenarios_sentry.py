"""sentry-sdk scenarios, as its documentation shows it used with FastAPI (run by
``test_sentry.py`` on FastAPI and on FasterAPI): ``sentry_sdk.init`` with its default
integrations (it enables the FastAPI and Starlette ones by itself) or without the FastAPI one,
errors captured from endpoints, named after the route template, with the request data (the
body and cookies its FastAPI integration attaches)."""

from __future__ import annotations

from typing import Any

import sentry_sdk
from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient
from plugin_answers import answer
from sentry_sdk.envelope import Envelope
from sentry_sdk.integrations.fastapi import FastApiIntegration
from sentry_sdk.transport import Transport


class _Recorded(Transport):
    """Keeps every event the SDK would send."""

    def __init__(self, options: Any = None) -> None:
        super().__init__(options)
        self.events: list[dict[str, Any]] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        for item in envelope.items:
            if item.type in ("event", "transaction") and item.payload.json is not None:
                self.events.append(item.payload.json)


def _summary(event: dict[str, Any]) -> dict[str, Any]:
    """What the event says about the request (ids, times, the machine and versions left out)."""
    request = event.get("request", {})
    exceptions = event.get("exception", {}).get("values", [])
    return {
        "type": event.get("type", "event"),
        "level": event.get("level"),
        "transaction": event.get("transaction"),
        "source": event.get("transaction_info", {}).get("source"),
        "exception": [
            (e.get("type"), e.get("value"), e.get("mechanism", {}).get("type")) for e in exceptions
        ],
        "request": {k: request.get(k) for k in ("method", "url", "query_string")},
        "status": event.get("contexts", {}).get("trace", {}).get("status"),
    }


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/items/{item_id}")
    def item(item_id: int) -> dict[str, int]:
        if item_id == 0:
            raise RuntimeError("no item zero")
        if item_id == 404:
            raise HTTPException(status_code=404, detail="missing")
        return {"item_id": item_id}

    @app.get("/async")
    async def failing() -> None:
        raise ValueError("async failure")

    return app


def _captured(**options: Any) -> Any:
    transport = _Recorded()
    sentry_sdk.init(dsn="http://key@localhost/1", transport=transport, **options)
    try:
        client = TestClient(_app(), raise_server_exceptions=False)
        answers = [
            answer(client.get(path))
            for path in ("/items/1?x=1", "/items/0", "/items/404", "/async", "/nowhere")
        ]
        sentry_sdk.flush()
    finally:
        sentry_sdk.init()  # no DSN: the SDK sends nothing any more
    events = sorted((_summary(e) for e in transport.events), key=repr)
    return {"answers": answers, "events": events}


def scenario_errors_and_transactions() -> Any:
    return _captured(traces_sample_rate=1.0)


def scenario_without_the_fastapi_integration() -> Any:
    return _captured(disabled_integrations=[FastApiIntegration()])


def scenario_request_body_and_cookies() -> Any:
    """A failing POST with a JSON body and a cookie: what the events say of the request."""
    transport = _Recorded()
    sentry_sdk.init(dsn="http://key@localhost/1", transport=transport)
    try:
        app = FastAPI()

        @app.post("/orders/{order_id}")
        async def order(order_id: int, payload: dict[str, Any]) -> None:
            raise RuntimeError(f"order {order_id} failed")

        client = TestClient(app, raise_server_exceptions=False, cookies={"session": "abc"})
        answers = [answer(client.post("/orders/7", json={"item": "tea", "count": 2}))]
        sentry_sdk.flush()
    finally:
        sentry_sdk.init()
    events = [
        {
            **_summary(event),
            "data": event.get("request", {}).get("data"),
            "cookies": event.get("request", {}).get("cookies"),
        }
        for event in transport.events
    ]
    return {"answers": answers, "events": sorted(events, key=repr)}
