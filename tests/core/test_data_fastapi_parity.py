"""Response bodies compared byte for byte with FastAPI 0.165 for the types msgspec writes
differently: ``timedelta``, ``bytes``, ``Decimal``, ``frozenset``, dataclasses (stdlib and
pydantic), pydantic models with aliases; returned with no declared type (FastAPI:
``jsonable_encoder``) or with one (FastAPI: pydantic). Also ``RedirectResponse`` as
``response_class`` with a returned URL. Cases from FastAPI's docs_src (extra_data_types,
dataclasses_, custom_response) and tests/test_serialize_response_dataclass.py."""

import dataclasses
import datetime as dt
import enum
import uuid
from decimal import Decimal
from pathlib import PurePosixPath
from types import ModuleType
from typing import Annotated, Any

import pydantic
import pytest
import typing_extensions
from pydantic import BaseModel, ConfigDict, Field
from twins import Twins, sub

import FasterAPI


class Color(enum.Enum):
    RED = "red"


class Aliased(BaseModel):
    my_name: str = Field(alias="myName")
    delay: dt.timedelta = dt.timedelta(hours=1)


class Measures(BaseModel):
    td: dt.timedelta
    fs: frozenset[int]
    b: bytes
    d: Decimal


class Base64Bytes(BaseModel):
    model_config = ConfigDict(ser_json_bytes="base64", val_json_bytes="base64")
    data: bytes


@dataclasses.dataclass
class Plain:
    name: str
    price: float
    tags: list[str] = dataclasses.field(default_factory=list)
    delay: dt.timedelta = dt.timedelta(seconds=90)
    amount: Decimal = Decimal("1.10")


@dataclasses.dataclass
class WithBytes:
    raw: bytes = b"raw"
    amount: Decimal = Decimal("1")


@pydantic.dataclasses.dataclass
class PydanticItem:
    name: str
    description: str | None = None


@pydantic.dataclasses.dataclass
class Author:
    name: str
    items: list[PydanticItem] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Dated:
    name: str
    date: dt.datetime
    price: float | None = None
    owner_ids: list[int] | None = None


DURATIONS = [
    dt.timedelta(days=1, hours=2),
    dt.timedelta(seconds=90),
    dt.timedelta(seconds=-1.5),
    dt.timedelta(microseconds=5),
    dt.timedelta(0),
    dt.timedelta(days=400, seconds=3661, microseconds=120000),
    dt.timedelta(days=-1, seconds=3600),
]
VALUES: dict[str, Any] = {
    "td": dt.timedelta(days=1, hours=2),
    "fs": frozenset({3}),
    "d": Decimal("1.10"),
}


