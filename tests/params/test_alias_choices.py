"""``validation_alias`` (a name, ``AliasChoices``, ``AliasPath``) on every parameter source,
compared with FastAPI 0.165 (cases ported from its test_*_alias_choices.py)."""

from typing import Annotated, Any

import pytest
from fidelity import Pair
from openapi_fidelity import same_openapi
from pydantic import AliasChoices, AliasPath, BaseModel, ConfigDict, Field


class QueryModel(BaseModel):
    value: Annotated[int, Field(alias="ignored", validation_alias=AliasChoices("first", "second"))]
    items: Annotated[
        list[str], Field(validation_alias=AliasChoices("item", "tag"), title="Chosen items")
    ] = ["default"]


class Forbidding(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: Annotated[int, Field(validation_alias=AliasChoices("first", "second"))]


class Sharing(BaseModel):
    names: Annotated[list[str], Field(validation_alias=AliasChoices("names", "legacy"))]
    text: Annotated[str, Field(validation_alias=AliasChoices("text", "legacy"))]


class ByName(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    items: Annotated[list[int], Field(validation_alias=AliasChoices("item", "tag"))]


class Deep(BaseModel):
    value: Annotated[int, Field(validation_alias=AliasPath("items", 0))]


class Body_(BaseModel):
    value: Annotated[int, Field(validation_alias=AliasChoices("first", "second"))]
    deep: Annotated[int, Field(validation_alias=AliasPath("a", 0))] = 0


def _app(fw: Any):
    app = fw.FastAPI()

    @app.get("/individual")
    def individual(
        value: Annotated[
            int, fw.Query(alias="ignored", validation_alias=AliasChoices("first", "second"))
        ],
        items: Annotated[
            list[str], fw.Query(validation_alias=AliasChoices("item", "tag"), title="Chosen items")
        ] = ["default"],  # noqa: B006
    ):
        return {"value": value, "items": items}

    @app.get("/model")
    def model(data: Annotated[QueryModel, fw.Query()]):
        return {"value": data.value, "items": data.items}

    @app.get("/headers")
    def headers(data: Annotated[QueryModel, fw.Header()]):
        return {"value": data.value, "items": data.items}

    @app.get("/inferred")
    def inferred(value: Annotated[int, Field(validation_alias=AliasChoices("first", "second"))]):
        return value

    @app.get("/forbid")
    def forbid(data: Annotated[Forbidding, fw.Query()]):
        return data.model_dump()

    @app.get("/sharing")
    def sharing(data: Annotated[Sharing, fw.Query()]):
        return data.model_dump()

    @app.get("/by-name")
    def by_name(data: Annotated[ByName, fw.Query()]):
        return {"items": data.items}

    @app.get("/deep")
    def deep(data: Annotated[Deep, fw.Query()]):
        return data.model_dump()

    @app.get("/empty")
    def empty(value: Annotated[int, fw.Query(validation_alias=AliasChoices("", "other"))]):
        return value

    @app.get("/header")
    def header(
        x_value: Annotated[
            int, fw.Header(alias="ignored", validation_alias=AliasChoices("X-First", "X-Second"))
        ],
        item_values: Annotated[
            list[str], fw.Header(validation_alias=AliasChoices("item_values", "X-Tag"))
        ] = ["default"],  # noqa: B006
    ):
        return {"value": x_value, "items": item_values}

    @app.get("/header-name")
    def header_name(v: Annotated[int, fw.Header(validation_alias="x-val")]):
        return v

    @app.get("/cookie")
    def cookie(
        value: Annotated[
            int,
            fw.Cookie(alias="ignored", validation_alias=AliasChoices("session", "legacy")),
        ],
    ):
        return {"value": value}

    @app.get("/path/{item_id}")
    def path(v: Annotated[int, fw.Path(validation_alias=AliasChoices("id", "item_id"))]):
        return v

    @app.post("/embedded")
    def embedded(
        v: Annotated[int, fw.Body(embed=True, validation_alias=AliasChoices("first", "second"))],
    ):
        return v

    @app.post("/model-body")
    def model_body(v: Body_):
        return v.model_dump()

    @app.post("/form")
    def form(v: Annotated[int, fw.Form(validation_alias=AliasChoices("first", "second"))]):
        return v

    @app.post("/form-model")
    def form_model(v: Annotated[Body_, fw.Form()]):
        return v.model_dump()

    @app.get("/field-alias")
    def field_alias(x: Annotated[int, Field(alias="xx"), fw.Query()]):
        return x

    return app


QUERIES = [
    "/individual?first=1",
    "/individual?second=1",
    "/individual?first=1&item=one&item=two",
    "/individual?first=1&tag=",
    "/individual?second=1&second=2",
    "/individual?second=2&first=1&tag=ignored&item=one&item=two",
    "/individual?first=invalid&second=2",
    "/individual?first=&second=2",
    "/individual?second=invalid",
    "/individual",
    "/individual?value=1",
    "/individual?ignored=1",
    "/model?first=1",
    "/model?second=1&tag=a&tag=b",
    "/model?second=invalid",
    "/model?second=2&first=1&tag=ignored&item=one",
    "/model",
    "/inferred?second=1",
    "/forbid?second=1",
    "/forbid?first=1&second=2",
    "/sharing?legacy=one&legacy=two&text=hello",
    "/by-name?items=1",
    "/by-name?items=1&item=2",
    "/by-name?items=invalid",
    "/by-name?items=1&item=invalid",
    "/deep?items=1&items=2",
    "/empty?=1&other=2",
    "/path/3",
    "/path/x",
    "/field-alias?xx=1",
    "/field-alias?x=1",
]


@pytest.mark.parametrize("url", QUERIES)
def test_query_and_path_choices(pair: Any, url: str) -> None:
    pair(_app).get(url)


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        ("/header", {"x-first": "1"}),
        ("/header", {"X-SECOND": "2", "x-tag": "a"}),
        ("/header", {"item_values": "b"}),
        ("/header", {"x-second": "bad"}),
        ("/header", {}),
        ("/headers", {"second": "1"}),
        ("/header-name", {"x-val": "3"}),
        ("/header-name", {}),
    ],
)
def test_header_choices(pair: Any, url: str, headers: dict[str, str]) -> None:
    pair(_app).get(url, headers=headers)


