"""Response models convert return values by pydantic's lax rules, as FastAPI does.

The expected answers were taken from FastAPI (pydantic 2) for the same endpoints: ``True`` is
an int, ``"5"`` is an int, ``1`` is a float, ``"yes"`` is a bool; a float with a fraction is
not an int and an int is not a str (500, ``ResponseValidationError``).
"""

from __future__ import annotations

import enum
from typing import Any

import msgspec
import pytest

from FasterAPI import Faster, TestClient


class Color(enum.StrEnum):
    RED = "red"


class Item(msgspec.Struct):
    count: int
    price: float
    active: bool


CASES: list[tuple[Any, Any, int, str]] = [
    (dict[str, str], {"status": "ok"}, 200, '{"status":"ok"}'),
    (dict[str, str], {"status": 1}, 500, "Internal Server Error"),
    (dict[str, str], {"c": Color.RED}, 200, '{"c":"red"}'),
    (dict[str, int], {"n": "5"}, 200, '{"n":5}'),
    (dict[str, int], {"n": True}, 200, '{"n":1}'),
    (dict[str, int], {"n": 1.0}, 200, '{"n":1}'),
    (dict[str, int], {"n": 1.5}, 500, "Internal Server Error"),
    (dict[str, int], {"n": " 7 "}, 200, '{"n":7}'),
    (dict[str, float], {"x": 1}, 200, '{"x":1.0}'),
    (dict[str, bool], {"a": 1, "b": "yes", "c": "off"}, 200, '{"a":true,"b":true,"c":false}'),
    (dict[str, bool], {"a": 2}, 500, "Internal Server Error"),
    (dict[str, Any], {1: "a"}, 500, "Internal Server Error"),
    (dict[str, int | None], {"n": None}, 200, '{"n":null}'),
    (dict[str, list[int]], {"a": [True, "3"]}, 200, '{"a":[1,3]}'),
    (list[int], [True, 2], 200, "[1,2]"),
    (list[int], (1, 2), 200, "[1,2]"),
    (list[float], [1, "2.5"], 200, "[1.0,2.5]"),
    (list[str], [1], 500, "Internal Server Error"),
    (int, True, 200, "1"),
    (float, 3, 200, "3.0"),
    (str, 5, 500, "Internal Server Error"),
    (bool, "true", 200, "true"),
    (
        Item,
        {"count": True, "price": 2, "active": "on"},
        200,
        '{"count":1,"price":2.0,"active":true}',
    ),
    (Item, {"count": 1.5, "price": 2, "active": True}, 500, "Internal Server Error"),
]


def endpoint_returning(annotation: Any, value: Any) -> Any:
    async def endpoint() -> Any:
        return value

    endpoint.__annotations__["return"] = annotation
    return endpoint


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = Faster(openapi_url=None)
    for index, (annotation, value, _, _) in enumerate(CASES):
        app.get(f"/case/{index}")(endpoint_returning(annotation, value))
    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize(
    ("index", "expected"),
    [(index, case[2:]) for index, case in enumerate(CASES)],
    ids=[f"{case[0]}-{case[1]!r}" for case in CASES],
)
def test_return_value_is_converted_like_fastapi(
    client: TestClient, index: int, expected: tuple[int, str]
) -> None:
    response = client.get(f"/case/{index}")
    assert (response.status_code, response.text) == expected
