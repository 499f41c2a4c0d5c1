"""The attribute-count rule: the request path's objects keep CPython's fast attribute layout.

CPython 3.13 stores an instance's attributes inline (shared keys, specialised ``LOAD_ATTR``)
only while the instance has at most :data:`MAX_INLINE_ATTRIBUTES` of them; one more and every
attribute read in ``Faster.__call__`` and ``route.handle`` goes through a dict. The classes
below are read on every request: each instance, built and used as an application does, must
stay within the limit. Add an attribute to one of them only by moving another into a grouped
attribute (``APIRoute._given``, ``Faster._options``) or a lazily created one.
"""

from __future__ import annotations

from typing import Any

import pytest

import FasterAPI
from FasterAPI import Request, WebSocket
from FasterAPI.testclient import TestClient

try:  # CPython's own probe (3.13 builds ship it); the count check below runs everywhere
    from _testinternalcapi import has_inline_values  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - builds without the test modules
    has_inline_values = None

MAX_INLINE_ATTRIBUTES = 29
"""Measured on CPython 3.13.0: a 29th attribute still fits inline, a 30th does not."""


def _used_app() -> tuple[FasterAPI.FastAPI, dict[str, Any]]:
    """An application with the usual kinds of route, after requests, /openapi.json and /docs."""
    app = FasterAPI.FastAPI(title="layout")
    router = FasterAPI.APIRouter(prefix="/items")

    @router.get("/{item_id}")
    async def item(item_id: int, q: str | None = None) -> dict[str, Any]:
        return {"item_id": item_id, "q": q}

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/echo")
    def echo(payload: dict[str, int], request: Request) -> dict[str, int]:
        return payload

    @app.websocket("/ws")
    async def ws(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text("hi")
        await websocket.close()

    app.include_router(router)
    with TestClient(app) as client:
        assert client.get("/health").json() == {"status": "ok"}
        assert client.get("/items/3?q=x").json() == {"item_id": 3, "q": "x"}
        assert client.post("/echo", json={"a": 1}).json() == {"a": 1}
        assert client.get("/openapi.json").status_code == 200
        assert client.get("/docs").status_code == 200
        with client.websocket_connect("/ws") as socket:
            assert socket.receive_text() == "hi"
    routes = {getattr(route, "path", ""): route for route in app.router.routes}
    return app, routes


def _instances() -> dict[str, object]:
    app, routes = _used_app()
    return {
        "Faster": app,
        "FasterRouter": app.router,
        "APIRoute (no parameters)": routes["/health"],
        "APIRoute (path + query)": routes["/items/{item_id}"],
        "APIRoute (body + Request)": routes["/echo"],
        "APIWebSocketRoute": routes["/ws"],
    }


INSTANCES = _instances()


@pytest.mark.parametrize("name", sorted(INSTANCES))
def test_request_path_objects_stay_within_the_inline_attribute_limit(name: str) -> None:
    instance = INSTANCES[name]
    attributes = sorted(vars(instance))
    assert len(attributes) <= MAX_INLINE_ATTRIBUTES, (
        f"{name} has {len(attributes)} instance attributes (limit {MAX_INLINE_ATTRIBUTES}): "
        f"{attributes}"
    )
    if has_inline_values is not None:
        assert has_inline_values(instance), f"{name} lost CPython's inline attribute layout"


@pytest.mark.skipif(has_inline_values is None, reason="CPython's _testinternalcapi not built")
@pytest.mark.parametrize("count", [MAX_INLINE_ATTRIBUTES, MAX_INLINE_ATTRIBUTES + 1])
def test_the_limit_is_cpythons(count: int) -> None:
    """The constant is CPython's: at the limit the layout holds, one past it it is lost."""
    namespace: dict[str, Any] = {}
    exec(  # a fresh class per count: shared keys are per class
        "class Probe:\n    def __init__(self):\n"
        + "".join(f"        self.a{index} = {index}\n" for index in range(count)),
        namespace,
    )
    probe_class = namespace["Probe"]
    probe_class()  # the first instance fixes the shared keys
    assert has_inline_values(probe_class()) is (count <= MAX_INLINE_ATTRIBUTES)
