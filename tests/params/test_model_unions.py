"""Unions of models in bodies and forms (``Person | Company``): pydantic models compared with
FastAPI 0.165 (form cases ported from its test_forms_multiple_unions.py); msgspec Structs,
which FastAPI does not know, compared with FastAPI running the same app on pydantic twins."""

from typing import Annotated, Literal

import msgspec
import pytest
from fidelity import Pair
from pydantic import BaseModel, ConfigDict, Field

import FasterAPI


class Person(BaseModel):
    kind: Literal["person"] = Field(alias="contact_type")
    name: str
    tags: list[str] = Field(default_factory=list)
    enabled: bool = False


class Company(BaseModel):
    kind: Literal["company"] = Field(alias="contact_type")
    company_name: str


class Email(BaseModel):
    delivery: Literal["email"]
    address: str


class Pickup(BaseModel):
    delivery: Literal["pickup"]
    location: str


class Settings(BaseModel):
    priority: int = Field(default=1, ge=1)


class ClosedPerson(Person):
    model_config = ConfigDict(extra="forbid")


def _dump(model: BaseModel | None) -> object:
    return None if model is None else model.model_dump(by_alias=True)


def _forms(fw):
    app = fw.FastAPI()

    @app.post("/combined")
    def combined(
        contact: Annotated[Person | Company, fw.Form(discriminator="kind")],
        delivery: Annotated[Email | Pickup, fw.Form(discriminator="delivery")],
        settings: Annotated[Settings, fw.Form()],
        token: Annotated[str, fw.Form()],
    ):
        return {
            "contact": _dump(contact),
            "delivery": _dump(delivery),
            "settings": _dump(settings),
            "token": token,
        }

    @app.post("/optional")
    def optional(
        token: Annotated[str, fw.Form()],
        contact: Annotated[Person | Company | None, fw.Form(discriminator="kind")] = None,
        delivery: Annotated[Email | Pickup | None, fw.Form(discriminator="delivery")] = None,
    ):
        return {"contact": _dump(contact), "delivery": _dump(delivery)}

    @app.post("/ordinary")
    def ordinary(contact: Annotated[Person | Company, fw.Form()], token: Annotated[str, fw.Form()]):
        return _dump(contact)

    @app.post("/closed")
    def closed(
        contact: Annotated[ClosedPerson | Company, fw.Form(discriminator="kind")],
        token: Annotated[str | None, fw.Form()] = None,
    ):
        return _dump(contact)

    @app.post("/single")
    def single(contact: Annotated[Email | Pickup, fw.Form()]):
        return {"type": type(contact).__name__, **contact.model_dump()}

    @app.post("/list")
    def listed(values: Annotated[list[str], fw.Form()]):
        return values

    return app


@pytest.mark.parametrize(
    ("url", "data"),
    [
        (
            "/combined",
            {
                "contact_type": "person",
                "name": "Rick",
                "tags": ["", "blue"],
                "delivery": "email",
                "address": "rick@example.com",
                "token": "secret",
                "priority": "2",
            },
        ),
        (
            "/combined",
            {
                "contact_type": "company",
                "company_name": "Acme",
                "delivery": "pickup",
                "location": "Office",
                "token": "secret",
            },
        ),
        ("/combined", {"contact_type": "robot", "token": "secret"}),
        ("/combined", {}),
        ("/optional", {"token": "secret"}),
        ("/optional", {"token": "secret", "contact_type": "company", "company_name": "Acme"}),
        ("/optional", {"token": "secret", "delivery": "pickup", "location": "Office"}),
        ("/optional", {"token": "secret", "name": ""}),
        ("/optional", {"token": "secret", "contact_type": "person"}),
        ("/ordinary", {"token": "secret", "contact_type": "company", "company_name": "Acme"}),
        ("/ordinary", {"token": "secret"}),
        ("/closed", {"contact_type": "person", "name": "Rick"}),
        ("/closed", {"contact_type": "person", "name": "Rick", "token": "secret"}),
        ("/closed", {"contact_type": "person", "name": "Rick", "company_name": "Acme"}),
        ("/closed", {"contact_type": "company", "company_name": "Acme", "token": "secret"}),
        ("/single", {"delivery": "email", "address": "a@b"}),
        ("/single", {"delivery": "pickup", "location": "Office"}),
        ("/single", {"delivery": "drone"}),
        ("/list", {"values": ["", "blue"]}),
        ("/list", {"values": [""]}),
        ("/list", {}),
    ],
)
def test_form_unions(pair, url: str, data: dict[str, object]) -> None:
    pair(_forms).post(url, data=data)


