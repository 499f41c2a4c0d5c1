"""prometheus-fastapi-instrumentator scenarios, as its documentation shows it used (run by
``test_prometheus_instrumentator.py`` on FastAPI and on FasterAPI): per-route metrics, grouped
and ungrouped status codes, excluded handlers, untemplated requests, routers and mounts, the
``/metrics`` exposition (plain and gzip), namespaces, requests in progress, added metrics."""

from __future__ import annotations

import gzip
import re
from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException
from fastapi.testclient import TestClient
from plugin_answers import answer
from prometheus_client import CollectorRegistry
from prometheus_fastapi_instrumentator import Instrumentator, metrics

#: A sample whose value is a duration: its value depends on the clock, and so do the counts in
#: its histogram's buckets below +Inf.
_TIMED = re.compile(r"^(\w*(?:duration|latency)\w*?)(_sum|_bucket)(\{.*\})? (\S+)$")


def _samples(text: str) -> list[str]:
    """The exposition's ``http_*`` samples (the process and platform collectors describe the
    process, not the app), sorted, with clock-dependent values masked."""
    found = []
    for line in text.splitlines():
        if line.startswith("#") or "http_" not in line or "_created" in line:
            continue  # `_created` samples are timestamps
        if "size" in line and '_sum{handler="/metrics"}' in line:
            line = line.rsplit(" ", 1)[0] + " <clock>"  # an exposition's size: its durations'
        timed = _TIMED.match(line)
        if timed and not (timed.group(2) == "_bucket" and 'le="+Inf"' in (timed.group(3) or "")):
            line = f"{timed.group(1)}{timed.group(2)}{timed.group(3) or ''} <clock>"
        found.append(line)
    return sorted(found)


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/items/{item_id}")
    def item(item_id: int) -> dict[str, int]:
        return {"item_id": item_id}

    @app.post("/items", status_code=201)
    def create(name: str) -> dict[str, str]:
        return {"name": name}

    @app.get("/fail")
    def fail() -> None:
        raise HTTPException(status_code=503, detail="down")

    @app.get("/health")
    def health() -> str:
        return "ok"

    return app


def _traffic(client: TestClient) -> list[Any]:
    return [
        answer(response)
        for response in (
            client.get("/items/1"),
            client.get("/items/2"),
            client.get("/items/x"),
            client.post("/items?name=a"),
            client.post("/items"),
            client.get("/fail"),
            client.get("/health"),
            client.get("/nowhere"),
            client.delete("/items/1"),
        )
    ]


def _exposition(client: TestClient, path: str = "/metrics", **headers: str) -> Any:
    response = client.get(path, headers=headers)
    record = answer(response, ("content-type", "content-encoding"))
    content = response.content
    if response.headers.get("content-encoding") == "gzip" and content[:2] == b"\x1f\x8b":
        content = gzip.decompress(content)  # TestClient's httpx decodes it already, or not
    record["body"] = _samples(content.decode())
    return record


def _run(instrumentator: Instrumentator, app: FastAPI, **expose: Any) -> Any:
    instrumentator.instrument(app).expose(app, **expose)
    client = TestClient(app)
    return {"traffic": _traffic(client), "metrics": _exposition(client)}


def scenario_defaults() -> Any:
    return _run(Instrumentator(registry=CollectorRegistry()), _app())


def scenario_ungrouped_status_codes() -> Any:
    instrumentator = Instrumentator(registry=CollectorRegistry(), should_group_status_codes=False)
    return _run(instrumentator, _app())


def scenario_excluded_handlers() -> Any:
    instrumentator = Instrumentator(
        registry=CollectorRegistry(), excluded_handlers=["/health", "/metrics", "/fa.*"]
    )
    return _run(instrumentator, _app())


def scenario_untemplated_ignored() -> Any:
    instrumentator = Instrumentator(registry=CollectorRegistry(), should_ignore_untemplated=True)
    return _run(instrumentator, _app())


def scenario_untemplated_not_grouped() -> Any:
    instrumentator = Instrumentator(registry=CollectorRegistry(), should_group_untemplated=False)
    return _run(instrumentator, _app())


def scenario_router_prefixes() -> Any:
    app = FastAPI()
    router = APIRouter(prefix="/api/v1")

    @router.get("/users/{user_id}/orders/{order_id}")
    def order(user_id: int, order_id: str) -> dict[str, Any]:
        return {"user": user_id, "order": order_id}

    outer = APIRouter(prefix="/outer")
    outer.include_router(router, prefix="/inner")
    app.include_router(router)
    app.include_router(outer)
    Instrumentator(registry=CollectorRegistry()).instrument(app).expose(app)
    client = TestClient(app)
    traffic = [
        answer(client.get("/api/v1/users/7/orders/a1")),
        answer(client.get("/api/v1/users/7/orders/b2")),
        answer(client.get("/outer/inner/api/v1/users/8/orders/c3")),
    ]
    return {"traffic": traffic, "metrics": _exposition(client)}


def scenario_mounted_app() -> Any:
    app = FastAPI()
    sub = FastAPI()

    @sub.get("/ping")
    def ping() -> str:
        return "pong"

    app.mount("/sub", sub)
    Instrumentator(registry=CollectorRegistry()).instrument(app).expose(app)
    client = TestClient(app)
    traffic = [answer(client.get("/sub/ping")), answer(client.get("/sub/nothing"))]
    return {"traffic": traffic, "metrics": _exposition(client)}


def scenario_namespace_subsystem_and_custom_buckets() -> Any:
    app = _app()
    Instrumentator(registry=CollectorRegistry()).instrument(
        app, metric_namespace="shop", metric_subsystem="api", latency_lowr_buckets=(0.5, 2)
    ).expose(app, endpoint="/internal/metrics", include_in_schema=False)
    client = TestClient(app)
    paths = sorted(client.get("/openapi.json").json()["paths"])
    return {
        "traffic": _traffic(client),
        "metrics": _exposition(client, "/internal/metrics"),
        "openapi_paths": paths,
    }


def scenario_requests_in_progress() -> Any:
    instrumentator = Instrumentator(
        registry=CollectorRegistry(),
        should_instrument_requests_inprogress=True,
        inprogress_labels=True,
    )
    return _run(instrumentator, _app())


def scenario_added_metrics() -> Any:
    instrumentator = Instrumentator(registry=CollectorRegistry())
    instrumentator.add(metrics.requests(should_include_handler=True, should_include_status=True))
    instrumentator.add(metrics.request_size(metric_name="req_size_http_bytes"))
    instrumentator.add(metrics.response_size(metric_name="resp_size_http_bytes"))
    instrumentator.add(metrics.latency(buckets=(1,)))
    return _run(instrumentator, _app())


def scenario_gzip_exposition() -> Any:
    app = _app()
    Instrumentator(registry=CollectorRegistry()).instrument(app).expose(app, should_gzip=True)
    client = TestClient(app)
    client.get("/items/1")
    return {
        "gzip": _exposition(client, **{"accept-encoding": "gzip"}),
        "plain": _exposition(client, **{"accept-encoding": "identity"}),
    }


def scenario_bare_mount_path() -> Any:
    app = FastAPI()
    sub = FastAPI()

    @sub.get("/")
    def index() -> str:
        return "index"

    app.mount("/sub", sub)
    Instrumentator(registry=CollectorRegistry()).instrument(app).expose(app)
    client = TestClient(app)
    # "/sub" is redirected to "/sub/" by Starlette's router (redirect_slashes): two requests
    traffic = [answer(client.get("/sub", follow_redirects=True)), answer(client.get("/sub/"))]
    return {"traffic": traffic, "metrics": _exposition(client)}
