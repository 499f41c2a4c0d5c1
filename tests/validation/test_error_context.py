"""The text of a validation error names its endpoint as FastAPI 0.165's does (file, line,
function, ``METHOD /path`` with a mount's prefix): request, response and WebSocket errors, in an
application and in a mounted one. The same app runs on both frameworks; the texts must match."""

from types import ModuleType
from typing import Any

import fastapi
import fastapi.exceptions
import fastapi.testclient
import pytest
from pydantic import BaseModel

import FasterAPI
import FasterAPI.exceptions


class Item(BaseModel):
    id: int
    name: str


def make_app(fw: ModuleType, captured: list[BaseException]) -> Any:
    app, sub = fw.FastAPI(), fw.FastAPI()
    app.mount("/sub", sub)
    errors = fw.exceptions

    async def capture(_: Any, exc: Exception) -> Any:
        captured.append(exc)
        raise exc

    for each in (app, sub):
        each.add_exception_handler(errors.RequestValidationError, capture)
        each.add_exception_handler(errors.ResponseValidationError, capture)
        each.add_exception_handler(errors.WebSocketRequestValidationError, capture)

    @app.get("/users/{user_id}")
    def get_user(user_id: int) -> dict[str, int]:
        return {"user_id": user_id}  # pragma: no cover

    @app.get("/items/", response_model=Item)
    def get_item() -> Any:
        return {"name": "Widget"}

    @sub.get("/items/{item_id}", response_model=Item)
    def get_sub_item(item_id: int) -> Any:
        return {"name": "Widget"}

    WebSocket = fw.WebSocket

    @app.websocket("/ws/{item_id}")
    async def websocket_endpoint(websocket: WebSocket, item_id: int) -> None:
        await websocket.accept()  # pragma: no cover

    return app


def error_text(fw: ModuleType, client_cls: Any, call: str, path: str) -> str:
    captured: list[BaseException] = []
    client = client_cls(make_app(fw, captured))
    try:
        if call == "ws":
            with client.websocket_connect(path):
                pass  # pragma: no cover
        else:
            client.get(path)
    except Exception:
        pass
    assert captured
    return str(captured[0])


@pytest.mark.parametrize(
    ("call", "path", "function", "named"),
    [
        ("get", "/users/invalid", "get_user", "GET /users/{user_id}"),
        ("get", "/items/", "get_item", "GET /items/"),
        ("get", "/sub/items/3", "get_sub_item", "GET /sub/items/{item_id}"),
        ("get", "/sub/items/x", "get_sub_item", "GET /sub/items/{item_id}"),
        ("ws", "/ws/invalid", "websocket_endpoint", "WS /ws/{item_id}"),
    ],
)
def test_error_text_names_the_endpoint(call: str, path: str, function: str, named: str) -> None:
    ours = error_text(FasterAPI, FasterAPI.TestClient, call, path)
    theirs = error_text(fastapi, fastapi.testclient.TestClient, call, path)
    # FastAPI caches the context by id(endpoint), which an endpoint of an earlier test may have
    # had: the errors are compared, then where our text says the endpoint is.
    assert ours.split("\n\n")[0] == theirs.split("\n\n")[0]
    assert ours.endswith(f", in {function}\n    {named}")
    assert f'\n\n  File "{__file__}", line ' in ours