def test_form_unions_documented_as_fastapi() -> None:
    # openapi/form_bodies.py: models as allOf conditions, optional ones as "absent or model"
    both = Pair(_forms)
    ours = both.ours.get("/openapi.json").json()
    theirs = both.theirs.get("/openapi.json").json()
    assert ours["paths"] == theirs["paths"]
    assert ours["components"] == theirs["components"]


# --- msgspec Structs: the same app on pydantic twins is the reference -------------------------


class SPerson(msgspec.Struct):
    name: str
    age: int = 0


class SCompany(msgspec.Struct, forbid_unknown_fields=True):
    title: str


class Twins:  # pydantic twins named as the Structs (error locations name the class)
    class SPerson(BaseModel):
        name: str
        age: int = 0

    class SCompany(BaseModel):
        model_config = ConfigDict(extra="forbid")
        title: str


def _structs(fw):
    person, company = (SPerson, SCompany) if fw is FasterAPI else (Twins.SPerson, Twins.SCompany)
    app = fw.FastAPI()

    @app.post("/body")
    def body(x: person | company):  # type: ignore[valid-type]
        return {"type": type(x).__name__, "x": _plain(x)}

    @app.post("/mixed")
    def mixed(x: Annotated[Person | company, fw.Body(embed=True)]):  # type: ignore[valid-type]
        return {"type": type(x).__name__, "x": _plain(x)}

    @app.post("/nullable")
    def nullable(x: person | company | None = None):  # type: ignore[valid-type]
        return None if x is None else type(x).__name__

    @app.post("/form")
    def form(x: Annotated[person | company, fw.Form()]):  # type: ignore[valid-type]
        return {"type": type(x).__name__, "x": _plain(x)}

    return app


def _plain(value: object) -> object:
    if isinstance(value, msgspec.Struct):
        return msgspec.structs.asdict(value)
    assert isinstance(value, BaseModel)
    return value.model_dump(by_alias=True)


@pytest.mark.parametrize(
    "payload",
    [{"name": "Ada"}, {"name": "Ada", "age": "3"}, {"title": "Acme"}, {"title": 3}, {}, [], 1],
)
def test_struct_union_body(pair, payload: object) -> None:
    both = pair(_structs)
    both.post("/body", json=payload)
    both.post("/nullable", json=payload)


@pytest.mark.parametrize(
    "payload",
    [{"x": {"contact_type": "person", "name": "Rick"}}, {"x": {"title": "Acme"}}, {"x": {}}],
)
def test_struct_and_pydantic_union(pair, payload: object) -> None:
    pair(_structs).post("/mixed", json=payload)


@pytest.mark.parametrize("data", [{"name": "Ada"}, {"title": "Acme"}, {"title": "A", "z": "1"}, {}])
def test_struct_union_form(pair, data: dict[str, str]) -> None:
    pair(_structs).post("/form", data=data)


