"""Dates, datetimes and times read from text (query, path, header, JSON strings) and numbers by
pydantic's lax rules, as FastAPI reads them (the expected answers were taken from FastAPI):
RFC 3339 only (not the compact ISO forms ``datetime.fromisoformat`` also takes), unix
timestamps (milliseconds past 2e10), and a date from a datetime only at exactly midnight."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import pytest

from FasterAPI import Body, Faster, TestClient


def make_client() -> TestClient:
    app = Faster(openapi_url=None)

    @app.get("/date")
    async def date(d: dt.date) -> dict[str, str]:
        return {"d": d.isoformat()}

    @app.post("/date")
    async def date_body(d: Annotated[dt.date, Body(embed=True)]) -> dict[str, str]:
        return {"d": d.isoformat()}

    @app.get("/datetime")
    async def datetime(d: dt.datetime) -> dict[str, str]:
        return {"d": d.isoformat()}

    @app.get("/time")
    async def time(d: dt.time) -> dict[str, str]:
        return {"d": d.isoformat()}

    return TestClient(app)


CASES: list[tuple[str, str, int, str]] = [
    ("/date", "2024-02-03", 200, "2024-02-03"),
    ("/date", "2024-02-03T00:00:00", 200, "2024-02-03"),
    ("/date", "2024-02-03T00:00", 200, "2024-02-03"),
    ("/date", "2024-02-03 00:00:00", 200, "2024-02-03"),
    ("/date", "2024-02-03T00:00:00Z", 200, "2024-02-03"),
    ("/date", "2024-02-03T00:00:00+02:00", 200, "2024-02-03"),
    ("/date", "2024-02-03T00:00:00.000", 200, "2024-02-03"),
    ("/date", "1706918400", 200, "2024-02-03"),
    ("/date", "2024-02-03T10:00:00", 422, "date_from_datetime_inexact"),
    ("/date", "2024-02-03T00:00:01", 422, "date_from_datetime_inexact"),
    ("/date", "20240203", 422, "date_from_datetime_inexact"),  # a timestamp, not a date
    ("/date", "2024-02-30T00:00:00", 422, "date_from_datetime_parsing"),
    ("/date", "2024-02-3", 422, "date_from_datetime_parsing"),
    ("/datetime", "2024-02-03", 200, "2024-02-03T00:00:00"),
    ("/datetime", "2024-02-03T10:20", 200, "2024-02-03T10:20:00"),
    ("/datetime", "2024-02-03 10:20:30", 200, "2024-02-03T10:20:30"),
    ("/datetime", "2024-02-03t10:20:30", 200, "2024-02-03T10:20:30"),
    ("/datetime", "2024-02-03T10:20:30z", 200, "2024-02-03T10:20:30+00:00"),
    ("/datetime", "2024-02-03T10:20:30+0200", 200, "2024-02-03T10:20:30+02:00"),
    ("/datetime", "2024-02-03T10:20:30.123456", 200, "2024-02-03T10:20:30.123456"),
    ("/datetime", "1706918400", 200, "2024-02-03T00:00:00+00:00"),
    ("/datetime", "1706918400.5", 200, "2024-02-03T00:00:00.500000+00:00"),
    ("/datetime", "1706918400000", 200, "2024-02-03T00:00:00+00:00"),  # milliseconds
    ("/datetime", "20240203T102030", 422, "datetime_from_date_parsing"),
    ("/datetime", "2024-02-03T10", 422, "datetime_from_date_parsing"),
    ("/datetime", "2024-02-03T24:00:00", 422, "datetime_from_date_parsing"),
    ("/time", "10:20", 200, "10:20:00"),
    ("/time", "10:20:30.5", 200, "10:20:30.500000"),
    ("/time", "10:20:30+02:00", 200, "10:20:30+02:00"),
    ("/time", "1020", 422, "time_parsing"),
    ("/time", "102030", 422, "time_parsing"),
    ("/time", "10", 422, "time_parsing"),
    ("/time", "25:00", 422, "time_parsing"),
]


@pytest.mark.parametrize(("path", "text", "status", "expected"), CASES)
def test_text_is_read_like_fastapi(path: str, text: str, status: int, expected: str) -> None:
    response = make_client().get(path, params={"d": text})
    assert response.status_code == status
    if status == 200:
        assert response.json() == {"d": expected}
    else:
        assert response.json()["detail"][0]["type"] == expected


@pytest.mark.parametrize(
    ("value", "status", "expected"),
    [
        (1706918400, 200, "2024-02-03"),
        (1706918400.0, 200, "2024-02-03"),
        (0, 200, "1970-01-01"),
        (1706918401, 422, "date_from_datetime_inexact"),
        ("2024-02-03T00:00:00Z", 200, "2024-02-03"),
    ],
)
def test_json_numbers_and_strings_for_a_date(value: Any, status: int, expected: str) -> None:
    response = make_client().post("/date", json={"d": value})
    assert response.status_code == status
    if status == 200:
        assert response.json() == {"d": expected}
    else:
        assert response.json()["detail"][0] == {
            "type": "date_from_datetime_inexact",
            "loc": ["body", "d"],
            "msg": "Datetimes provided to dates should have zero time - e.g. be exact dates",
            "input": value,
        }
