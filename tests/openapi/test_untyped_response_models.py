"""Routes whose response is declared untyped (``-> Any``, ``response_model=Any``, ``-> object``)
are documented as FastAPI documents them: a schema holding only the title FastAPI gives it, and
``route.response_model`` as FastAPI keeps it; no annotation (or ``-> None``) gives no model. The
values are sent unchecked, as on FastAPI. The same app on FastAPI and on FasterAPI."""

from types import ModuleType
from typing import Any

import fastapi
import fastapi.testclient
import pytest

import FasterAPI
import FasterAPI.testclient


def build(fw: ModuleType) -> Any:
    app = fw.FastAPI()

    @app.get("/annotated")
    def annotated() -> Any:
        return {"a": [1, "x", None]}

    @app.get("/explicit", response_model=Any)
    def explicit() -> dict[str, int]:
        return {"b": 2}

    @app.get("/object")
    def anything() -> object:
        return [1, 2]

    @app.get("/bare")
    def bare():  # type: ignore[no-untyped-def]
        return "bare"

    @app.get("/none")
    def none() -> None:
        return None

    return app


def record(fw: ModuleType) -> list[Any]:
    app = build(fw)
    client_class = (
        FasterAPI.testclient.TestClient if fw is FasterAPI else fastapi.testclient.TestClient
    )
    client = client_class(app)
    paths = app.openapi()["paths"]
    records: list[Any] = []
    for route in app.routes:
        if route.path in paths:
            response = client.get(route.path)
            records.append(
                (
                    route.path,
                    route.response_model,
                    paths[route.path]["get"]["responses"]["200"],
                    response.status_code,
                    response.json(),
                )
            )
    return records


def test_same_as_fastapi() -> None:
    assert record(FasterAPI) == record(fastapi)


@pytest.mark.parametrize("fw", [fastapi, FasterAPI], ids=["fastapi", "fasterapi"])
def test_documented_with_a_title_only(fw: ModuleType) -> None:
    records = {path: (model, doc) for path, model, doc, _, _ in record(fw)}
    assert records["/annotated"] == (
        Any,
        {
            "description": "Successful Response",
            "content": {
                "application/json": {"schema": {"title": "Response Annotated Annotated Get"}}
            },
        },
    )
    assert records["/bare"][0] is None
    assert records["/bare"][1]["content"]["application/json"]["schema"] == {}