def data_app(fw: ModuleType) -> Any:
    responses = sub(fw, "responses")
    app = fw.FastAPI()

    @app.put("/items/{item_id}")  # docs_src/extra_data_types/tutorial001
    async def read_items(
        item_id: uuid.UUID,
        start_datetime: Annotated[dt.datetime, fw.Body()],
        end_datetime: Annotated[dt.datetime, fw.Body()],
        process_after: Annotated[dt.timedelta, fw.Body()],
        repeat_at: Annotated[dt.time | None, fw.Body()] = None,
    ):  # type: ignore[no-untyped-def]
        start_process = start_datetime + process_after
        duration = end_datetime - start_process
        return {
            "item_id": item_id,
            "process_after": process_after,
            "repeat_at": repeat_at,
            "duration": duration,
        }

    @app.get("/untyped/values")
    def untyped_values():  # type: ignore[no-untyped-def]
        return dict(VALUES)

    @app.get("/untyped/nested")
    def untyped_nested():  # type: ignore[no-untyped-def]
        return {
            # (not 5 µs: json.dumps writes 5e-06, msgspec 5e-6, the same number)
            "durations": [d for d in DURATIONS if d.microseconds != 5],
            "decimals": [Decimal("1.10"), Decimal("3"), Decimal("1E+2"), Decimal("-0.5")],
            "sets": [{1}, frozenset({2})],
            "tuple": (1, "a"),
            "dataclass": Plain("p", 1.5),
            "model": Aliased(myName="m"),
            "enum": Color.RED,
            "uuid": uuid.UUID(int=1),
            "path": PurePosixPath("/a/b"),
            "plain": [{"a": 1, "b": [None, True, 2.5, "x"]}],
        }

    @app.get("/untyped/plain")
    def untyped_plain():  # type: ignore[no-untyped-def]
        return [{"id": index, "name": f"n{index}", "tags": ["a"]} for index in range(3)]

    @app.get("/untyped/dataclass")
    def untyped_dataclass():  # type: ignore[no-untyped-def]
        return Plain("p", 2.0, tags=["x"])

    @app.get("/untyped/aliased")
    def untyped_aliased():  # type: ignore[no-untyped-def]
        return {"items": [Aliased(myName="y")]}

    @app.get("/typed/timedelta")
    def typed_timedelta() -> dt.timedelta:
        return dt.timedelta(seconds=90)

    @app.get("/typed/durations")
    def typed_durations() -> list[dt.timedelta]:
        return DURATIONS

    @app.get("/typed/bytes")
    def typed_bytes() -> bytes:
        return b"abc"

    @app.get("/typed/decimal")
    def typed_decimal() -> Decimal:
        return Decimal("1.10")

    @app.get("/typed/decimals")
    def typed_decimals() -> dict[str, Decimal]:
        return {"a": Decimal("1.10"), "b": Decimal("1E+2")}

    @app.get("/typed/frozenset")
    def typed_frozenset() -> frozenset[int]:
        return frozenset({1})

    @app.get("/typed/any")
    def typed_any() -> dict[str, Any]:
        return {**VALUES, "dataclass": Plain("p", 1.0), "model": Aliased(myName="a")}

    @app.get("/typed/any-plain")
    def typed_any_plain() -> dict[str, Any]:
        return {"id": 1, "name": "plain", "score": 2.5}

    @app.get("/typed/model", response_model=Measures)
    def typed_model():  # type: ignore[no-untyped-def]
        return {**VALUES, "b": b"hi"}

    @app.get("/typed/with-bytes")
    def typed_with_bytes() -> list[WithBytes]:
        return [WithBytes(), WithBytes(b"more", Decimal("2.50"))]

    @app.get("/typed/dataclass")
    def typed_dataclass() -> Plain:
        return Plain("p", 1.5)

    @app.get("/typed/dataclass-from-dict", response_model=Plain)
    def typed_dataclass_from_dict():  # type: ignore[no-untyped-def]
        return {"name": "d", "price": "2"}

    @app.post("/typed/dataclass-body")
    def typed_dataclass_body(item: Plain) -> Plain:
        return item

    @app.post("/base64")
    def base64_echo(body: Base64Bytes) -> Base64Bytes:
        return body

    @app.post("/base64-untyped")
    def base64_untyped(body: Base64Bytes):  # type: ignore[no-untyped-def]
        return body

    @app.post("/authors/{author_id}/items/", response_model=Author)  # dataclasses_/003
    async def create_author_items(author_id: str, items: list[PydanticItem]):  # type: ignore[no-untyped-def]
        return {"name": author_id, "items": items}

    @app.get("/authors/", response_model=list[Author])
    def get_authors():  # type: ignore[no-untyped-def]
        return [{"name": "Breaters", "items": [{"name": "Island"}, {"name": "Holy Buddies"}]}]

    @app.get("/dated/coerce", response_model=Dated)  # test_serialize_response_dataclass
    def get_coerce():  # type: ignore[no-untyped-def]
        return {"name": "coerce", "date": dt.datetime(2021, 7, 26).isoformat(), "price": "1.0"}

    @app.get("/dated/objectlist", response_model=list[Dated])
    def get_objectlist():  # type: ignore[no-untyped-def]
        return [Dated("foo", dt.datetime(2021, 7, 26)), Dated("baz", dt.datetime(2021, 7, 26), 2.0, [1])]

    @app.get("/dated/no-response-model")
    def get_no_response_model():  # type: ignore[no-untyped-def]
        return [Dated("foo", dt.datetime(2021, 7, 26), owner_ids=[1, 2, 3])]

    @app.get("/fastapi", response_class=responses.RedirectResponse)  # custom_response/006b
    async def redirect_fastapi():  # type: ignore[no-untyped-def]
        return "https://fastapi.tiangolo.com"

    @app.get("/pydantic", response_class=responses.RedirectResponse, status_code=302)
    async def redirect_pydantic():  # type: ignore[no-untyped-def]
        return "https://docs.pydantic.dev/"

    @app.get("/typer")  # custom_response/006
    async def redirect_typer():  # type: ignore[no-untyped-def]
        return responses.RedirectResponse("https://typer.tiangolo.com")

    @app.get("/html", response_class=responses.HTMLResponse)
    async def html():  # type: ignore[no-untyped-def]
        return b"<p>bytes</p>"

    return app


