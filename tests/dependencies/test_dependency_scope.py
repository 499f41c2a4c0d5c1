"""``Depends(..., scope="function")``: a ``yield`` dependency torn down when the endpoint
returns, before the response is sent; ``"request"`` (the default) after it. The same apps run
on FastAPI, and the order of events must be the same."""

from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any

import fastapi
import fastapi.exceptions
import fastapi.responses
import fastapi.testclient
import pytest

import FasterAPI
import FasterAPI.exceptions
import FasterAPI.responses
import FasterAPI.testclient

FRAMEWORKS = {
    "fasterapi": (FasterAPI, FasterAPI.Faster, FasterAPI.responses, FasterAPI.testclient),
    "fastapi": (fastapi, fastapi.FastAPI, fastapi.responses, fastapi.testclient),
}


def build(name: str, events: list[str]) -> Any:
    fw, app_cls, responses, _ = FRAMEWORKS[name]
    app = app_cls()

    async def function_scoped() -> AsyncIterator[str]:
        events.append("function: enter")
        try:
            yield "f"
        except Exception as exc:
            events.append(f"function: saw {type(exc).__name__}")
            raise
        finally:
            events.append("function: exit")

    def sync_function_scoped() -> Iterator[str]:
        events.append("sync function: enter")
        yield "s"
        events.append("sync function: exit")

    async def request_scoped() -> AsyncIterator[str]:
        events.append("request: enter")
        yield "r"
        events.append("request: exit")

    def body() -> Iterator[bytes]:
        events.append("response body")
        yield b"streamed"

    @app.get("/stream")
    async def stream(
        f: Annotated[str, fw.Depends(function_scoped, scope="function")],
        s: Annotated[str, fw.Depends(sync_function_scoped, scope="function")],
        r: Annotated[str, fw.Depends(request_scoped)],
    ) -> Any:
        events.append(f"endpoint {f}{s}{r}")
        return responses.StreamingResponse(body())

    @app.get("/json")
    def json(
        f: Annotated[str, fw.Depends(function_scoped, scope="function")],
        r: Annotated[str, fw.Depends(request_scoped, scope="request")],
    ) -> dict[str, str]:
        events.append("endpoint")
        return {"f": f, "r": r}

    @app.get("/fails")
    async def fails(f: Annotated[str, fw.Depends(function_scoped, scope="function")]) -> None:
        events.append("endpoint raises")
        raise fw.HTTPException(status_code=409, detail="conflict")

    @app.websocket("/ws")
    async def socket(
        websocket: fw.WebSocket,
        f: Annotated[str, fw.Depends(function_scoped, scope="function")],
        r: Annotated[str, fw.Depends(request_scoped)],
    ) -> None:
        await websocket.accept()
        await websocket.send_text(f + r)
        await websocket.close()
        events.append("socket closed")

    return app


def run(name: str, path: str) -> tuple[list[str], Any]:
    events: list[str] = []
    client = FRAMEWORKS[name][3].TestClient(build(name, events))
    if path == "/ws":
        with client.websocket_connect("/ws") as websocket:
            answer: Any = websocket.receive_text()
        return events, answer
    response = client.get(path)
    return events, (response.status_code, response.text)


@pytest.mark.parametrize("path", ["/stream", "/json", "/fails", "/ws"])
def test_teardown_order_matches_fastapi(path: str) -> None:
    assert run("fasterapi", path) == run("fastapi", path)


def test_function_scope_is_torn_down_before_the_response_body() -> None:
    events, answer = run("fasterapi", "/stream")
    assert answer == (200, "streamed")
    assert events == [
        "function: enter",
        "sync function: enter",
        "request: enter",
        "endpoint fsr",
        "sync function: exit",
        "function: exit",
        "response body",
        "request: exit",
    ]


def test_function_scope_sees_the_endpoints_exception() -> None:
    events, answer = run("fasterapi", "/fails")
    assert answer == (409, '{"detail":"conflict"}')
    assert events == [
        "function: enter",
        "endpoint raises",
        "function: saw HTTPException",
        "function: exit",
    ]


@pytest.mark.parametrize("name", ["fasterapi", "fastapi"])
def test_a_request_scoped_yield_dependency_cannot_use_a_function_scoped_one(name: str) -> None:
    fw, app_cls, _, _ = FRAMEWORKS[name]
    app = app_cls()

    def inner() -> Iterator[str]:
        yield "inner"

    def outer(value: Annotated[str, fw.Depends(inner, scope="function")]) -> Iterator[str]:
        yield value

    error = fw.exceptions.DependencyScopeError
    with pytest.raises(error) as caught:

        @app.get("/")
        def endpoint(value: Annotated[str, fw.Depends(outer)]) -> str:
            return value

    assert str(caught.value) == (
        'The dependency "outer" has a scope of "request", '
        'it cannot depend on dependencies with scope "function".'
    )


def test_a_function_scoped_yield_dependency_may_use_a_request_scoped_one() -> None:
    app = FasterAPI.Faster()
    events: list[str] = []

    def inner() -> Iterator[str]:
        yield "inner"
        events.append("inner exit")

    def outer(value: Annotated[str, FasterAPI.Depends(inner)]) -> Iterator[str]:
        yield value
        events.append("outer exit")

    @app.get("/")
    def endpoint(
        value: Annotated[str, FasterAPI.Depends(outer, scope="function")],
    ) -> FasterAPI.responses.PlainTextResponse:
        return FasterAPI.responses.PlainTextResponse(value)

    response = FasterAPI.testclient.TestClient(app).get("/")
    assert (response.status_code, response.text) == (200, "inner")
    assert events == ["outer exit", "inner exit"]


def test_an_unknown_scope_is_refused() -> None:
    with pytest.raises(ValueError, match='must be "function" or "request"'):
        FasterAPI.Depends(lambda: None, scope="session")  # type: ignore[arg-type]
