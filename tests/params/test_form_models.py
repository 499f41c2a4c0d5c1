"""Form models (``data: Annotated[Login, Form()]``, FastAPI 0.113+): the model's fields are
the form's fields, validated as one model; answers, errors and OpenAPI as under FastAPI."""

from typing import Annotated, Any

import fastapi
import msgspec
import pytest
from fastapi.testclient import TestClient as FastAPIClient
from pydantic import BaseModel, Field

import FasterAPI
from FasterAPI.testclient import TestClient


class Login(BaseModel):
    username: str
    password: str = Field(min_length=3)
    remember: bool = False
    tags: list[str] = []
    model_config = {"extra": "forbid"}


class Aliased(BaseModel):
    user_name: str = Field(alias="user-name")
    age: int | None = None


class Signup(msgspec.Struct):
    email: str
    age: int = 0


def build(fw: Any, app_cls: Any) -> Any:
    app = app_cls()

    @app.post("/login")
    def login(data: Annotated[Login, fw.Form()]) -> Login:
        return data

    @app.post("/aliased")
    def aliased(data: Annotated[Aliased, fw.Form()]) -> dict[str, Any]:
        return data.model_dump()

    return app


OURS = TestClient(build(FasterAPI, FasterAPI.Faster))
THEIRS = FastAPIClient(build(fastapi, fastapi.FastAPI))

FORMS = [
    ("/login", {"username": "ada", "password": "secret"}),
    ("/login", {"username": "ada", "password": "secret", "remember": "on", "tags": ["a", "b"]}),
    ("/login", {"username": "ada", "password": "ab", "extra": "1"}),
    ("/login", {"password": "secret", "remember": "maybe"}),
    ("/login", {"username": "", "password": "secret"}),
    ("/login", {"username": "ada", "password": "secret", "extra": ["1", "2"]}),
    ("/login", {}),
    ("/aliased", {"user-name": "bob", "age": "7"}),
    ("/aliased", {"user_name": "bob"}),
]


@pytest.mark.parametrize(("path", "form"), FORMS)
def test_answers_match_fastapi(path: str, form: dict[str, Any]) -> None:
    ours, theirs = OURS.post(path, data=form), THEIRS.post(path, data=form)
    assert (ours.status_code, ours.json()) == (theirs.status_code, theirs.json())


def test_fields_errors_and_extras() -> None:
    good = OURS.post("/login", data={"username": "ada", "password": "secret", "tags": ["x", "y"]})
    assert good.json() == {
        "username": "ada",
        "password": "secret",
        "remember": False,
        "tags": ["x", "y"],
    }
    bad = OURS.post("/login", data={"username": "ada", "password": "ab", "extra": "1"})
    assert bad.status_code == 422
    assert [(e["type"], e["loc"]) for e in bad.json()["detail"]] == [
        ("string_too_short", ["body", "password"]),
        ("extra_forbidden", ["body", "extra"]),
    ]


def test_documented_as_in_fastapi() -> None:
    ours = OURS.get("/openapi.json").json()
    theirs = THEIRS.get("/openapi.json").json()
    assert ours["paths"] == theirs["paths"]
    assert ours["components"] == theirs["components"]
    body = ours["paths"]["/login"]["post"]["requestBody"]
    assert body == {
        "content": {
            "application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/Login"}}
        },
        "required": True,
    }


def test_a_struct_form_model() -> None:
    app = FasterAPI.Faster()

    @app.post("/signup")
    def signup(data: Annotated[Signup, FasterAPI.Form()]) -> Signup:
        return data

    client = TestClient(app)
    assert client.post("/signup", data={"email": "a@b.c", "age": "3"}).json() == {
        "email": "a@b.c",
        "age": 3,
    }
    missing = client.post("/signup", data={"age": "3"})
    assert missing.status_code == 422
    assert [(e["type"], e["loc"]) for e in missing.json()["detail"]] == [
        ("missing", ["body", "email"])
    ]
