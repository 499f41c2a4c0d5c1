"""Enum and Literal values are documented in declaration order (pydantic's, so FastAPI's), not
sorted (msgspec's): the order Swagger UI and generated clients show."""

import enum
from typing import Annotated, Any, Literal

import fastapi
import msgspec
from fastapi.testclient import TestClient as FastAPIClient

import FasterAPI
from FasterAPI.testclient import TestClient


class Priority(str, enum.Enum):
    low = "low"
    medium = "medium"
    high = "high"


class Level(enum.IntEnum):
    three = 3
    one = 1
    two = 2


class Task(msgspec.Struct):
    priority: Priority
    level: Level
    state: Literal["todo", "doing", "done"]
    tags: list[Literal["z", "a"]] = []


def build(fw: Any, app_cls: Any) -> Any:
    app = app_cls()

    @app.get("/tasks")
    def tasks(
        priority: Priority,
        level: Level = Level.one,
        state: Literal["todo", "doing", "done"] = "todo",
        kinds: Annotated[list[Literal["z", "a"]], fw.Query()] = [],  # noqa: B006
    ) -> dict[str, str]:
        return {}

    return app


def test_parameters_match_fastapi() -> None:
    ours = TestClient(build(FasterAPI, FasterAPI.Faster)).get("/openapi.json").json()
    theirs = FastAPIClient(build(fastapi, fastapi.FastAPI)).get("/openapi.json").json()
    assert ours["paths"] == theirs["paths"]
    assert ours["components"]["schemas"]["Priority"] == theirs["components"]["schemas"]["Priority"]
    assert ours["components"]["schemas"]["Priority"]["enum"] == ["low", "medium", "high"]
    assert ours["components"]["schemas"]["Level"]["enum"] == [3, 1, 2]


def test_struct_fields_keep_the_declared_order() -> None:
    app = FasterAPI.Faster()

    @app.post("/tasks")
    def create(task: Task) -> Task:
        return task

    schemas = TestClient(app).get("/openapi.json").json()["components"]["schemas"]
    assert schemas["Priority"]["enum"] == ["low", "medium", "high"]
    assert schemas["Level"]["enum"] == [3, 1, 2]
    properties = schemas["Task"]["properties"]
    assert properties["state"]["enum"] == ["todo", "doing", "done"]
    assert properties["tags"]["items"]["enum"] == ["z", "a"]
