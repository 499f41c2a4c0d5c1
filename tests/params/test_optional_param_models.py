"""Parameter models (query, header, cookie, form) that are optional (``Model | None``), that
forbid or allow extra keys, with default factories: compared with FastAPI 0.165 (cases
ported from its test_*_optional_models.py and test_multiple_parameter_models.py)."""

from typing import Annotated

import pytest
from fidelity import Pair
from pydantic import AliasChoices, BaseModel, ConfigDict, Field, model_validator

CALLS: list[str] = []


def _factory() -> list[str]:
    CALLS.append("factory")
    return ["made"]


class Filters(BaseModel):
    start: int
    end: int
    tags: list[str] = Field(default_factory=_factory)
    enabled: bool = True
    label: str = "default"

    @model_validator(mode="after")
    def check_range(self) -> "Filters":
        if self.start > self.end:
            raise ValueError("start must not exceed end")
        return self


class Forbid(BaseModel):
    model_config = ConfigDict(extra="forbid")
    a: int = 0


class Allow(BaseModel):
    model_config = ConfigDict(extra="allow")
    term: str


class Term(BaseModel):
    term: str = "default"


class Aliased(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    term: str = Field(validation_alias=AliasChoices("q", "search"))


class Other(BaseModel):
    term: str
    limit: int


def _app(fw):
    app = fw.FastAPI()

    @app.get("/query")
    def query(filters: Annotated[Filters | None, fw.Query()] = None):
        return filters.model_dump() if filters else None

    @app.get("/header")
    def header(filters: Annotated[Term | None, fw.Header()] = None):
        return filters.model_dump() if filters else None

    @app.get("/cookie")
    def cookie(filters: Annotated[Term | None, fw.Cookie()] = None):
        return filters.model_dump() if filters else None

    @app.post("/form")
    def form(filters: Annotated[Term | None, fw.Form()] = None):
        return filters.model_dump() if filters else None

    @app.get("/forbid-query")
    def forbid_query(m: Annotated[Forbid, fw.Query()]):
        return m.model_dump()

    @app.get("/forbid-optional")
    def forbid_optional(m: Annotated[Forbid | None, fw.Query()] = None, limit: int = 1):
        return m.model_dump() if m else None

    @app.get("/forbid-header")
    def forbid_header(m: Annotated[Forbid, fw.Header()]):
        return m.model_dump()

    @app.get("/forbid-cookie")
    def forbid_cookie(m: Annotated[Forbid, fw.Cookie()]):
        return m.model_dump()

    @app.post("/forbid-form")
    def forbid_form(m: Annotated[Forbid, fw.Form()]):
        return m.model_dump()

    @app.get("/allow")
    def allow(m: Annotated[Allow | None, fw.Query()] = None):
        return m.model_dump() if m else None

    @app.get("/required-nullable")
    def required_nullable(m: Annotated[Term | None, fw.Query()]):
        return m.model_dump() if m else None

    @app.get("/shared")
    def shared(
        filters: Annotated[Aliased | None, fw.Query()] = None,
        other: Annotated[Other | None, fw.Query()] = None,
    ):
        return [filters.model_dump() if filters else None, other.model_dump() if other else None]

    @app.get("/factory")
    def factory(x: Annotated[list[str], fw.Query(default_factory=_factory)]):
        return x

    return app


@pytest.mark.parametrize(
    "url",
    [
        "/query",
        "/query?start=0&end=10&tags=a&tags=b&label=",
        "/query?start=&end=10",
        "/query?label=",
        "/query?tags=a",
        "/query?enabled=false",
        "/query?start=20&end=10",
        "/forbid-query?a=1&z=2",
        "/forbid-query?a=1&z=2&z=3",
        "/forbid-query",
        "/forbid-optional",
        "/forbid-optional?limit=5",
        "/forbid-optional?limit=5&unknown=a&unknown=b",
        "/allow",
        "/allow?unknown=value",
        "/allow?term=search&unknown=value",
        "/required-nullable",
        "/required-nullable?term=",
        "/shared?q=value",
        "/shared?search=value",
        "/shared?term=value",
        "/shared?q=value&term=value&limit=5",
    ],
)
def test_query_models(pair, url: str) -> None:
    pair(_app).get(url)


@pytest.mark.parametrize("headers", [{}, {"term": "x"}, {"a": "1", "z": "2"}])
def test_header_models(pair, headers: dict[str, str]) -> None:
    both = pair(_app)
    both.get("/header", headers=headers)
    both.get("/forbid-header", headers=headers)


@pytest.mark.parametrize("cookies", [{}, {"term": "x"}, {"a": "1", "z": "2"}])
def test_cookie_models(cookies: dict[str, str]) -> None:
    for url in ("/cookie", "/forbid-cookie"):
        both = Pair(_app)
        both.get(url, cookies=cookies)


@pytest.mark.parametrize("data", [{}, {"term": "x"}, {"term": ""}, {"a": "1", "z": "2"}])
def test_form_models(pair, data: dict[str, str]) -> None:
    both = pair(_app)
    both.post("/form", data=data)
    both.post("/forbid-form", data=data)


def test_default_factories_run_per_request_not_at_definition() -> None:
    CALLS.clear()
    both = Pair(_app)
    assert CALLS == []  # neither framework calls a factory when the route is defined
    both.get("/factory")
    both.get("/query?start=1&end=2")
    assert CALLS == ["factory"] * 4


def test_mutable_default_is_copied_per_request(pair) -> None:
    shared = ["a"]

    def make(fw):
        app = fw.FastAPI()

        @app.get("/")
        def read(items: Annotated[list[str], fw.Query()] = shared):
            items.append("new")
            return items

        return app

    both = pair(make)
    both.get("/")
    both.get("/")
    assert shared == ["a"]


def test_openapi_members_of_optional_models_are_not_required() -> None:
    both = Pair(_app)
    ours = both.ours.get("/openapi.json").json()
    theirs = both.theirs.get("/openapi.json").json()
    assert ours["paths"] == theirs["paths"]
    assert ours["components"] == theirs["components"]  # the optional form model's Body_ too
    assert not any(
        parameter["required"] for parameter in ours["paths"]["/query"]["get"]["parameters"]
    )


class Named(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    name: str = Field(alias="display_name")
    department: str


def _forms(fw):
    class WithFile(BaseModel):
        name: str
        attachment: fw.UploadFile | None = None

    app = fw.FastAPI()

    @app.post("/file-model")
    async def file_model(m: Annotated[WithFile, fw.Form()]):
        content = await m.attachment.read() if m.attachment else None
        return {"name": m.name, "content": content.decode() if content else None}

    @app.post("/named")
    def named(
        token: Annotated[str, fw.Form()],
        profile: Annotated[Named | None, fw.Form()] = None,
    ):
        return profile.model_dump() if profile else None

    @app.post("/validated")
    def validated(
        token: Annotated[str, fw.Form()],
        m: Annotated[Term | None, fw.Form(validate_default=True)] = Term(term="x"),
    ):
        return m.model_dump() if m else None

    return app


@pytest.mark.parametrize(
    ("url", "data", "files"),
    [
        ("/file-model", {"name": "a"}, None),
        ("/file-model", {"name": "a"}, {"attachment": ("a.txt", b"hello")}),
        ("/file-model", {"name": "a", "attachment": "text"}, None),
        ("/named", {"token": "t"}, None),
        ("/named", {"token": "t", "name": "Rick", "department": "S"}, None),
        ("/named", {"token": "t", "display_name": "Rick", "department": "S"}, None),
        ("/named", {"token": "t", "name": "Rick"}, None),
        ("/validated", {"token": "t"}, None),
    ],
)
def test_form_models_with_files_aliases_defaults(pair, url, data, files) -> None:
    # _upload.py: pydantic validates an UploadFile field; form_bodies.py: alias schemas
    pair(_forms).post(url, data=data, files=files)


def test_form_model_aliases_documented_as_fastapi() -> None:
    both = Pair(_forms)
    ours = both.ours.get("/openapi.json").json()
    theirs = both.theirs.get("/openapi.json").json()
    assert ours["paths"] == theirs["paths"]
    assert ours["components"] == theirs["components"]
