"""Requests and websockets can be weakly referenced, as Starlette's (FastAPI's telemetry tests
and per-request caches keyed by weak references rely on it); the referent goes away with the
request. The same app on FastAPI and on FasterAPI."""

import gc
import weakref
from types import ModuleType
from typing import Any

import fastapi
import fastapi.testclient
import pytest

import FasterAPI
import FasterAPI.testclient


@pytest.mark.parametrize("fw", [fastapi, FasterAPI], ids=["fastapi", "fasterapi"])
def test_request_and_websocket_weak_references(fw: ModuleType) -> None:
    refs: list[weakref.ref[Any]] = []
    app = fw.FastAPI()

    @app.get("/")
    def read(request: fw.Request) -> bool:  # type: ignore[name-defined]
        refs.append(weakref.ref(request))
        return refs[-1]() is request

    @app.websocket("/ws")
    async def ws(websocket: fw.WebSocket) -> None:  # type: ignore[name-defined]
        refs.append(weakref.ref(websocket))
        await websocket.accept()
        await websocket.send_json(refs[-1]() is websocket)
        await websocket.close()

    client_class = (
        FasterAPI.testclient.TestClient if fw is FasterAPI else fastapi.testclient.TestClient
    )
    with client_class(app) as client:
        assert client.get("/").json() is True
        with client.websocket_connect("/ws") as websocket:
            assert websocket.receive_json() is True
    gc.collect()
    assert [ref() for ref in refs] == [None, None]
