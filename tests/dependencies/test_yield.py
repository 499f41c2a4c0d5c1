"""Dependencies with ``yield``: setup order, teardown after the response in reverse order, the
handler's exception seen (and translated) by the teardown code. Compared with FastAPI."""

import threading
from types import ModuleType
from typing import Any

import pytest
from fidelity import Pair

import FasterAPI
import FasterAPI.routing


class OwnError(Exception):
    pass


def make_app(fw: ModuleType) -> Any:
    Depends, HTTPException = fw.Depends, fw.HTTPException
    log: list[str] = []

    async def a() -> Any:
        log.append("a:setup")
        try:
            yield "A"
        except OwnError as exc:
            log.append(f"a:caught {exc}")
            raise HTTPException(status_code=409, detail=f"translated {exc}") from exc
        finally:
            log.append("a:teardown")

    def b(value_a: str = Depends(a)) -> Any:
        log.append("b:setup")
        try:
            yield value_a + "B"
        except HTTPException as exc:
            log.append(f"b:saw {exc.status_code}")
            raise
        finally:
            log.append("b:teardown")

    async def c(value_b: str = Depends(b)) -> Any:
        log.append("c:setup")
        yield value_b + "C"
        log.append("c:teardown")

    app = fw.FastAPI()

    @app.get("/ok")
    def ok(value: str = Depends(c), again: str = Depends(b)) -> Any:
        log.append("handler")
        return {"value": value, "again": again}

    @app.get("/own-error")
    def own_error(value: str = Depends(c)) -> Any:
        log.append("handler")
        raise OwnError("boom")

    @app.get("/http-error")
    async def http_error(value: str = Depends(c)) -> Any:
        log.append("handler")
        raise HTTPException(status_code=404, detail="nope")

    @app.get("/log")
    def read_log() -> Any:
        out = list(log)
        log.clear()
        return out

    return app


@pytest.fixture
def app_pair(pair: Any) -> Pair:
    return pair(make_app)


def test_setup_and_reverse_teardown(app_pair: Pair) -> None:
    assert app_pair.get("/ok").json() == {"value": "ABC", "again": "AB"}
    assert app_pair.get("/log").json() == [
        "a:setup",
        "b:setup",
        "c:setup",
        "handler",
        "c:teardown",
        "b:teardown",
        "a:teardown",
    ]


def test_teardown_translates_handler_exception(app_pair: Pair) -> None:
    response = app_pair.get("/own-error")
    assert response.status_code == 409
    assert response.json() == {"detail": "translated boom"}
    app_pair.get("/log")


def test_teardown_sees_http_exception(app_pair: Pair) -> None:
    assert app_pair.get("/http-error").status_code == 404
    app_pair.get("/log")


@pytest.mark.anyio
async def test_teardown_runs_after_the_response_is_sent() -> None:
    events: list[str] = []

    async def resource() -> Any:
        yield "r"
        events.append("teardown")

    def sync_resource() -> Any:
        yield "s"
        events.append("sync teardown")

    app = FasterAPI.Faster()

    @app.get("/r")
    async def read(
        r: str = FasterAPI.Depends(resource), s: str = FasterAPI.Depends(sync_resource)
    ) -> Any:
        events.append("handler")
        return {"r": r, "s": s}

    async def receive() -> Any:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        events.append(message["type"])

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/r",
        "raw_path": b"/r",
        "root_path": "",
        "query_string": b"",
        "headers": [],
        "client": ("c", 1),
        "server": ("s", 80),
        "app": app,
    }
    await app(scope, receive, send)
    assert events == [
        "handler",
        "http.response.start",
        "http.response.body",
        "sync teardown",
        "teardown",
    ]


def test_sync_generator_runs_in_threadpool() -> None:
    app = FasterAPI.Faster()
    threads: dict[str, int] = {}

    def sync_gen() -> Any:
        threads["setup"] = threading.get_ident()
        yield
        threads["teardown"] = threading.get_ident()

    @app.get("/t")
    async def t(_: None = FasterAPI.Depends(sync_gen)) -> Any:
        threads["handler"] = threading.get_ident()
        return {}

    assert FasterAPI.TestClient(app).get("/t").status_code == 200
    assert threads["setup"] != threads["handler"]
    assert threads["teardown"] != threads["handler"]


@pytest.mark.parametrize("framework", ["fasterapi", "fastapi"])
def test_background_tasks_run_before_teardown(framework: str) -> None:
    """FastAPI's order: response, background tasks, then the yield dependencies' teardown
    (a task may still use what the dependency opened)."""
    import fastapi
    import fastapi.testclient

    fw = FasterAPI if framework == "fasterapi" else fastapi
    app = FasterAPI.Faster() if framework == "fasterapi" else fastapi.FastAPI()
    order: list[str] = []

    async def dep() -> Any:
        order.append("setup")
        yield "resource"
        order.append("teardown")

    @app.get("/bg")
    async def bg(tasks: fw.BackgroundTasks, resource: str = fw.Depends(dep)) -> Any:
        tasks.add_task(order.append, f"task uses {resource}")
        return {}

    client_cls = FasterAPI.TestClient if framework == "fasterapi" else fastapi.testclient.TestClient
    assert client_cls(app).get("/bg").status_code == 200
    assert order == ["setup", "task uses resource", "teardown"]


def test_error_in_dependency_params_skips_generator() -> None:
    app = FasterAPI.Faster()
    started: list[int] = []

    async def dep(n: int) -> Any:
        started.append(n)
        yield n

    @app.get("/p")
    async def p(v: int = FasterAPI.Depends(dep)) -> Any:
        return v

    client = FasterAPI.TestClient(app)
    assert client.get("/p?n=x").status_code == 422
    assert client.get("/p?n=3").json() == 3
    assert started == [3]


@pytest.mark.parametrize("route_class", ["default", "custom"])
def test_a_dependency_swallowing_the_exception_is_a_500_that_says_why(
    route_class: str, caplog: pytest.LogCaptureFixture
) -> None:
    """FastAPI answers 500 too (its 'Response not awaited' error); the log says what to fix."""

    class Custom(FasterAPI.routing.APIRoute):
        def get_route_handler(self) -> Any:
            return super().get_route_handler()

    app = FasterAPI.Faster()
    if route_class == "custom":
        app.router.route_class = Custom

    swallowed: list[bool] = []

    async def swallowing() -> Any:
        try:
            yield "s"
        except Exception:  # the mistake this test is about: no re-raise
            swallowed.append(True)

    @app.get("/d")
    async def d(s: str = FasterAPI.Depends(swallowing)) -> Any:
        raise ValueError("lost")

    response = FasterAPI.TestClient(app, raise_server_exceptions=False).get("/d")
    assert (response.status_code, response.text) == (500, "Internal Server Error")
    assert "caught the exception in an 'except' block without raising it again" in caplog.text
    assert swallowed == [True]
