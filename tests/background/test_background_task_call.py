"""Each task of a ``BackgroundTasks`` is run by calling it, as Starlette (under FastAPI) runs
it: a ``BackgroundTask`` subclass's ``__call__`` runs around the task, and a plugin that patches
``BackgroundTask.__call__`` (opentelemetry-instrumentation-fastapi does) sees every task but not
the ``BackgroundTasks`` itself, which has its own ``__call__``. Compared with FastAPI."""

from collections.abc import Iterator
from typing import Any

import fastapi
import fastapi.responses
import fastapi.testclient
import pytest
import starlette.background

import FasterAPI
import FasterAPI.background
import FasterAPI.responses
import FasterAPI.testclient

KINDS: dict[str, Any] = {
    "fastapi": (
        fastapi,
        starlette.background.BackgroundTask,
        fastapi.responses,
        fastapi.testclient,
    ),
    "fasterapi": (
        FasterAPI,
        FasterAPI.background.BackgroundTask,
        FasterAPI.responses,
        FasterAPI.testclient,
    ),
}


@pytest.fixture
def patched_calls() -> Iterator[list[str]]:
    """``BackgroundTask.__call__`` of both frameworks patched, as a tracing plugin does."""
    seen: list[str] = []
    originals = {}
    for _, task_class, _, _ in KINDS.values():
        original = originals[task_class] = task_class.__call__

        async def traced(self: Any, _original: Any = original) -> None:
            seen.append(f"patched {getattr(self.func, '__name__', type(self.func).__name__)}")
            await _original(self)

        task_class.__call__ = traced
    yield seen
    for task_class, original in originals.items():
        task_class.__call__ = original


def _run(name: str, seen: list[str]) -> list[str]:
    fw, task_class, responses, testclient = KINDS[name]
    app = fw.FastAPI() if name == "fastapi" else fw.Faster()

    class Announced(task_class):  # type: ignore[misc,valid-type]
        async def __call__(self) -> None:
            seen.append("before")
            await super().__call__()
            seen.append("after")

    def record(value: str) -> None:
        seen.append(value)

    @app.get("/")
    async def endpoint() -> Any:
        tasks = fw.BackgroundTasks([Announced(record, "custom")])
        tasks.add_task(record, "added")
        return responses.JSONResponse("ok", background=tasks)

    assert testclient.TestClient(app).get("/").json() == "ok"
    found = list(seen)
    seen.clear()
    return found


def test_tasks_are_called_as_starlette_calls_them(patched_calls: list[str]) -> None:
    expected = _run("fastapi", patched_calls)
    assert expected == ["before", "patched record", "custom", "after", "patched record", "added"]
    assert _run("fasterapi", patched_calls) == expected