@pytest.fixture(scope="module")
def data() -> Any:
    twins = Twins(data_app, headers=("content-type", "location", "content-length"))
    yield twins
    twins.close()


GETS = [
    "/untyped/values",
    "/untyped/nested",
    "/untyped/plain",
    "/untyped/dataclass",
    "/untyped/aliased",
    "/typed/timedelta",
    "/typed/durations",
    "/typed/bytes",
    "/typed/decimal",
    "/typed/decimals",
    "/typed/frozenset",
    "/typed/any",
    "/typed/any-plain",
    "/typed/model",
    "/typed/with-bytes",
    "/typed/dataclass",
    "/typed/dataclass-from-dict",
    "/authors/",
    "/dated/coerce",
    "/dated/objectlist",
    "/dated/no-response-model",
    "/fastapi",
    "/pydantic",
    "/typer",
    "/html",
]


@pytest.mark.parametrize("path", GETS)
def test_bodies_match_fastapi(data: Twins, path: str) -> None:
    data.get(path, follow_redirects=False)


POSTS = [
    ("/typed/dataclass-body", {"name": "n", "price": 1}),
    ("/typed/dataclass-body", {"name": "n", "price": 1, "delay": "P1DT2H", "amount": "2.50"}),
    ("/typed/dataclass-body", {"name": "n"}),
    ("/base64", {"data": "aGk="}),
    ("/base64", {"data": "a"}),
    ("/base64-untyped", {"data": "aGk="}),
    ("/authors/Brian/items/", [{"name": "Potion"}, {"name": "Poison", "description": "?"}]),
]


@pytest.mark.parametrize(("path", "body"), POSTS)
def test_posted_bodies_match_fastapi(data: Twins, path: str, body: Any) -> None:
    data.post(path, json=body)


def test_extra_data_types_tutorial(data: Twins) -> None:
    """Regression: an untyped dict's timedelta was an ISO duration ('P2DT3300S'); FastAPI's
    jsonable_encoder writes its seconds."""
    body = {
        "start_datetime": "2018-12-22T14:00:00+00:00",
        "end_datetime": "2018-12-24T15:00:00+00:00",
        "repeat_at": "15:30:00",
        "process_after": 300,
    }
    response = data.check("PUT", "/items/ff97dd87-a4a5-4a12-b412-cde99f33e00e", json=body)
    assert response.json() == {
        "item_id": "ff97dd87-a4a5-4a12-b412-cde99f33e00e",
        "process_after": 300.0,
        "repeat_at": "15:30:00",
        "duration": 176100.0,
    }


def test_typed_and_untyped_rules(data: Twins) -> None:
    """Regressions: a typed timedelta was msgspec's 'PT90S' (pydantic: 'PT1M30S'), bytes
    base64, a Decimal a number; untyped Decimals kept their digits (FastAPI: a float)."""
    assert data.get("/untyped/values").content == b'{"td":93600.0,"fs":[3],"d":1.1}'
    assert data.get("/typed/timedelta").content == b'"PT1M30S"'
    assert data.get("/typed/bytes").content == b'"abc"'
    assert data.get("/typed/decimal").content == b'"1.10"'
    assert data.get("/typed/dataclass-from-dict").json()["delay"] == "PT1M30S"  # default kept
    assert data.get("/untyped/aliased").json() == {"items": [{"myName": "y", "delay": "PT1H"}]}
    redirect = data.get("/fastapi", follow_redirects=False)
    assert (redirect.status_code, redirect.headers["location"]) == (307, "https://fastapi.tiangolo.com")


def test_bytes_of_no_declared_type_stay_base64() -> None:
    """The documented difference: FastAPI's jsonable_encoder decodes bytes as UTF-8 (a 500
    for binary data); finding them would cost a walk of every untyped response."""
    app = FasterAPI.Faster()

    @app.get("/raw")
    def raw():  # type: ignore[no-untyped-def]
        return {"raw": b"hi", "delay": dt.timedelta(seconds=1)}

    @app.get("/declared")
    def declared() -> dict[str, bytes]:
        return {"raw": b"hi"}

    client = FasterAPI.TestClient(app)
    assert client.get("/raw").json() == {"raw": "aGk=", "delay": 1.0}
    assert client.get("/declared").json() == {"raw": "hi"}


