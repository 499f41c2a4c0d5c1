"""A failing background task, as in FastAPI 0.165 (Starlette's ``BackgroundTasks``): the tasks
run in order, the first one that raises stops the run (the next ones do not run) and its
exception propagates out of the application after the response was sent. The test client
re-raises it (``raise_server_exceptions=True``) or hands back the response unchanged; a
``yield`` dependency's teardown sees it. Every case is run on FastAPI and on FasterAPI and the
outcomes must be equal."""

from collections.abc import AsyncIterator, Iterator
from types import ModuleType
from typing import Any

import anyio
import fastapi
import fastapi.responses
import fastapi.testclient
import pytest
import starlette.background

import FasterAPI
import FasterAPI.background
import FasterAPI.responses
import FasterAPI.testclient

FRAMEWORKS: dict[str, tuple[ModuleType, Any, ModuleType, Any]] = {
    "fastapi": (
        fastapi,
        starlette.background.BackgroundTask,
        fastapi.responses,
        fastapi.testclient.TestClient,
    ),
    "fasterapi": (
        FasterAPI,
        FasterAPI.background.BackgroundTask,
        FasterAPI.responses,
        FasterAPI.testclient.TestClient,
    ),
}

PATHS = [
    "/async-endpoint",  # an async endpoint with a BackgroundTasks parameter
    "/sync-endpoint",  # a sync endpoint (thread pool) with a BackgroundTasks parameter
    "/from-dependency",  # the failing task added by a dependency, the next by the endpoint
    "/with-yield",  # a yield dependency around: its teardown sees the exception
    "/response-tasks",  # JSONResponse(background=BackgroundTasks([...]))
    "/response-task",  # PlainTextResponse(background=BackgroundTask(...)): a single task
    "/streaming",  # StreamingResponse(background=...)
    "/file",  # FileResponse(background=...)
    "/route-and-response",  # the endpoint's tasks on a returned response without background
    "/http-exception",  # the task raises HTTPException(503): handled too late
]


class ChargeFailed(Exception):
    """The first task's failure."""


def make_app(name: str, sync_task: bool, middleware: bool = False) -> tuple[Any, list[str]]:
    """An app whose routes queue a failing task then a task that records that it ran (with
    ``middleware``, under an ``@app.middleware("http")`` calling ``call_next``)."""
    fw, BackgroundTask, responses, _ = FRAMEWORKS[name]
    BackgroundTasks, Depends = fw.BackgroundTasks, fw.Depends
    log: list[str] = []

    def charge() -> None:
        log.append("charge")
        raise ChargeFailed("card declined")

    async def async_charge() -> None:
        await anyio.sleep(0.001)  # a task that awaits: not cancelled under call_next middleware
        charge()

    def refuse() -> None:
        log.append("refuse")
        raise fw.HTTPException(503, "unavailable")

    failing = charge if sync_task else async_charge

    def receipt() -> None:
        log.append("receipt")

    app = fw.FastAPI()
    if middleware:

        @app.middleware("http")
        async def around(request: Any, call_next: Any) -> Any:
            log.append("middleware")
            return await call_next(request)

    @app.get("/async-endpoint")
    async def async_endpoint(tasks: BackgroundTasks) -> Any:
        tasks.add_task(failing)
        tasks.add_task(receipt)
        return {"queued": 2}

    @app.get("/sync-endpoint")
    def sync_endpoint(tasks: BackgroundTasks) -> Any:
        tasks.add_task(failing)
        tasks.add_task(receipt)
        return {"queued": 2}

    def add_failing(tasks: BackgroundTasks) -> None:
        tasks.add_task(failing)

    @app.get("/from-dependency", dependencies=[Depends(add_failing)])
    async def from_dependency(tasks: BackgroundTasks) -> Any:
        tasks.add_task(receipt)
        return {"queued": 2}

    async def session() -> AsyncIterator[str]:
        log.append("open")
        try:
            yield "session"
        except Exception as exc:
            log.append(f"teardown saw {type(exc).__name__}")
            raise
        finally:
            log.append("close")

    @app.get("/with-yield")
    async def with_yield(tasks: BackgroundTasks, db: str = Depends(session)) -> Any:
        tasks.add_task(failing)
        tasks.add_task(receipt)
        return {"db": db}

    @app.get("/response-tasks")
    async def response_tasks() -> Any:
        tasks = BackgroundTasks()
        tasks.add_task(failing)
        tasks.add_task(receipt)
        return responses.JSONResponse({"queued": 2}, background=tasks)

    @app.get("/response-task")
    async def response_task() -> Any:
        return responses.PlainTextResponse("one", background=BackgroundTask(failing))

    @app.get("/streaming")
    async def streaming(tasks: BackgroundTasks) -> Any:
        tasks.add_task(failing)
        tasks.add_task(receipt)

        async def parts() -> AsyncIterator[bytes]:
            yield b"a"
            yield b"b"

        return responses.StreamingResponse(parts(), media_type="text/plain", background=tasks)

    @app.get("/file")
    async def file(tasks: BackgroundTasks) -> Any:
        tasks.add_task(failing)
        tasks.add_task(receipt)
        return responses.FileResponse(__file__, media_type="text/plain", background=tasks)

    @app.get("/route-and-response")
    def route_and_response(tasks: BackgroundTasks) -> Any:
        tasks.add_task(failing)
        tasks.add_task(receipt)
        return responses.PlainTextResponse("text")

    @app.get("/http-exception")
    async def http_exception(tasks: BackgroundTasks) -> Any:
        tasks.add_task(refuse)
        tasks.add_task(receipt)
        return {"queued": 2}

    return app, log


