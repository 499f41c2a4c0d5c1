"""Lifespans of routers merged as FastAPI 0.165 merges them (the including one's state wins
for a key yielded twice), and a sync generator function as ``lifespan=``; each application is
built on FastAPI and on FasterAPI and their lifespan state and events compared."""

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from types import ModuleType
from typing import Any

import fastapi
import fastapi.testclient
import pytest

import FasterAPI
import FasterAPI.testclient


def _state_lifespan(**state: Any) -> Callable[[Any], Any]:
    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[dict[str, Any]]:
        yield dict(state)

    return lifespan


def _nested(fw: ModuleType) -> Any:
    inner = fw.APIRouter(lifespan=_state_lifespan(inner=True, overridden="inner"))
    outer = fw.APIRouter(lifespan=_state_lifespan(outer=True, overridden="outer"))
    outer.include_router(inner)
    other = fw.APIRouter(lifespan=_state_lifespan(other=True, overridden="other"))
    app = fw.FastAPI(lifespan=_state_lifespan(app=True, overridden="app"))
    app.include_router(outer)
    app.include_router(other)
    return app


def _routers_only(fw: ModuleType) -> Any:
    first = fw.APIRouter(lifespan=_state_lifespan(overridden="first"))
    second = fw.APIRouter(lifespan=_state_lifespan(overridden="second", second=1))
    app = fw.FastAPI()
    app.include_router(first)
    app.include_router(second)
    return app


def _state_of(fw: ModuleType, factory: Callable[[ModuleType], Any]) -> dict[str, Any]:
    client_module = FasterAPI.testclient if fw is FasterAPI else fastapi.testclient
    with client_module.TestClient(factory(fw)) as client:
        return dict(client.app_state)


@pytest.mark.parametrize("factory", [_nested, _routers_only])
def test_router_lifespan_state_merged_as_fastapi(factory: Callable[[ModuleType], Any]) -> None:
    ours = _state_of(FasterAPI, factory)
    assert ours == _state_of(fastapi, factory)
    assert ours["overridden"] in ("app", "first")


def _sync_generator_app(fw: ModuleType, events: list[str]) -> Any:
    def lifespan(app: Any) -> Iterator[dict[str, str]]:
        events.append("startup")
        yield {"kind": "sync"}
        events.append("shutdown")

    app = fw.FastAPI(lifespan=lifespan)
    request_class = fw.Request

    @app.get("/")
    def read(request: request_class) -> dict[str, str]:  # type: ignore[valid-type]
        return {"kind": request.state.kind}

    return app


@pytest.mark.parametrize("fw", [fastapi, FasterAPI], ids=["fastapi", "fasterapi"])
def test_sync_generator_lifespan_as_fastapi(fw: ModuleType) -> None:
    events: list[str] = []
    client_module = FasterAPI.testclient if fw is FasterAPI else fastapi.testclient
    with client_module.TestClient(_sync_generator_app(fw, events)) as client:
        assert events == ["startup"]
        response = client.get("/")
        assert (response.status_code, response.json()) == (200, {"kind": "sync"})
    assert events == ["startup", "shutdown"]
