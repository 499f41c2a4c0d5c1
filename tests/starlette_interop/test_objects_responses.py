"""Starlette responses returned by endpoints, exception handlers and ``call_next`` middleware
(prometheus-fastapi-instrumentator's ``/metrics`` returns ``starlette.responses.Response``):
sent as they are, their background run, the same answers as FastAPI's."""

import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pydantic import BaseModel
from starlette import responses as starlette_responses
from starlette.background import BackgroundTask as StarletteBackgroundTask
from starlette.background import BackgroundTasks as StarletteBackgroundTasks
from starlette.requests import Request as StarletteRequest
from starlette.responses import Response as StarletteResponse
from twins import Twins, sub

HEADERS = (
    "content-type",
    "content-length",
    "location",
    "set-cookie",
    "x-sub",
    "x-handler",
    "x-middleware",
    "content-disposition",
    "accept-ranges",
)


class Model(BaseModel):
    name: str


@pytest.fixture(scope="module")
def file_path() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.txt"
        path.write_bytes(b"file content\n" * 10)
        yield str(path)


def returning_app(fw: ModuleType, file_path: str) -> Any:
    app = fw.FastAPI()

    @app.get("/json")
    async def json_response() -> Any:
        return starlette_responses.JSONResponse({"a": [1, 2]}, status_code=202)

    @app.get("/plain")
    def plain() -> Any:  # sync: the general handler
        return starlette_responses.PlainTextResponse("text", headers={"x-sub": "1"})

    @app.get("/metrics")
    async def metrics() -> StarletteResponse:
        return StarletteResponse(b"# HELP x\nx 1\n", media_type="text/plain; version=0.0.4")

    @app.get("/html", response_class=sub(fw, "responses").HTMLResponse)
    async def html() -> Any:
        return starlette_responses.HTMLResponse("<p>hi</p>")

    @app.get("/model", response_model=Model)
    async def model() -> Any:
        return starlette_responses.JSONResponse({"not": "the model"})

    @app.get("/redirect")
    async def redirect() -> Any:
        return starlette_responses.RedirectResponse("/json", status_code=303)

    @app.get("/stream")
    async def stream() -> Any:
        async def chunks() -> AsyncIterator[bytes]:
            for part in (b"one,", b"two,", b"three"):
                yield part

        return starlette_responses.StreamingResponse(chunks(), media_type="text/csv")

    @app.get("/file")
    async def file() -> Any:
        return starlette_responses.FileResponse(file_path, filename="data.txt")

    @app.get("/sub")
    async def with_sub(response: fw.Response) -> Any:  # type: ignore[name-defined]
        response.headers["x-sub"] = "not merged into a returned response"
        return starlette_responses.JSONResponse({"sub": True})

    @app.get("/query/{item_id}")
    async def query(item_id: int, q: str = "") -> Any:
        return starlette_responses.PlainTextResponse(f"{item_id}:{q}")

    @app.post("/body")
    async def body(item: Model) -> Any:
        return starlette_responses.PlainTextResponse(item.name)

    @app.get("/request")
    async def with_request(request: StarletteRequest) -> Any:
        return starlette_responses.PlainTextResponse(request.url.path)

    return app


@pytest.mark.parametrize(
    "url",
    [
        "/json",
        "/plain",
        "/metrics",
        "/html",
        "/model",
        "/redirect",
        "/stream",
        "/file",
        "/sub",
        "/query/3?q=x",
        "/query/x",
        "/request",
    ],
)
def test_returned_starlette_responses(url: str, file_path: str) -> None:
    twins = Twins(lambda fw: returning_app(fw, file_path), headers=HEADERS)
    answer = twins.get(url, follow_redirects=False)
    assert answer.status_code in (200, 202, 303, 422)
    # FasterAPI answers HEAD on GET routes (FastAPI: 405): the same status, no body
    head = twins.ours.head(url, follow_redirects=False)
    assert (head.status_code, head.content) == (answer.status_code, b"")