@pytest.mark.parametrize("cookies", [{"session": "1"}, {"legacy": "2"}, {"legacy": "x"}, {}])
def test_cookie_choices(cookies: dict[str, str]) -> None:
    both = Pair(_app)
    both.ours.cookies.clear()
    both.theirs.cookies.clear()
    both.get("/cookie", cookies=cookies)


@pytest.mark.parametrize(
    "body", [{"second": 2}, {"first": 1, "second": "x"}, {"first": "x"}, {}, {"value": 1}]
)
def test_embedded_body_choices(pair: Any, body: Any) -> None:
    pair(_app).post("/embedded", json=body)


@pytest.mark.parametrize("body", [{"second": 2, "a": [5]}, {"first": "x"}, {"a": []}])
def test_body_model_choices_and_paths(pair: Any, body: Any) -> None:
    pair(_app).post("/model-body", json=body)


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/form", {"second": "2"}),
        ("/form", {"first": "", "second": "3"}),
        ("/form", {"first": "x"}),
        ("/form", {}),
        ("/form-model", {"second": "2"}),
        ("/form-model", {"first": "bad"}),
        ("/form-model", {}),
    ],
)
def test_form_choices(pair: Any, url: str, data: dict[str, str]) -> None:
    pair(_app).post(url, data=data)


def test_openapi_names_the_first_choice() -> None:
    same_openapi(Pair(_app))


def _paths(fw):
    identifier = fw.Path(alias="unused", validation_alias=AliasChoices("item_id", "id"), ge=1)

    def get_identifier(value: Annotated[int, identifier]):
        return value

    router = fw.APIRouter()

    @router.get("/")
    def read_item(value: Annotated[int, fw.Depends(get_identifier)]):
        return value

    app = fw.FastAPI()
    app.include_router(router, prefix="/items/{item_id}")
    app.include_router(router, prefix="/legacy-items/{id}")

    @app.get("/both/{second}/{first}")
    def both(
        value: Annotated[
            int, fw.Path(alias="second", validation_alias=AliasChoices("first", "second"))
        ],
        second: str,
    ):
        return {"value": value, "second": second}

    return app


@pytest.mark.parametrize(
    "url",
    [
        "/items/1/",
        "/legacy-items/1/",
        "/items/invalid/",
        "/legacy-items/0/",
        "/both/2/1",
        "/both/2/x",
    ],
)
def test_path_choices_follow_the_route(pair, url: str) -> None:
    pair(_paths).get(url)


def test_path_choices_openapi() -> None:
    same_openapi(Pair(_paths))


def _files(fw):
    app = fw.FastAPI()

    @app.post("/file")
    async def file(
        f: Annotated[bytes, fw.File(validation_alias=AliasChoices("primary", "secondary"))],
        optional: Annotated[fw.UploadFile | None, fw.File()] = None,
        many: Annotated[list[bytes] | None, fw.File()] = None,
    ):
        return {"f": len(f), "optional": optional is not None, "many": many and len(many)}

    return app


@pytest.mark.parametrize(
    "files",
    [
        {"primary": ("a.txt", b"abc")},
        {"secondary": ("a.txt", b"abcd")},
        {"other": ("a.txt", b"x")},
        [("secondary", ("a.txt", b"ab")), ("many", ("b", b"1")), ("many", ("c", b"2"))],
    ],
)
def test_file_choices(pair, files: object) -> None:
    pair(_files).post("/file", files=files)


def test_file_choices_and_optional_files_documented() -> None:
    # openapi/schemas.py: an optional file is anyOf [file, null], as in FastAPI
    same_openapi(Pair(_files))


def test_file_choice_error_located_at_the_name_sent(pair) -> None:
    pair(_files).post("/file", data={"secondary": "text"}, files={"x": ("x", b"")})


def test_bytes_file_does_not_move_a_shared_upload(pair) -> None:
    # dependencies/body.py: reading a File() as bytes consumed the UploadFile read by another
    def make(fw):
        app = fw.FastAPI()

        @app.post("/")
        async def upload(
            avatar: Annotated[fw.UploadFile, fw.File()],
            content: Annotated[bytes, fw.File(alias="avatar")],
        ):
            position = avatar.file.tell()
            return {"position": position, "read": len(await avatar.read()), "bytes": len(content)}

        return app

    pair(make).post("/", files={"avatar": ("a.txt", b"hello")})


@pytest.mark.parametrize("fail_fast", [None, True, False])
def test_file_list_errors(pair, fail_fast: bool | None) -> None:
    # dependencies/body.py: every item that is not an upload is reported (fail_fast=True: one)
    def make(fw):
        app = fw.FastAPI()
        options = {} if fail_fast is None else {"fail_fast": fail_fast}

        @app.post("/")
        def upload(files: Annotated[list[fw.UploadFile], fw.File(**options)]):
            return [file.filename for file in files]

        return app

    both = pair(make)
    both.post("/", files=[("files", (None, "not-a-file")), ("files", (None, "also-not"))])
    both.post("/", files={"files": ("example.txt", b"hello")})
