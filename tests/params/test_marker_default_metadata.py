"""A marker given as the parameter's default (``x: Annotated[T, meta] = Query()``): FastAPI
takes the bare type and applies none of the ``Annotated`` metadata (a pydantic ``Field``'s
constraints, ``annotated_types``, a union's ``Discriminator``), in validation and in OpenAPI;
FasterAPI does the same (the same app on FastAPI and on FasterAPI). A marker inside
``Annotated`` keeps the metadata beside it."""

from types import ModuleType
from typing import Annotated, Any

import annotated_types
from fidelity import Pair
from pydantic import BaseModel, Discriminator, Field, Tag


class Cat(BaseModel):
    pet_type: str = "cat"
    meows: int


class Dog(BaseModel):
    pet_type: str = "dog"
    barks: float


def _pet_type(value: Any) -> str:
    return str(value.get("pet_type", "")) if isinstance(value, dict) else ""


Pet = Annotated[Annotated[Cat, Tag("cat")] | Annotated[Dog, Tag("dog")], Discriminator(_pet_type)]


def _app(fw: ModuleType) -> Any:
    """The endpoints have no return annotation: ``-> Any`` is documented by FastAPI as a
    response model of any type, a schema with a title, not what is compared here."""
    app = fw.FastAPI()

    @app.post("/pet/assignment")
    async def assignment(pet: Pet = fw.Body()):
        return pet

    @app.post("/pet/annotated")
    async def annotated(pet: Annotated[Pet, fw.Body()]):
        return pet

    @app.get("/query/assignment")
    def query_assignment(
        x: Annotated[int, Field(gt=3)] = fw.Query(),
        y: Annotated[int, annotated_types.Gt(3)] = fw.Query(5),
    ):
        return [x, y]

    @app.get("/query/annotated")
    def query_annotated(x: Annotated[int, Field(gt=3), fw.Query()]):
        return x

    return app


def test_openapi_as_fastapi() -> None:
    pair = Pair(_app)
    ours, theirs = pair.ours_app.openapi(), pair.theirs_app.openapi()
    assert ours["paths"] == theirs["paths"]
    assert ours["components"] == theirs["components"]
    body = ours["paths"]["/pet/assignment"]["post"]["requestBody"]["content"]
    assert "anyOf" in body["application/json"]["schema"]  # the discriminator is not applied
    annotated = ours["paths"]["/pet/annotated"]["post"]["requestBody"]["content"]
    assert "oneOf" in annotated["application/json"]["schema"]  # kept beside the marker
    parameters = ours["paths"]["/query/assignment"]["get"]["parameters"]
    assert [p["schema"] for p in parameters] == [
        {"type": "integer", "title": "X"},
        {"type": "integer", "default": 5, "title": "Y"},
    ]


def test_validation_as_fastapi() -> None:
    pair = Pair(_app)
    assert pair.get("/query/assignment", params={"x": "1", "y": "1"}).json() == [1, 1]
    assert pair.get("/query/annotated", params={"x": "1"}).status_code == 422
    assert pair.post("/pet/assignment", json={"pet_type": "cat", "meows": 5}).json() == {
        "pet_type": "cat",
        "meows": 5,
    }
    assert pair.post("/pet/annotated", json={"pet_type": "dog", "barks": 1.5}).json() == {
        "pet_type": "dog",
        "barks": 1.5,
    }
    pair.post("/pet/assignment", json={"pet_type": "dog", "meows": 5})
    pair.post("/pet/annotated", json={"pet_type": "dog", "meows": 5})
