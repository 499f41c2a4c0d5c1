"""``Depends(..., max_concurrency=N)`` (FastAPI's): at most N requests run the dependency at
once, the others wait; a ``yield`` dependency holds its place until torn down. Concurrent
requests are driven through the ASGI interface of both frameworks."""

from collections.abc import AsyncIterator
from typing import Annotated, Any

import anyio
import fastapi
import pytest
from asgi_support import http_scope

import FasterAPI


def build(fw: Any, app_cls: Any, limit: int | None) -> tuple[Any, dict[str, int]]:
    stats = {"active": 0, "peak": 0}
    app = app_cls()

    async def enter() -> None:
        stats["active"] += 1
        stats["peak"] = max(stats["peak"], stats["active"])
        await anyio.sleep(0.02)

    async def plain() -> str:
        await enter()
        stats["active"] -= 1
        return "plain"

    async def held() -> AsyncIterator[str]:
        await enter()
        yield "held"
        stats["active"] -= 1

    @app.get("/plain")
    async def use_plain(v: Annotated[str, fw.Depends(plain, max_concurrency=limit)]) -> str:
        return v

    @app.get("/held")
    async def use_held(v: Annotated[str, fw.Depends(held, max_concurrency=limit)]) -> str:
        await anyio.sleep(0.01)
        return v

    return app, stats


async def run_concurrently(app: Any, path: str, count: int) -> list[int]:
    statuses: list[int] = []

    async def one() -> None:
        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                statuses.append(message["status"])

        await app(http_scope(path), receive, send)

    async with anyio.create_task_group() as group:
        for _ in range(count):
            group.start_soon(one)
    return statuses


@pytest.mark.parametrize("path", ["/plain", "/held"])
@pytest.mark.parametrize(("limit", "peak"), [(1, 1), (2, 2), (None, 4)])
@pytest.mark.parametrize("framework", ["fasterapi", "fastapi"])
def test_peak_concurrency(framework: str, path: str, limit: int | None, peak: int) -> None:
    fw, app_cls = (
        (FasterAPI, FasterAPI.Faster)
        if framework == "fasterapi"
        else (
            fastapi,
            fastapi.FastAPI,
        )
    )
    app, stats = build(fw, app_cls, limit)
    statuses = anyio.run(run_concurrently, app, path, 4)
    assert statuses == [200] * 4
    assert stats["peak"] == peak
    assert stats["active"] == 0


@pytest.mark.parametrize("value", [0, -1, 1.5, True])
def test_a_bad_limit_is_refused(value: Any) -> None:
    with pytest.raises(ValueError, match="positive integer"):
        FasterAPI.Depends(lambda: None, max_concurrency=value)