def test_struct_union_is_documented() -> None:
    app = _structs(FasterAPI)
    schema = FasterAPI.TestClient(app).get("/openapi.json").json()
    body = schema["paths"]["/body"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["anyOf"] == [
        {"$ref": "#/components/schemas/SPerson"},
        {"$ref": "#/components/schemas/SCompany"},
    ]


class TextForm(BaseModel):
    kind: Literal["text"]
    value: str


class ListForm(BaseModel):
    kind: Literal["list"]
    value: list[str]


def _rename(data: object) -> object:
    assert isinstance(data, dict)
    if "legacy" in data:
        data["value"] = data.pop("legacy")
    return data


def _kind(value: object) -> object:
    return value.get("kind") if isinstance(value, dict) else None


def _annotated(fw):
    from pydantic import BeforeValidator, Discriminator, Tag

    app = fw.FastAPI()

    @app.post("/tags")
    def tags(
        data: Annotated[
            Annotated[TextForm, Tag("text")] | Annotated[ListForm, Tag("list")],
            Discriminator(_kind),
            fw.Form(),
        ],
    ):
        return data.model_dump(exclude_unset=True)

    @app.post("/model")
    def model(data: Annotated[TextForm, BeforeValidator(_rename), fw.Form()]):
        return data.model_dump(exclude_unset=True)

    @app.post("/union")
    def union(data: Annotated[TextForm | ListForm, BeforeValidator(_rename), fw.Form()]):
        return data.model_dump(exclude_unset=True)

    @app.post("/mode")
    def mode(data: Annotated[TextForm | ListForm, Field(union_mode="left_to_right"), fw.Form()]):
        return type(data).__name__

    return app


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/tags", {"kind": "list", "value": ""}),
        ("/tags", {"kind": "text", "value": ""}),
        ("/tags", {"kind": "other"}),
        ("/model", {"kind": "text", "legacy": "hello"}),
        ("/union", {"kind": "text", "legacy": "hello"}),
        ("/union", {"kind": "list", "legacy": ["a", "b"]}),
        ("/mode", {"kind": "list", "value": "x"}),
    ],
)
def test_annotated_form_unions(pair, url: str, data: dict[str, object]) -> None:
    # dependencies/form_unions.py: Annotated metadata around the union (a Discriminator, a
    # BeforeValidator) and members' own Tags are kept, as in FastAPI
    pair(_annotated).post(url, data=data)


class First(BaseModel):
    first: int


class Second(BaseModel):
    second: int


def _same_names(fw):
    app = fw.FastAPI()

    def get_first(data: Annotated[First, fw.Form()]):
        return data.model_dump()

    def get_second(data: Annotated[Second, fw.Form()]):
        return data.model_dump()

    @app.post("/models")
    def models(
        first: Annotated[dict, fw.Depends(get_first)],
        second: Annotated[dict, fw.Depends(get_second)],
    ):
        return [first, second]

    def inspect_files(files: Annotated[list[bytes], fw.File()]):
        return [len(file) for file in files]

    @app.post("/files")
    async def files(
        sizes: Annotated[list[int], fw.Depends(inspect_files)],
        files: Annotated[list[fw.UploadFile], fw.File()],
    ):
        return {"sizes": sizes, "read": [len(await file.read()) for file in files]}

    return app


@pytest.mark.parametrize("data", [{"first": "1", "second": "2"}, {"first": "1"}, {}])
def test_same_name_in_two_dependencies(pair, data: dict[str, str]) -> None:
    # dependencies/body.py: each dependency reads its own "data" (they were merged by name)
    pair(_same_names).post("/models", data=data)


def test_same_name_files_of_two_types(pair) -> None:
    both = pair(_same_names)
    both.post("/files", files=[("files", ("a", b"abc")), ("files", ("b", b"de"))])


def test_same_name_documented_as_fastapi() -> None:
    both = Pair(_same_names)
    ours = both.ours.get("/openapi.json").json()
    theirs = both.theirs.get("/openapi.json").json()
    assert ours["paths"] == theirs["paths"]
    assert ours["components"] == theirs["components"]


class Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str


def _token() -> str:
    return "default"


def _overridden(fw):
    app = fw.FastAPI()

    def form_token(token: Annotated[str, fw.Form()]):
        return token

    def json_item(item: Settings):
        return item.priority

    @app.post("/form")
    def form(profile: Annotated[Closed, fw.Form()], value: Annotated[str, fw.Depends(_token)]):
        return {"profile": profile.model_dump(), "token": value}

    @app.post("/json")
    def json_(value: Annotated[object, fw.Depends(_token)]):
        return {"value": value}

    app.dependency_overrides[_token] = form_token
    app.state.json_item = json_item
    return app


@pytest.mark.parametrize("data", [{"name": "Rick", "token": "secret"}, {"name": "Rick"}])
def test_override_adding_a_form_parameter(pair, data: dict[str, str]) -> None:
    # dependencies/plan.py: an override's own body parameters were never read (a 500)
    pair(_overridden).post("/form", data=data)


@pytest.mark.parametrize("payload", [{"priority": 3}, {"priority": 0}, None])
def test_override_adding_a_json_body(pair, payload: object) -> None:
    both = pair(_overridden)
    for app in (both.ours_app, both.theirs_app):
        app.dependency_overrides[_token] = app.state.json_item
    both.post("/json", json=payload)
