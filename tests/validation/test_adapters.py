
import dataclasses
import datetime
import enum
from typing import Any, Literal, Optional, TypedDict

import msgspec
import pydantic

from fasterapi_core.validation import (
    BodyValidator,
    Constraints,
    ResponseSerializer,
    SerializeOptions,
    is_body_annotation,
    is_model_annotation,
    is_scalar_annotation,
    json_schema,
    register_model_adapter,
)
from fasterapi_core.validation.adapters import _adapters
from fasterapi_core.validation.errors import Loc


class S(msgspec.Struct):
    a: int


@dataclasses.dataclass
class D:
    a: int


class T(TypedDict):
    a: int


class P(pydantic.BaseModel):
    a: int


class E(enum.Enum):
    x = "x"


def test_classification() -> None:
    for model in (S, D, T, P, Optional[S], Optional[P], S | None):
        assert is_model_annotation(model), model
        assert is_body_annotation(model), model
    for scalar in (str, int, float, bool, E, Literal["a"], Optional[int], datetime.date,
                   list[int], set[str], tuple[int, ...], Optional[list[E]], Any):
        assert is_scalar_annotation(scalar), scalar
        assert not is_model_annotation(scalar), scalar
        assert not is_body_annotation(scalar), scalar
    for body in (dict[str, int], list[S], list[P], dict[str, Any]):
        assert is_body_annotation(body), body
        assert not is_scalar_annotation(body), body


def test_json_schema_msgspec_and_pydantic() -> None:
    schema, defs = json_schema(list[S])
    assert schema == {"type": "array", "items": {"$ref": "#/components/schemas/S"}}
    assert defs == {"S": {"title": "S", "type": "object",
                          "properties": {"a": {"type": "integer"}}, "required": ["a"]}}
    schema, defs = json_schema(P, ref_template="#/defs/{model}")
    assert schema == {"properties": {"a": {"title": "A", "type": "integer"}}, "required": ["a"],
                      "title": "P", "type": "object"}
    assert defs == {}
    schema, _ = json_schema(int, constraints=Constraints(ge=1, lt=5))
    assert schema == {"type": "integer", "minimum": 1, "exclusiveMaximum": 5}


class Box:
    """A toy model library: Box[...] holds one value in ``content``."""

    def __init__(self, content: Any) -> None:
        self.content = content


class BoxValidator:
    def __init__(self, loc: Loc) -> None:
        self.loc = loc

    def validate_python(self, data: Any) -> tuple[Any, Any]:
        if isinstance(data, dict) and "content" in data:
            return Box(data["content"]), None
        return None, [{"type": "box", "loc": [*self.loc], "msg": "Not a box", "input": data}]


class BoxSerializer:
    def serialize(self, value: Any) -> bytes:
        return msgspec.json.encode({"content": value.content})

    def to_python(self, value: Any) -> Any:
        return {"content": value.content}


class BoxAdapter:
    def matches(self, annotation: Any) -> bool:
        return annotation is Box

    def body_validator(self, annotation: Any, constraints: Constraints, loc: Loc) -> BoxValidator:
        return BoxValidator(loc)

    def serializer(self, annotation: Any, options: SerializeOptions) -> BoxSerializer:
        return BoxSerializer()

    def json_schema(self, annotation: Any, ref_template: str) -> tuple[dict[str, Any], Any]:
        return {"type": "object"}, {}


def test_plugin_adapter() -> None:
    adapter = BoxAdapter()
    register_model_adapter(adapter)
    try:
        assert is_model_annotation(Box)
        value, errors = BodyValidator(Box).validate_json(b'{"content": 3}')
        assert errors is None and value.content == 3
        assert BodyValidator(Box).validate_json(b"[]") == (None, [
            {"type": "box", "loc": ["body"], "msg": "Not a box", "input": []}])
        assert ResponseSerializer(Box).serialize(Box(1)) == b'{"content":1}'
        assert json_schema(Box) == ({"type": "object"}, {})
    finally:
        _adapters.remove(adapter)
    assert not is_model_annotation(Box)
