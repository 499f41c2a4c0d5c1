
import dataclasses
from typing import Annotated, Optional, TypedDict

import msgspec
import pydantic

from fasterapi_core.validation import BodyValidator, Constraints, decode_json


class Item(msgspec.Struct, rename="camel"):
    item_name: str
    unit_price: float = 0.0


@dataclasses.dataclass
class Point:
    x: int
    y: int = 0


class Movie(TypedDict):
    title: str


class PModel(pydantic.BaseModel):
    a: int
    b: list[str] = []


def test_struct_fast_path_and_rename_locs() -> None:
    v = BodyValidator(Item)
    assert v.validate_json(b'{"itemName": "a", "unitPrice": 2}') == (Item("a", 2.0), None)
    _, errors = v.validate_json(b'{"unitPrice": "x"}')
    assert errors == [
        {"type": "missing", "loc": ["body", "itemName"], "msg": "Field required",
         "input": {"unitPrice": "x"}},
        {"type": "float_parsing", "loc": ["body", "unitPrice"],
         "msg": "Input should be a valid number, unable to parse string as a number", "input": "x"},
    ]


def test_lax_values_accepted_after_diagnosis() -> None:
    value, errors = BodyValidator(Point).validate_json(b'{"x": true, "y": " 3 "}')
    assert errors is None
    assert value == Point(1, 3)


def test_dataclass_typeddict_optional_and_plain() -> None:
    assert BodyValidator(Point).validate_json(b'{"x": 1}') == (Point(1, 0), None)
    assert BodyValidator(Movie).validate_json(b'{"title": "t"}') == ({"title": "t"}, None)
    assert BodyValidator(Optional[Point]).validate_json(b"null") == (None, None)
    assert BodyValidator(dict[str, list[int]]).validate_json(b'{"a": [1]}') == ({"a": [1]}, None)


def test_constraints_on_embedded_field_loc() -> None:
    v = BodyValidator(int, Constraints(gt=0), loc=("body", "qty"))
    assert v.validate_python(5) == (5, None)
    assert v.validate_python(0) == (None, [{
        "type": "greater_than", "loc": ["body", "qty"], "msg": "Input should be greater than 0",
        "input": 0, "ctx": {"gt": 0}}])


def test_validate_python_form_strings() -> None:
    assert BodyValidator(Point).validate_python({"x": "4"}) == (Point(4, 0), None)


def test_empty_body_is_missing() -> None:
    assert BodyValidator(Point).validate_json(b"") == (None, [
        {"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}])


def test_nan_infinity_and_huge_exponent_are_json_invalid() -> None:
    for body in (b'{"x": NaN}', b"[Infinity]", b"1e400"):
        _, errors = BodyValidator(list[float]).validate_json(body)
        assert errors is not None and errors[0]["type"] == "json_invalid", body
        assert errors[0]["msg"] == "JSON decode error"
        assert errors[0]["input"] == {}


def test_absurd_nesting_is_a_client_error() -> None:
    body = b"[" * 200_000 + b"]" * 200_000
    _, errors = decode_json(body)
    assert errors is not None and errors[0]["type"] == "json_invalid"
    assert errors[0]["loc"][0] == "body"


def test_invalid_utf8() -> None:
    _, errors = BodyValidator(str).validate_json(b'"\xff"')
    assert errors is not None and errors[0]["type"] == "json_invalid"


def test_huge_integers_ok() -> None:
    assert BodyValidator(int).validate_json(b"123456789012345678901234567890") == (
        123456789012345678901234567890, None)


def test_pydantic_model_validated_by_pydantic() -> None:
    v = BodyValidator(PModel)
    assert v.validate_json(b'{"a": "1"}') == (PModel(a=1), None)
    _, errors = v.validate_json(b'{"b": [1]}')
    assert errors == [
        {"type": "missing", "loc": ["body", "a"], "msg": "Field required", "input": {"b": [1]}},
        {"type": "string_type", "loc": ["body", "b", 0], "msg": "Input should be a valid string",
         "input": 1},
    ]
    _, errors = v.validate_json(b"{")
    assert errors is not None and errors[0]["type"] == "json_invalid"
    assert BodyValidator(list[PModel]).validate_json(b'[{"a": 2}]') == ([PModel(a=2)], None)


def test_annotated_meta_passthrough() -> None:
    v = BodyValidator(Annotated[list[int], msgspec.Meta(min_length=1)])
    _, errors = v.validate_json(b"[]")
    assert errors == [{"type": "too_short", "loc": ["body"],
                       "msg": "List should have at least 1 item after validation, not 0",
                       "input": [], "ctx": {"field_type": "List", "min_length": 1,
                                            "actual_length": 0}}]
