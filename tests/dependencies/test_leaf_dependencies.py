"""Dependencies that take nothing from the request (solved without the general solver):
caching, sync functions, router-level dependencies, overrides and parameter errors."""

import threading
from collections.abc import Awaitable, Callable
from typing import Annotated

from FasterAPI import Depends, Faster, FasterRouter, TestClient


def make_app(calls: list[str]) -> Faster:
    return make_app_and_dependency(calls)[0]


def make_app_and_dependency(calls: list[str]) -> tuple[Faster, Callable[[], Awaitable[int]]]:
    app = Faster(openapi_url=None)

    async def counter() -> int:
        calls.append("counter")
        return len(calls)

    def sync_thread_name() -> str:
        calls.append("sync")
        return threading.current_thread().name

    async def audit() -> None:
        calls.append("audit")

    @app.get("/cached")
    async def cached(
        a: Annotated[int, Depends(counter)], b: Annotated[int, Depends(counter)]
    ) -> dict[str, int]:
        return {"a": a, "b": b}

    @app.get("/uncached")
    async def uncached(
        a: Annotated[int, Depends(counter)],
        b: Annotated[int, Depends(counter, use_cache=False)],
    ) -> dict[str, int]:
        return {"a": a, "b": b}

    @app.get("/sync")
    async def sync(name: Annotated[str, Depends(sync_thread_name)]) -> dict[str, bool]:
        return {"in_main_thread": name == threading.main_thread().name}

    @app.get("/items/{item_id}")
    async def item(
        item_id: int, q: str, n: Annotated[int, Depends(counter)]
    ) -> dict[str, object]:
        return {"item_id": item_id, "q": q, "n": n}

    router = FasterRouter(dependencies=[Depends(audit)])

    @router.get("/audited")
    async def audited() -> dict[str, bool]:
        return {"ok": True}

    app.include_router(router)
    return app, counter


def test_a_dependency_used_twice_is_called_once() -> None:
    calls: list[str] = []
    response = TestClient(make_app(calls)).get("/cached")
    assert (response.status_code, response.json(), calls) == (200, {"a": 1, "b": 1}, ["counter"])


def test_use_cache_false_calls_again() -> None:
    calls: list[str] = []
    response = TestClient(make_app(calls)).get("/uncached")
    assert response.json() == {"a": 1, "b": 2}
    assert calls == ["counter", "counter"]


def test_sync_dependencies_run_in_the_threadpool() -> None:
    calls: list[str] = []
    response = TestClient(make_app(calls)).get("/sync")
    assert (response.status_code, response.json(), calls) == (
        200,
        {"in_main_thread": False},
        ["sync"],
    )


def test_router_dependencies_run_without_a_value() -> None:
    calls: list[str] = []
    response = TestClient(make_app(calls)).get("/audited")
    assert (response.status_code, response.json(), calls) == (200, {"ok": True}, ["audit"])


def test_handler_parameters_beside_leaf_dependencies() -> None:
    calls: list[str] = []
    client = TestClient(make_app(calls))
    response = client.get("/items/3", params={"q": "x"})
    assert (response.status_code, response.json()) == (200, {"item_id": 3, "q": "x", "n": 1})
    response = client.get("/items/three")
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "int_parsing",
                "loc": ["path", "item_id"],
                "msg": "Input should be a valid integer, unable to parse string as an integer",
                "input": "three",
            },
            {"type": "missing", "loc": ["query", "q"], "msg": "Field required", "input": None},
        ]
    }
    assert calls == ["counter", "counter"]  # dependencies run before parameters are checked


def test_overrides_replace_leaf_dependencies_and_can_take_parameters() -> None:
    calls: list[str] = []
    app, counter = make_app_and_dependency(calls)
    client = TestClient(app)

    async def fixed(q: str = "none") -> int:
        return 100 if q == "none" else 200

    app.dependency_overrides[counter] = fixed
    assert client.get("/cached").json() == {"a": 100, "b": 100}
    assert client.get("/items/1", params={"q": "given"}).json() == {
        "item_id": 1,
        "q": "given",
        "n": 200,
    }
    app.dependency_overrides.clear()
    assert client.get("/cached").json() == {"a": 1, "b": 1}
    assert calls == ["counter"]
