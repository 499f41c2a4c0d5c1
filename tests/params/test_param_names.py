"""Parameter names, extras and documentation of parameter models, compared with FastAPI 0.165
(cases from its test_request_params, test_header_cookie_alias_choices and
test_multiple_parameter_models, found by running FastAPI's suite through the stand-in)."""

from typing import Annotated

import pytest
from fidelity import Pair
from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field

Count = Annotated[int, Field(alias="original", title="Original", description="From Field")]
ValidatedInt = Annotated[int | None, BeforeValidator(lambda v: 0 if v is None else int(v) * 2)]


class Aliased(BaseModel):
    p: str = Field(alias="p_alias")


class HeaderItems(BaseModel):
    model_config = ConfigDict(extra="allow")
    item_values: Annotated[list[str], Field(validation_alias=AliasChoices("item_values", "X-Tag"))]


class PythonNames(BaseModel):
    model_config = ConfigDict(loc_by_alias=False)
    int_val: int
    item_count: int


class Optional_(BaseModel):
    shared: int = 1


class Required_(BaseModel):
    shared: int


class Hidden(BaseModel):
    secret: str


class Filters(BaseModel):
    term: str = Field(alias="q", description="Search term")
    limit: int = Field(10, ge=1)


def _app(fw):
    app = fw.FastAPI()

    @app.get("/model-alias")
    def model_alias(m: Annotated[Aliased, fw.Query()]):
        return m.model_dump()

    @app.get("/header-items")
    def header_items(m: Annotated[HeaderItems, fw.Header()]):
        return {"items": m.item_values, "legacy": (m.model_extra or {}).get("x-tag")}

    @app.get("/python-names")
    def python_names(m: Annotated[PythonNames, fw.Header()]):
        return m.model_dump()

    @app.get("/shared")
    def shared(
        optional: Annotated[Optional_, fw.Query()],
        required: Annotated[Required_, fw.Query()],
        hidden: Annotated[Hidden, fw.Query(include_in_schema=False)],
    ):
        return [optional.model_dump(), required.model_dump(), hidden.model_dump()]

    @app.get("/required-nullable")
    def required_nullable(filters: Annotated[Filters | None, fw.Query()]):
        return filters.model_dump() if filters else None

    @app.get("/overrides")
    def overrides(
        preserved: Annotated[Count, fw.Query()],
        replaced: Annotated[Count, fw.Query(alias="replacement", title="R", description="Q")],
        cleared: Annotated[Count, fw.Query(alias=None, title=None, description=None)],
    ):
        return {"preserved": preserved, "replaced": replaced, "cleared": cleared}

    @app.get("/validate-default")
    def validate_default(
        value: Annotated[ValidatedInt, Field(validate_default=True), fw.Query()] = 10,
    ):
        return value

    @app.get("/no-validate-default")
    def no_validate_default(
        value: Annotated[
            ValidatedInt, Field(validate_default=True), fw.Query(validate_default=False)
        ] = 10,
    ):
        return value

    @app.post("/embedded")
    def embedded(a: Annotated[int, fw.Body(embed=True)] = 1):
        return a

    return app


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        ("/model-alias", {}),
        ("/model-alias?p=hello", {}),
        ("/model-alias?p_alias=hello", {}),
        ("/header-items", {"ITEM_VALUES": "one"}),
        ("/header-items", {"x-tag": "two"}),
        ("/header-items", {"item_values": "one", "x-tag": "unused"}),
        ("/python-names", {}),
        ("/python-names", {"int-val": "x", "item-count": "1"}),
        ("/shared?shared=2&secret=ok", {}),
        ("/shared?secret=ok", {}),
        ("/required-nullable", {}),
        ("/required-nullable?q=value", {}),
        ("/overrides?original=1&replacement=2&cleared=3", {}),
        ("/validate-default", {}),
        ("/validate-default?value=3", {}),
        ("/no-validate-default", {}),
    ],
)
def test_requests(pair, url: str, headers: dict[str, str]) -> None:
    pair(_app).get(url, headers=headers)


@pytest.mark.parametrize("body", [b"null", b"[1]", b"3", b'"s"', b"{}", b'{"a": 2}'])
def test_embedded_body_needs_an_object(pair, body: bytes) -> None:
    pair(_app).post("/embedded", content=body, headers={"content-type": "application/json"})


def test_documented_as_fastapi() -> None:
    both = Pair(_app)
    ours = both.ours.get("/openapi.json").json()
    theirs = both.theirs.get("/openapi.json").json()
    assert ours["paths"] == theirs["paths"]
    shared = ours["paths"]["/shared"]["get"]["parameters"]
    assert [(p["name"], p["required"]) for p in shared] == [("shared", True)]


def test_marker_in_() -> None:
    import FasterAPI

    assert FasterAPI.Query().in_.value == "query"
    assert FasterAPI.Header().in_.value == "header"


@pytest.mark.parametrize("where", ["query", "header", "cookie"])
def test_json_model_is_one_parameter(where: str) -> None:
    # dependencies/fields.py: Json[Model] was read as a parameter model, field by field
    from pydantic import Json

    class Model(BaseModel):
        value: int

    def make(fw):
        marker = {"query": fw.Query, "header": fw.Header, "cookie": fw.Cookie}[where]
        app = fw.FastAPI()

        @app.get("/")
        def read(data: Annotated[Json[Model], marker()], limit: Annotated[int, marker()] = 10):
            return {"data": data.model_dump(), "limit": limit}

        return app

    both = Pair(make)
    for text in ('{"value": 2}', '{"value": "x"}', "nope"):
        if where == "query":
            both.get("/", params={"data": text})
        elif where == "header":
            both.get("/", headers={"data": text})
        else:
            both.get("/", headers={"cookie": f"data={text}"})
    ours = both.ours.get("/openapi.json").json()["paths"]
    assert ours == both.theirs.get("/openapi.json").json()["paths"]


def test_json_schema_extra_merged_cleared_and_callable() -> None:
    # field_info.py: a Field's json_schema_extra merges under the marker's (None clears it);
    # openapi/schemas.py: a callable json_schema_extra edits the schema
    Extra = Annotated[int, Field(alias="original", json_schema_extra={"x-a": 1, "x-b": 1})]

    def edit(schema: dict) -> None:
        schema["x-custom"] = "preserved"

    def make(fw):
        app = fw.FastAPI()

        @app.get("/")
        def read(
            kept: Annotated[Extra, fw.Query()],
            merged: Annotated[Extra, fw.Query(alias="m", json_schema_extra={"x-b": 2})],
            cleared: Annotated[Extra, fw.Query(alias=None, json_schema_extra=None)],
            edited: Annotated[str, fw.Query(json_schema_extra=edit)] = "x",
        ):
            return [kept, merged, cleared, edited]

        return app

    both = Pair(make)
    both.get("/?original=1&m=2&cleared=3")
    ours = both.ours.get("/openapi.json").json()["paths"]
    assert ours == both.theirs.get("/openapi.json").json()["paths"]
