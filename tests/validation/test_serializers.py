import dataclasses

import msgspec
import pydantic
import pytest

from fasterapi_core.exceptions import ResponseValidationError
from fasterapi_core.validation import ResponseSerializer


class Tag(msgspec.Struct):
    label: str
    note: str | None = None


class User(msgspec.Struct):
    name: str
    age: int = 0
    email: str | None = None
    tags: list[Tag] = []


@dataclasses.dataclass
class UserRow:
    name: str
    age: int
    email: str | None
    password: str


class PUser(pydantic.BaseModel):
    name: str
    age: int = 0


def test_exact_instance_fast_path() -> None:
    assert ResponseSerializer(User).serialize(User("a", 3)) == (
        b'{"name":"a","age":3,"email":null,"tags":[]}')


def test_dict_extra_keys_dropped() -> None:
    out = ResponseSerializer(User).serialize({"name": "a", "password": "secret"})
    assert out == b'{"name":"a","age":0,"email":null,"tags":[]}'


def test_from_attributes_of_other_objects() -> None:
    s = ResponseSerializer(User)
    expected = b'{"name":"a","age":1,"email":null,"tags":[]}'
    assert s.serialize(UserRow("a", 1, None, "pw")) == expected
    assert s.to_python(PUser(name="p", age=2)) == {
        "name": "p", "age": 2, "email": None, "tags": []}


def test_exclude_none_recursive() -> None:
    s = ResponseSerializer(User, exclude_none=True)
    value = User("a", tags=[Tag("t")])
    assert s.serialize(value) == b'{"name":"a","age":0,"tags":[{"label":"t"}]}'


def test_include_exclude_nested() -> None:
    value = User("a", 5, "e@x", [Tag("t", "n")])
    assert ResponseSerializer(User, include={"name", "age"}).to_python(value) == {
        "name": "a", "age": 5}
    assert ResponseSerializer(User, exclude={"email"}).to_python(value) == {
        "name": "a", "age": 5, "tags": [{"label": "t", "note": "n"}]}
    assert ResponseSerializer(User, exclude={"tags": {"note"}, "age": True}).to_python(value) == {
        "name": "a", "email": "e@x", "tags": [{"label": "t"}]}


def test_exclude_unset_and_defaults() -> None:
    s = ResponseSerializer(User, exclude_unset=True)
    assert s.to_python({"name": "a", "email": None}) == {"name": "a", "email": None}
    assert s.to_python(User("a", 0)) == {"name": "a"}
    d = ResponseSerializer(User, exclude_defaults=True)
    assert d.to_python({"name": "a", "age": 0, "email": "e"}) == {"name": "a", "email": "e"}


def test_list_response_model() -> None:
    s = ResponseSerializer(list[User])
    assert s.serialize([User("a"), {"name": "b", "age": 2}]) == (
        b'[{"name":"a","age":0,"email":null,"tags":[]},'
        b'{"name":"b","age":2,"email":null,"tags":[]}]')


def test_invalid_output_raises_with_response_locs() -> None:
    s = ResponseSerializer(list[User])
    with pytest.raises(ResponseValidationError) as info:
        s.serialize([{"name": "a"}, {"age": "x"}, {"name": 1}])
    assert info.value.errors() == [
        {"type": "missing", "loc": ("response", 1, "name"), "msg": "Field required",
         "input": {"age": "x"}},
        {"type": "int_parsing", "loc": ("response", 1, "age"),
         "msg": "Input should be a valid integer, unable to parse string as an integer",
         "input": "x"},
        {"type": "string_type", "loc": ("response", 2, "name"),
         "msg": "Input should be a valid string", "input": 1},
    ]


def test_pydantic_response_model() -> None:
    s = ResponseSerializer(PUser, exclude_unset=True)
    assert s.serialize({"name": "a", "extra": 1}) == b'{"name":"a"}'
    with pytest.raises(ResponseValidationError) as info:
        s.serialize({"age": 1})
    assert info.value.errors() == [{"type": "missing", "loc": ("response", "name"),
                                    "msg": "Field required", "input": {"age": 1}}]


def test_plain_types() -> None:
    assert ResponseSerializer(dict[str, int]).serialize({"a": 1}) == b'{"a":1}'
    with pytest.raises(ResponseValidationError):
        ResponseSerializer(int).serialize("nope")
