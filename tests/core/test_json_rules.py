"""json_rules: pydantic's duration text, and the check that decides when msgspec's own JSON is
already FastAPI's (a wrong True would send msgspec's form, so every type that differs is
tried inside every container)."""

import dataclasses
import datetime as dt
import json
from decimal import Decimal
from typing import Any

import msgspec
import pydantic
import pytest
from fastapi.encoders import jsonable_encoder as fastapi_jsonable
from hypothesis import given
from hypothesis import strategies as st

from fasterapi_core.json_rules import (
    holds_duration,
    pydantic_builtins,
    pydantic_duration,
    typed_encoder,
    untyped_json,
)

DURATION = pydantic.TypeAdapter(dt.timedelta)


@given(st.timedeltas())
def test_duration_is_pydantics(value: dt.timedelta) -> None:
    assert pydantic_duration(value) == json.loads(DURATION.dump_json(value))


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (dt.timedelta(days=1, hours=2), "P1DT2H"),
        (dt.timedelta(seconds=90), "PT1M30S"),
        (dt.timedelta(0), "PT0S"),
        (dt.timedelta(days=365), "P1Y"),
        (dt.timedelta(seconds=-1.5), "-PT1.5S"),
        (dt.timedelta(days=-1, seconds=3600), "-PT23H"),
    ],
)
def test_duration_examples(value: dt.timedelta, text: str) -> None:
    assert pydantic_duration(value) == text


@dataclasses.dataclass
class Point:
    x: int
    delay: dt.timedelta = dt.timedelta(0)


class Struct(msgspec.Struct):
    delay: dt.timedelta


JSON_LEAVES = st.none() | st.booleans() | st.integers() | st.text() | st.floats(
    allow_nan=False, allow_infinity=False
)


@given(st.timedeltas(), st.recursive(JSON_LEAVES, lambda c: st.lists(c) | st.tuples(c)))
def test_every_duration_is_found(duration: dt.timedelta, other: Any) -> None:
    """No false negative: msgspec's JSON of anything holding a timedelta is noticed."""
    for value in (duration, [other, duration], {"a": (other, {"b": duration})}, Struct(duration)):
        assert holds_duration(msgspec.json.encode(value))


@pytest.mark.parametrize(
    "text", ["Paris", "PT", "P1", "Product 7", "HTTP/1.1", "P-3D", "PPPP", "ABC P0"]
)
def test_text_that_is_no_duration_is_not_taken_for_one(text: str) -> None:
    assert not holds_duration(msgspec.json.encode({"name": text, "items": [text]}))


JSON_DATA = st.recursive(
    JSON_LEAVES,
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=30,
)


ODD = [
    dt.timedelta(seconds=1.5),
    Decimal("1.10"),
    Point(1),
    dt.datetime(2024, 2, 3, 10, 20, 30, tzinfo=dt.UTC),
    dt.datetime(2024, 2, 3, 10, 20, 30, 5, tzinfo=dt.timezone(dt.timedelta(hours=2))),
    dt.time(1, 2, 3, tzinfo=dt.UTC),
    dt.date(2024, 2, 3),
]


@given(JSON_DATA, st.sampled_from(ODD))
def test_untyped_json_is_fastapis(data: Any, odd: Any) -> None:
    """Whatever the nesting, an untyped value is written as jsonable_encoder + json.dumps
    (bytes aside: documented)."""
    for value in (data, [data, odd], {"x": data, "y": [odd]}):
        expected = json.loads(json.dumps(fastapi_jsonable(value)))
        assert json.loads(untyped_json(value)) == expected


def test_typed_encoder_is_chosen_once() -> None:
    encode = msgspec.json.Encoder(decimal_format="string").encode
    assert typed_encoder(int, encode) is encode
    assert typed_encoder(list[str], encode) is encode
    assert typed_encoder(list[Point], encode) is not encode  # its timedelta field
    assert typed_encoder(dt.timedelta, encode) is not encode
    assert typed_encoder(dict[str, Any], encode) is not encode
    assert typed_encoder(dt.timedelta, encode)(dt.timedelta(seconds=90)) == b'"PT1M30S"'
    assert pydantic_builtins({"b": [b"x"], "d": Decimal("1.0")}) == {"b": ["x"], "d": "1.0"}


def test_utc_datetimes_of_no_declared_type_as_fastapi() -> None:
    """Regression: msgspec's 'Z' (FastAPI's jsonable_encoder writes isoformat's '+00:00')."""
    value = {"at": dt.datetime(2018, 12, 22, 14, 0, tzinfo=dt.UTC), "note": "12:00Z is text"}
    assert untyped_json(value) == b'{"at":"2018-12-22T14:00:00+00:00","note":"12:00Z is text"}'


class Envelope(msgspec.Struct):
    name: str
    extra: Any


def test_any_parts_of_exact_fast_paths_are_rechecked() -> None:
    """The route's exact paths (a dict[str, Any], the model's own Struct) encode with msgspec
    alone and look for a duration themselves: a timedelta in an Any part is still pydantic's."""
    import FasterAPI

    app = FasterAPI.Faster()

    @app.get("/dict")
    async def as_dict() -> dict[str, Any]:
        return {"name": "Paris", "delay": dt.timedelta(seconds=90)}

    @app.get("/plain-p")
    async def plain_p() -> dict[str, Any]:
        return {"name": "Paris", "code": "P1"}

    @app.get("/struct")
    async def as_struct() -> Envelope:
        return Envelope("e", {"delay": dt.timedelta(days=1, hours=2)})

    client = FasterAPI.TestClient(app)
    assert client.get("/dict").content == b'{"name":"Paris","delay":"PT1M30S"}'
    assert client.get("/plain-p").content == b'{"name":"Paris","code":"P1"}'
    assert client.get("/struct").content == b'{"name":"e","extra":{"delay":"P1DT2H"}}'
