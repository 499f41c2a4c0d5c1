"""Names FastAPI code imports, beyond the documented API: ``fastapi.concurrency``,
``ORJSONResponse``/``UJSONResponse`` and ``WebSocketRequestValidationError``."""

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

import anyio
import pytest

from FasterAPI import Faster
from FasterAPI.concurrency import (
    contextmanager_in_threadpool,
    iterate_in_threadpool,
    run_in_threadpool,
)
from FasterAPI.exceptions import RequestValidationError, WebSocketRequestValidationError
from FasterAPI.responses import JSONResponse, ORJSONResponse, UJSONResponse
from FasterAPI.testclient import TestClient


def test_contextmanager_in_threadpool_enters_and_exits_in_threads() -> None:
    events: list[tuple[str, bool]] = []
    main = threading.get_ident()

    @contextlib.contextmanager
    def resource() -> Iterator[str]:
        events.append(("enter", threading.get_ident() != main))
        try:
            yield "r"
        except KeyError:
            events.append(("suppressed", threading.get_ident() != main))
        else:
            events.append(("exit", threading.get_ident() != main))

    async def use() -> list[Any]:
        async with contextmanager_in_threadpool(resource()) as value:
            first = value
        async with contextmanager_in_threadpool(resource()):
            raise KeyError("suppressed by the context manager")
        with pytest.raises(ValueError, match="kept"):
            async with contextmanager_in_threadpool(resource()):
                raise ValueError("kept")
        items = [item async for item in iterate_in_threadpool(iter([1, 2]))]
        return [first, items, await run_in_threadpool(sum, [1, 2, 3])]

    assert anyio.run(use) == ["r", [1, 2], 6]
    assert events == [
        ("enter", True),
        ("exit", True),
        ("enter", True),
        ("suppressed", True),
        ("enter", True),
    ]


@pytest.mark.parametrize("response_class", [ORJSONResponse, UJSONResponse])
def test_orjson_and_ujson_responses_encode_json(response_class: type[JSONResponse]) -> None:
    app = Faster(default_response_class=response_class)

    @app.get("/data")
    def data() -> dict[int, list[float]]:
        return {1: [1.5], 2: []}

    @app.get("/direct")
    def direct() -> JSONResponse:
        return response_class({"a": None}, status_code=202)

    client = TestClient(app)
    response = client.get("/data")
    assert (response.status_code, response.headers["content-type"], response.content) == (
        200,
        "application/json",
        b'{"1":[1.5],"2":[]}',
    )
    direct_response = client.get("/direct")
    assert (direct_response.status_code, direct_response.json()) == (202, {"a": None})


def test_websocket_validation_error_is_importable_from_exceptions() -> None:
    assert issubclass(WebSocketRequestValidationError, RequestValidationError)