def _raised(name: str, path: str, sync_task: bool, middleware: bool = False) -> tuple[Any, ...]:
    app, log = make_app(name, sync_task, middleware)
    client = FRAMEWORKS[name][3](app)  # raise_server_exceptions=True
    with pytest.raises(Exception) as caught:
        client.get(path)
    exc = caught.value
    cause = exc.__cause__
    return (
        type(exc).__name__,
        str(exc),
        None if cause is None else (type(cause).__name__, getattr(cause, "status_code", None)),
        log,
    )


def _answered(name: str, path: str, sync_task: bool, middleware: bool) -> tuple[Any, ...]:
    app, log = make_app(name, sync_task, middleware)
    client = FRAMEWORKS[name][3](app, raise_server_exceptions=False)
    response = client.get(path)
    headers = {k: v for k, v in response.headers.items() if k not in ("date", "etag")}
    again = client.get(path)  # the app goes on serving
    return (response.status_code, headers, response.content, again.status_code, log)


@pytest.fixture(params=[False, True], ids=["async-task", "sync-task"])
def sync_task(request: pytest.FixtureRequest) -> Iterator[bool]:
    yield request.param


@pytest.fixture(params=[False, True], ids=["", "call-next"])
def middleware(request: pytest.FixtureRequest) -> Iterator[bool]:
    yield request.param


@pytest.mark.parametrize("path", PATHS)
def test_the_exception_reaches_the_test_client(
    path: str, sync_task: bool, middleware: bool
) -> None:
    expected = _raised("fastapi", path, sync_task, middleware)
    assert _raised("fasterapi", path, sync_task, middleware) == expected
    # the drop-in rule itself, spelled out: the run stops at the failing task
    assert "receipt" not in expected[3]


def test_the_exception_and_its_order_spelled_out() -> None:
    """The observable contract on FasterAPI alone, so a change on both sides is noticed."""
    assert _raised("fasterapi", "/with-yield", True) == (
        "ChargeFailed",
        "card declined",
        None,
        ["open", "charge", "teardown saw ChargeFailed", "close"],
    )
    assert _raised("fasterapi", "/http-exception", False) == (
        "RuntimeError",
        "Caught handled exception, but response already started.",
        ("HTTPException", 503),
        ["refuse"],
    )
    # an awaiting task under call_next middleware runs (to its failure), not cancelled
    assert _raised("fasterapi", "/async-endpoint", False, middleware=True) == (
        "ChargeFailed",
        "card declined",
        None,
        ["middleware", "charge"],
    )


@pytest.mark.parametrize("path", PATHS)
def test_the_response_is_unchanged_without_raise_server_exceptions(
    path: str, sync_task: bool, middleware: bool
) -> None:
    expected = _answered("fastapi", path, sync_task, middleware)
    assert _answered("fasterapi", path, sync_task, middleware) == expected
    assert expected[0] == 200 and expected[3] == 200
    assert "receipt" not in expected[4]


@pytest.mark.parametrize("name", list(FRAMEWORKS))
def test_a_background_task_object_run_directly_stops_at_the_failure(name: str) -> None:
    """``await tasks()`` outside a request: the exception propagates, the rest is not run."""
    fw, BackgroundTask, _, _ = FRAMEWORKS[name]
    ran: list[str] = []

    def fail() -> None:
        ran.append("fail")
        raise ChargeFailed("x")

    tasks = fw.BackgroundTasks([BackgroundTask(ran.append, "first")])
    tasks.add_task(fail)
    tasks.add_task(ran.append, "never")
    with pytest.raises(ChargeFailed):
        anyio.run(tasks)
    assert ran == ["first", "fail"]


@pytest.mark.parametrize("name", list(FRAMEWORKS))
def test_a_websocket_route_runs_no_background_task(name: str) -> None:
    """FastAPI solves a WebSocket route's ``BackgroundTasks`` but never runs them."""
    fw, _, _, TestClient = FRAMEWORKS[name]
    app = fw.FastAPI()
    ran: list[str] = []

    def fail() -> None:
        ran.append("fail")
        raise ChargeFailed("x")

    @app.websocket("/ws")
    async def ws(websocket: fw.WebSocket, tasks: fw.BackgroundTasks) -> None:
        tasks.add_task(fail)
        await websocket.accept()
        await websocket.send_text("hi")
        await websocket.close()

    with TestClient(app).websocket_connect("/ws") as session:
        assert session.receive_text() == "hi"
    assert ran == []
