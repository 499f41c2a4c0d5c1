"""Pydantic models documented as FastAPI 0.165 documents them: one pydantic generation for the
whole document, requests in validation mode and responses in serialization mode, so a model
whose two schemas differ is ``Model-Input``/``Model-Output`` and the others plain ``Model``."""

import enum
from typing import Annotated, Any

import fastapi
import pytest
from openapi_spec_validator import validate
from pydantic import BaseModel, ConfigDict, computed_field, field_serializer

import FasterAPI


class Tag(BaseModel):
    """A label.\fPrivate notes after a form feed."""

    name: str


class Item(BaseModel):
    name: str
    description: str | None = None
    tags: list[Tag] = []


class Rectangle(BaseModel):
    width: int
    length: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def area(self) -> int:
        return self.width * self.length


class Defaults(BaseModel):
    """Fields with defaults are required in the output schema (pydantic's option)."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)
    size: int = 1


class Stamped(BaseModel):
    when: int

    @field_serializer("when")
    def as_text(self, value: int) -> str:
        return str(value)


class Envelope(BaseModel):
    children: list["Envelope"] = []
    shape: Rectangle


def build(fw: Any, app_cls: Any, **options: Any) -> Any:
    """The same application written against either framework's names."""
    app = app_cls(title="Shapes", **options)

    @app.post("/items")
    def create_item(item: Item) -> Item:
        return item

    @app.post("/rectangles")
    def create_rectangle(rectangle: Rectangle) -> Rectangle:
        return rectangle

    @app.get("/rectangles", response_model=list[Rectangle])
    def list_rectangles() -> Any:
        return []

    @app.put("/defaults")
    def put_defaults(body: Defaults, tag: Annotated[Tag, fw.Body()]) -> Defaults:
        return body

    @app.post("/stamped", responses={201: {"model": Stamped}})
    def stamp(stamped: Stamped) -> Stamped:
        return stamped

    @app.post("/envelopes")
    def envelope(envelope: Envelope, count: int = 1) -> Envelope:
        return envelope

    @app.get("/tags")
    def tags() -> list[Tag]:
        return []

    return app


@pytest.mark.parametrize("separate", [True, False])
def test_documents_match_fastapi(separate: bool) -> None:
    ours = build(FasterAPI, FasterAPI.Faster, separate_input_output_schemas=separate).openapi()
    theirs = build(fastapi, fastapi.FastAPI, separate_input_output_schemas=separate).openapi()
    assert ours == theirs
    validate(ours)


def test_split_and_shared_names() -> None:
    schemas = build(FasterAPI, FasterAPI.Faster).openapi()["components"]["schemas"]
    for split in ("Rectangle", "Defaults", "Stamped", "Envelope"):
        assert f"{split}-Input" in schemas and f"{split}-Output" in schemas, split
        assert split not in schemas
    for same in ("Item", "Tag"):  # the same schema in both modes
        assert same in schemas and f"{same}-Input" not in schemas
    assert schemas["Tag"]["description"] == "A label."  # the text after \f is private
    assert schemas["Rectangle-Output"]["properties"]["area"]["readOnly"] is True
    assert "area" not in schemas["Rectangle-Input"]["properties"]
    assert schemas["Defaults-Output"]["required"] == ["size"]
    assert "required" not in schemas["Defaults-Input"]


def test_without_separate_schemas_only_computed_fields_split() -> None:
    app = build(FasterAPI, FasterAPI.Faster, separate_input_output_schemas=False)
    schemas = app.openapi()["components"]["schemas"]
    assert {"Rectangle-Input", "Rectangle-Output", "Envelope-Input", "Envelope-Output"} <= set(
        schemas
    )
    assert {"Item", "Defaults", "Stamped", "Tag"} <= set(schemas)
    assert "Item-Input" not in schemas


def test_document_is_generated_once() -> None:
    app = build(FasterAPI, FasterAPI.Faster)
    assert app.openapi() is app.openapi()


class Color(enum.Enum):
    RED = "red"


class Part(BaseModel):
    when: int
    color: Color = Color.RED

    @field_serializer("when")
    def as_text(self, value: int) -> str:
        return str(value)


class Machine(BaseModel):
    part: Part

    @computed_field  # type: ignore[prop-decorator]
    @property
    def parts(self) -> int:
        return 1


@pytest.mark.parametrize("separate", [True, False])
def test_models_reached_only_through_a_response_match_fastapi(separate: bool) -> None:
    """FastAPI describes each model a field reaches on its own as well: ``Part``, reached
    only through a response, also has its input schema without separate schemas."""

    def build_machines(app_cls: Any) -> Any:
        app = app_cls(title="Machines", separate_input_output_schemas=separate)

        @app.get("/machine")
        def machine() -> Machine:
            return Machine(part=Part(when=1))

        return app

    ours = build_machines(FasterAPI.Faster).openapi()
    assert ours == build_machines(fastapi.FastAPI).openapi()
    schemas = ours["components"]["schemas"]
    part = "Part" if separate else "Part-Output"  # only the output schema, or both
    assert schemas["Machine"]["properties"]["part"] == {"$ref": f"#/components/schemas/{part}"}
    assert ("Part-Input" in schemas) is not separate
