"""BackgroundTasks as a parameter: after the response, shared with dependencies, sync tasks in
the threadpool, a failing task stopping the run without touching the response."""

import logging
import threading
from types import ModuleType
from typing import Any

import pytest
from fidelity import Pair

import FasterAPI


def make_app(fw: ModuleType) -> Any:
    Depends, BackgroundTasks = fw.Depends, fw.BackgroundTasks
    log: list[str] = []

    def write(message: str, suffix: str = "") -> None:
        log.append(message + suffix)

    async def awrite(message: str) -> None:
        log.append("async " + message)

    def from_dependency(tasks: BackgroundTasks, q: str = "none") -> str:
        tasks.add_task(write, f"dep {q}")
        return q

    app = fw.FastAPI()

    @app.post("/send/{email}", status_code=202)
    def send(email: str, tasks: BackgroundTasks, q: str = Depends(from_dependency)) -> Any:
        tasks.add_task(write, f"to {email}", suffix="!")
        tasks.add_task(awrite, email)
        return {"queued": len(tasks.tasks)}

    @app.get("/log")
    def read_log() -> Any:
        out = list(log)
        log.clear()
        return out

    return app


@pytest.fixture
def app_pair(pair: Any) -> Pair:
    return pair(make_app)


def test_tasks_from_handler_and_dependency_share_one_instance(app_pair: Pair) -> None:
    assert app_pair.post("/send/a@b.c?q=x").json() == {"queued": 3}
    assert app_pair.get("/log").json() == ["dep x", "to a@b.c!", "async a@b.c"]


def _scope(app: Any, path: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [],
        "client": ("c", 1),
        "server": ("s", 80),
        "app": app,
    }


@pytest.mark.anyio
async def test_tasks_run_after_the_response_sync_ones_in_threadpool() -> None:
    events: list[Any] = []
    app = FasterAPI.Faster()

    def sync_task() -> None:
        events.append(("sync", threading.get_ident()))

    async def async_task() -> None:
        events.append(("async", threading.get_ident()))

    @app.get("/t")
    async def t(tasks: FasterAPI.BackgroundTasks) -> Any:
        tasks.add_task(sync_task)
        tasks.add_task(async_task)
        events.append(("handler", threading.get_ident()))
        return {}

    async def receive() -> Any:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        events.append(message["type"])

    await app(_scope(app, "/t"), receive, send)
    loop_thread = events[0][1]
    assert events[1:3] == ["http.response.start", "http.response.body"]
    assert events[3][0] == "sync" and events[3][1] != loop_thread
    assert events[4] == ("async", loop_thread)


def test_failing_task_stops_the_run_and_response_unaffected(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """FastAPI's rule: the tasks after a failing one do not run; the error is the server's to
    log (re-raised out of the app), the response was already sent."""
    app = FasterAPI.Faster()
    ran: list[str] = []

    def broken() -> None:
        raise RuntimeError("task exploded")

    @app.get("/b")
    def b(tasks: FasterAPI.BackgroundTasks) -> Any:
        tasks.add_task(broken)
        tasks.add_task(ran.append, "after")
        return {"ok": True}

    client = FasterAPI.TestClient(app, raise_server_exceptions=False)
    with caplog.at_level(logging.ERROR):
        response = client.get("/b")
    assert (response.status_code, response.json()) == (200, {"ok": True})
    assert ran == []
    assert "RuntimeError: task exploded" in caplog.text
    assert client.get("/b").json() == {"ok": True}
    with pytest.raises(RuntimeError, match="task exploded"):
        FasterAPI.TestClient(app).get("/b")
    assert ran == []


def test_tasks_attach_to_a_returned_response() -> None:
    app = FasterAPI.Faster()
    ran: list[str] = []

    @app.get("/r")
    def r(tasks: FasterAPI.BackgroundTasks) -> Any:
        tasks.add_task(ran.append, "done")
        return FasterAPI.PlainTextResponse("text")

    response = FasterAPI.TestClient(app).get("/r")
    assert response.text == "text"
    assert ran == ["done"]
