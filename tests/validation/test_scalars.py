
import datetime
import decimal
import enum
import uuid
from typing import Annotated, Any, Literal, Optional

import msgspec
import pytest

from fasterapi_core.validation import Constraints, ScalarValidator


class Level(enum.IntEnum):
    low = 1
    high = 2


@pytest.mark.parametrize(
    ("annotation", "raw", "expected"),
    [
        (str, "abc", "abc"),
        (Any, "abc", "abc"),
        (int, "42", 42),
        (int, " 7 ", 7),
        (int, "1.0", 1),
        (float, "1.5", 1.5),
        (bool, "On", True),
        (bool, "n", False),
        (decimal.Decimal, "1.50", decimal.Decimal("1.50")),
        (uuid.UUID, "12345678-1234-5678-1234-567812345678",
         uuid.UUID("12345678-1234-5678-1234-567812345678")),
        (datetime.date, "2024-02-29", datetime.date(2024, 2, 29)),
        (datetime.time, "12:30", datetime.time(12, 30)),
        (datetime.datetime, "2024-01-01T00:00:00Z",
         datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)),
        (Level, "2", Level.high),
        (Level, "1.0", Level.low),  # an IntEnum reads text by pydantic's int rules
        (Level, " 2", Level.high),
        (Literal["a", "b"], "b", "b"),
        (Optional[int], "3", 3),
        (Annotated[int, msgspec.Meta(ge=1)], "3", 3),
        (bytes, "hi", b"hi"),
    ],
)
def test_converts(annotation: Any, raw: str, expected: Any) -> None:
    v = ScalarValidator(annotation, loc=("query", "x"))
    assert v.is_sequence is False
    assert v.validate(raw) == (expected, None)


def test_sequences_receive_all_values() -> None:
    v = ScalarValidator(list[int], loc=("query", "ids"))
    assert v.is_sequence is True
    assert v.validate(["1", "2"]) == ([1, 2], None)
    assert ScalarValidator(Optional[set[str]], loc=("q", "s")).is_sequence is True
    assert ScalarValidator(tuple[int, ...], loc=("q", "t")).validate(["3"]) == ((3,), None)
    value, errors = v.validate(["1", "a", "b"])
    assert value is None
    assert [e["loc"] for e in errors or []] == [["query", "ids", 1], ["query", "ids", 2]]


def test_sequence_length_constraints() -> None:
    v = ScalarValidator(list[int], Constraints(max_length=1), loc=("query", "ids"))
    assert v.validate(["1", "2"]) == (None, [{
        "type": "too_long", "loc": ["query", "ids"],
        "msg": "List should have at most 1 item after validation, not 2",
        "input": ["1", "2"], "ctx": {"field_type": "List", "max_length": 1, "actual_length": 2},
    }])


def test_str_constraints_and_singular_message() -> None:
    v = ScalarValidator(str, Constraints(min_length=1), loc=("header", "x-token"))
    assert v.validate("") == (None, [{
        "type": "string_too_short", "loc": ["header", "x-token"],
        "msg": "String should have at least 1 character", "input": "",
        "ctx": {"min_length": 1},
    }])


def test_decimal_constraints_checked_although_msgspec_cannot() -> None:
    v = ScalarValidator(decimal.Decimal, Constraints(le=10), loc=("query", "p"))
    assert v.validate("5") == (decimal.Decimal("5"), None)
    _, errors = v.validate("11")
    assert errors == [{"type": "less_than_equal", "loc": ["query", "p"],
                       "msg": "Input should be less than or equal to 10", "input": "11",
                       "ctx": {"le": 10}}]


def test_optional_empty_string_is_a_parsing_error() -> None:
    _, errors = ScalarValidator(Optional[int], loc=("query", "o")).validate("")
    assert errors is not None and errors[0]["type"] == "int_parsing"


def test_non_ascii_digits_rejected() -> None:
    _, errors = ScalarValidator(int, loc=("path", "id")).validate("١٢")
    msg = "Input should be a valid integer, unable to parse string as an integer"
    assert errors == [{"type": "int_parsing", "loc": ["path", "id"], "msg": msg, "input": "١٢"}]


def test_str_without_constraints_is_identity() -> None:
    v = ScalarValidator(str, loc=("query", "q"))
    raw = "x" * 10
    value, errors = v.validate(raw)
    assert value is raw and errors is None
