"""``jsonable_encoder`` gives what FastAPI's gives, keyword arguments included (compared with
``fastapi.encoders.jsonable_encoder`` on the same values)."""

import dataclasses
import datetime
import decimal
import enum
import ipaddress
import pathlib
import uuid
from collections import deque
from typing import Any, Optional

import msgspec
import pytest
from fastapi.encoders import jsonable_encoder as fastapi_jsonable_encoder
from pydantic import BaseModel, Field

from FasterAPI.encoders import jsonable_encoder


class Color(enum.Enum):
    RED = "red"


class Model(BaseModel):
    x: int
    y: Optional[str] = None
    alias_me: int = Field(0, alias="aliasMe")


@dataclasses.dataclass
class Point:
    a: int
    when: datetime.date


VALUES: list[Any] = [
    datetime.datetime(2024, 1, 2, 3, 4, 5, 6),
    datetime.datetime(2024, 1, 2, tzinfo=datetime.UTC),
    datetime.date(2024, 1, 2),
    datetime.time(1, 2, 3),
    datetime.timedelta(days=1, seconds=1.5),
    decimal.Decimal("1.10"),
    decimal.Decimal("10"),
    uuid.UUID(int=1),
    Color.RED,
    Model(x=1),
    Point(1, datetime.date(2024, 1, 1)),
    {1: "a", None: 2, Color.RED: 3, "_sa_state": 4},
    (1, 2),
    {3},
    frozenset(),
    deque([1]),
    b"bytes",
    pathlib.PurePosixPath("/a/b"),
    ipaddress.ip_address("127.0.0.1"),
    ipaddress.ip_network("10.0.0.0/8"),
    [Model(x=2, y="s")],
    {"k": None, "nested": {"n": None}},
    True,
    None,
]


@pytest.mark.parametrize("value", VALUES, ids=[repr(v)[:40] for v in VALUES])
def test_values_as_fastapi(value: Any) -> None:
    assert jsonable_encoder(value) == fastapi_jsonable_encoder(value)


@pytest.mark.parametrize(
    "options",
    [
        {"exclude_none": True},
        {"include": {"x"}},
        {"exclude": {"y"}},
        {"by_alias": False},
        {"exclude_unset": True},
        {"exclude_defaults": True},
        {"sqlalchemy_safe": False},
        {"custom_encoder": {int: lambda n: n * 10}},
    ],
)
def test_options_as_fastapi(options: dict[str, Any]) -> None:
    for value in (Model(x=1), {"x": None, "y": 1, "_sa_x": 2}, [Model(x=3, y=None)]):
        assert jsonable_encoder(value, **options) == fastapi_jsonable_encoder(value, **options)


def test_structs_are_encoded_like_dataclasses() -> None:
    class Item(msgspec.Struct):
        name: str
        when: datetime.date
        tags: set[str] = set()

    item = Item("a", datetime.date(2024, 5, 6), {"t"})
    assert jsonable_encoder(item) == {"name": "a", "when": "2024-05-06", "tags": ["t"]}
    assert jsonable_encoder(item, exclude_none=True, include={"name"}) == {"name": "a"}


def test_an_object_without_an_encoding_is_refused() -> None:
    with pytest.raises(ValueError):
        jsonable_encoder(object())


class _Person:
    def __init__(self, name: str) -> None:
        self.name = name


class _Pet:
    def __init__(self, owner: _Person, name: str) -> None:
        self.owner = owner
        self.name = name


def test_plain_objects_and_pydantic_types_as_fastapi() -> None:
    """Regressions (FastAPI's tests/test_jsonable_encoder.py): include/exclude reach a plain
    object's attributes; pydantic's Undefined is None; URLs, secrets, NameEmail and colors
    are their str()."""
    import warnings

    import pydantic
    import pydantic_core
    from fastapi.encoders import jsonable_encoder as fastapi_jsonable

    pet = _Pet(_Person("Foo"), "Firulais")
    for options in ({}, {"include": {"name"}}, {"exclude": {"owner"}}, {"include": {}}):
        assert jsonable_encoder(pet, **options) == fastapi_jsonable(pet, **options), options
    assert jsonable_encoder(pet, include={"name"}) == {"name": "Firulais"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pydantic.color import Color
    values = {
        "undefined": pydantic_core.PydanticUndefined,
        "url": pydantic.TypeAdapter(pydantic.AnyUrl).validate_python("https://example.com/a"),
        "secret": pydantic.SecretStr("s3cret"),
        "secret_bytes": pydantic.SecretBytes(b"s3cret"),
        "email": pydantic.NameEmail("Ada", "ada@example.com"),
        "color": Color("blue"),
    }
    assert jsonable_encoder(values) == fastapi_jsonable(values)
    assert jsonable_encoder(values)["undefined"] is None
    assert jsonable_encoder(values)["color"] == "blue"
