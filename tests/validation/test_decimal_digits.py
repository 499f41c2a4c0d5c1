"""``max_digits`` and ``decimal_places`` on ``Query``/``Path``/``Body`` for ``Decimal``
parameters: counted and reported as pydantic does (the expected answers were taken from
FastAPI for the same endpoints)."""

from __future__ import annotations

import decimal
from typing import Annotated, Any

import pytest

from FasterAPI import Body, Faster, Path, Query, TestClient


def make_client() -> TestClient:
    app = Faster(openapi_url=None)

    @app.get("/query")
    async def query(
        d: Annotated[decimal.Decimal, Query(max_digits=4, decimal_places=2)],
    ) -> dict[str, str]:
        return {"d": str(d)}

    @app.get("/optional")
    async def optional(
        d: Annotated[decimal.Decimal | None, Query(max_digits=3)] = None,
    ) -> dict[str, str]:
        return {"d": str(d)}

    @app.get("/path/{d}")
    async def path(d: Annotated[decimal.Decimal, Path(max_digits=2)]) -> dict[str, str]:
        return {"d": str(d)}

    @app.post("/body")
    async def body(
        d: Annotated[decimal.Decimal, Body(embed=True, max_digits=5, decimal_places=2)],
    ) -> dict[str, str]:
        return {"d": str(d)}

    return TestClient(app)


def digits_error(kind: str, loc: list[str], value: Any, msg: str, ctx: dict[str, int]) -> Any:
    return {"detail": [{"type": kind, "loc": loc, "msg": msg, "input": value, "ctx": ctx}]}


ACCEPTED = [
    ("/query?d=12.34", "12.34"),
    ("/query?d=12.300", "12.300"),  # trailing zeros do not count
    ("/query?d=00012.34", "12.34"),  # nor do leading ones
    ("/optional?d=0.001", "0.001"),
    ("/optional?d=1e2", "1E+2"),
    ("/path/1E-2", "0.01"),
]


@pytest.mark.parametrize(("url", "value"), ACCEPTED)
def test_values_within_the_digit_limits_are_accepted(url: str, value: str) -> None:
    response = make_client().get(url)
    assert (response.status_code, response.json()) == (200, {"d": value})


def test_too_many_digits_in_total() -> None:
    response = make_client().get("/query?d=12.345")
    assert response.status_code == 422
    assert response.json() == digits_error(
        "decimal_max_digits",
        ["query", "d"],
        "12.345",
        "Decimal input should have no more than 4 digits in total",
        {"max_digits": 4},
    )
    response = make_client().get("/path/100")
    assert response.json() == digits_error(
        "decimal_max_digits",
        ["path", "d"],
        "100",
        "Decimal input should have no more than 2 digits in total",
        {"max_digits": 2},
    )


def test_too_many_digits_before_the_point() -> None:
    response = make_client().get("/query?d=123.4")
    assert response.status_code == 422
    assert response.json() == digits_error(
        "decimal_whole_digits",
        ["query", "d"],
        "123.4",
        "Decimal input should have no more than 2 digits before the decimal point",
        {"whole_digits": 2},
    )


def test_too_many_decimal_places_in_a_json_number() -> None:
    response = make_client().post("/body", json={"d": 12.345})
    assert response.status_code == 422
    assert response.json() == digits_error(
        "decimal_max_places",
        ["body", "d"],
        12.345,
        "Decimal input should have no more than 2 decimal places",
        {"decimal_places": 2},
    )
    assert make_client().post("/body", json={"d": "1.00000"}).json() == {"d": "1.00000"}


def test_not_a_finite_number_is_refused_first() -> None:
    response = make_client().get("/query?d=nan")
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "finite_number"