def test_redirect_documented_with_its_status(data: Twins) -> None:
    ours = data.ours_app.openapi()["paths"]
    theirs = data.theirs_app.openapi()["paths"]
    for path in ("/fastapi", "/pydantic", "/typer"):
        assert ours[path] == theirs[path]
    assert list(ours["/fastapi"]["get"]["responses"]) == ["307"]


def test_pydantic_dataclasses_go_through_pydantic() -> None:
    """A pydantic dataclass's validators run on the body and the response, as in FastAPI."""

    @pydantic.dataclasses.dataclass
    class Upper:
        name: str

        @pydantic.field_validator("name")
        @classmethod
        def upper(cls, value: str) -> str:
            return value.upper()

    def build(fw: ModuleType) -> Any:
        app = fw.FastAPI()

        @app.post("/upper")
        def echo(item: Upper) -> Upper:
            return item

        @app.get("/upper", response_model=Upper)
        def read():  # type: ignore[no-untyped-def]
            return {"name": "from dict"}

        return app

    twins = Twins(build)
    try:
        assert twins.post("/upper", json={"name": "abc"}).json() == {"name": "ABC"}
        assert twins.get("/upper").json() == {"name": "FROM DICT"}
        twins.post("/upper", json={"name": 1})
    finally:
        twins.close()


def test_app_documents_dataclasses_of_pydantic_as_fastapi(data: Twins) -> None:
    ours = data.ours_app.openapi()
    theirs = data.theirs_app.openapi()
    path = "/authors/{author_id}/items/"
    assert ours["paths"][path]["post"]["parameters"] == theirs["paths"][path]["post"]["parameters"]


@dataclasses.dataclass
class TutorialItem:
    name: str
    price: float
    tags: list[str] = dataclasses.field(default_factory=list)
    description: str | None = None
    delay: dt.timedelta = dt.timedelta(seconds=90)


class Movie(typing_extensions.TypedDict):  # pydantic needs it before Python 3.12
    title: str
    year: int


def documented(fw: ModuleType) -> Any:
    """docs_src/dataclasses_/tutorial001-002, extra_data_types/tutorial001 and the types
    msgspec documents otherwise than pydantic (datetimes, Decimals, bytes)."""
    app = fw.FastAPI()

    @app.post("/items/")
    async def create_item(item: TutorialItem):  # type: ignore[no-untyped-def]
        return item

    @app.get("/items/next", response_model=TutorialItem)
    async def read_next_item():  # type: ignore[no-untyped-def]
        return {"name": "Island In The Moon", "price": 12.99, "tags": ["breater"]}

    @app.put("/items/{item_id}")
    async def read_items(
        item_id: uuid.UUID,
        start_datetime: Annotated[dt.datetime, fw.Body()],
        process_after: Annotated[dt.timedelta, fw.Body()],
        repeat_at: Annotated[dt.time | None, fw.Body()] = None,
    ):  # type: ignore[no-untyped-def]
        return {}

    @app.get("/scalars")
    def scalars(
        when: dt.datetime,
        amount: Annotated[Decimal, fw.Query(ge=0)],
        raw: bytes,
        at: dt.time | None = None,
    ):  # type: ignore[no-untyped-def]
        return {}

    @app.post("/base64")
    def base64_model(body: Base64Bytes) -> Base64Bytes:
        return body

    @app.post("/movies")
    def movies(movie: Movie) -> list[Movie]:
        return [movie]

    return app


def test_documented_as_fastapi() -> None:
    """Regression: dataclass fields had no titles and a default_factory default, datetimes
    no date-time format, bytes were base64, a Decimal a 'decimal' string."""
    twins = Twins(documented)
    try:
        document = twins.openapi()
    finally:
        twins.close()
    item = document["components"]["schemas"]["TutorialItem"]
    assert item["properties"]["name"]["title"] == "Name"
    assert "default" not in item["properties"]["tags"]
    assert item["properties"]["delay"]["default"] == "PT1M30S"
    parameters = {p["name"]: p["schema"] for p in document["paths"]["/scalars"]["get"]["parameters"]}
    assert parameters["when"]["format"] == "date-time"
    assert parameters["raw"]["contentMediaType"] == "application/octet-stream"