def test_returned_response_after_a_body(file_path: str) -> None:
    twins = Twins(lambda fw: returning_app(fw, file_path), headers=HEADERS)
    assert twins.post("/body", json={"name": "ada"}).text == "ada"
    twins.post("/body", json={"nom": "ada"})


def test_background_of_a_returned_response() -> None:
    events: dict[str, list[str]] = {}

    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI()
        log = events.setdefault(fw.__name__, [])

        @app.get("/own")
        async def own(tasks: fw.BackgroundTasks) -> Any:  # type: ignore[name-defined]
            tasks.add_task(log.append, "route tasks: not run, the response has its own")
            return starlette_responses.PlainTextResponse(
                "own", background=StarletteBackgroundTask(log.append, "own background")
            )

        @app.get("/adopted")
        async def adopted(tasks: fw.BackgroundTasks) -> Any:  # type: ignore[name-defined]
            tasks.add_task(log.append, "route tasks")
            return starlette_responses.PlainTextResponse("adopted")

        @app.get("/starlette-tasks")
        def starlette_tasks(tasks: StarletteBackgroundTasks) -> Any:
            tasks.add_task(log.append, "starlette tasks")
            return starlette_responses.PlainTextResponse("starlette")

        return app

    twins = Twins(app, headers=HEADERS)
    for url in ("/own", "/adopted", "/starlette-tasks"):
        twins.get(url)
    assert events["FasterAPI"] == events["fastapi"]
    assert events["FasterAPI"] == ["own background", "route tasks", "starlette tasks"]


def test_exception_handlers_and_middleware_returning_starlette_responses() -> None:
    class Teapot(Exception):
        pass

    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI()

        @app.exception_handler(Teapot)
        async def teapot(request: Any, exc: Teapot) -> Any:
            return starlette_responses.PlainTextResponse(
                "teapot", status_code=418, headers={"x-handler": "yes"}
            )

        @app.exception_handler(404)
        def missing(request: Any, exc: Any) -> Any:  # sync handler
            return starlette_responses.JSONResponse({"missing": request.url.path}, 404)

        @app.exception_handler(Exception)
        async def server_error(request: Any, exc: Exception) -> Any:
            return starlette_responses.PlainTextResponse(f"failed: {exc}", status_code=500)

        @app.get("/crash")
        async def crash() -> Any:
            raise RuntimeError("boom")

        @app.middleware("http")
        async def short_circuit(request: Any, call_next: Any) -> Any:
            if request.url.path == "/blocked":
                return starlette_responses.PlainTextResponse("blocked", status_code=403)
            response = await call_next(request)
            response.headers["x-middleware"] = "seen"
            return response

        @app.get("/teapot")
        async def raise_teapot() -> Any:
            raise Teapot()

        @app.get("/ok")
        async def ok() -> Any:
            return starlette_responses.PlainTextResponse("fine")

        return app

    twins = Twins(app, headers=HEADERS)
    assert twins.get("/teapot").status_code == 418
    assert twins.get("/nowhere").json() == {"missing": "/nowhere"}
    assert twins.get("/blocked").status_code == 403
    assert twins.get("/crash").text == "failed: boom"
    assert twins.get("/ok").headers["x-middleware"] == "seen"


def test_custom_route_class_returning_starlette_responses() -> None:
    def app(fw: ModuleType) -> Any:
        routing = __import__(f"{fw.__name__}.routing", fromlist=["APIRoute"])

        class Stamped(routing.APIRoute):  # type: ignore[misc,name-defined]
            def get_route_handler(self) -> Any:
                original = super().get_route_handler()

                async def handler(request: Any) -> Any:
                    response = await original(request)
                    response.headers["x-handler"] = type(response).__name__
                    return response

                return handler

        router = fw.APIRouter(route_class=Stamped)

        @router.get("/stamped")
        async def stamped() -> Any:
            return starlette_responses.PlainTextResponse("stamped")

        app = fw.FastAPI()
        app.include_router(router)
        return app

    twins = Twins(app, headers=HEADERS)
    assert twins.get("/stamped").headers["x-handler"] == "PlainTextResponse"
