"""Query, header and cookie parameter models (``Annotated[Model, Query()]``, FastAPI 0.115+):
each field read from the request, the model validated whole; compared with FastAPI."""

import dataclasses
from types import ModuleType
from typing import Annotated, Any, Literal, Optional

import msgspec
import pytest
from fidelity import Pair
from pydantic import BaseModel, Field

from FasterAPI import Faster, Query, TestClient


class Filters(BaseModel):
    limit: int = Field(100, gt=0, le=100)
    offset: int = 0
    order_by: Literal["created_at", "updated_at"] = "created_at"
    tags: list[str] = []


class Headers(BaseModel):
    x_token: str
    accept_language: Optional[str] = None


class Cookies(BaseModel):
    session_id: str
    tracker: Optional[str] = None


def make_app(fw: ModuleType) -> Any:
    app = fw.FastAPI()

    @app.get("/items")
    async def items(filters: Annotated[Filters, fw.Query()]) -> Any:
        return filters

    @app.get("/headers")
    async def headers(values: Annotated[Headers, fw.Header()]) -> Any:
        return values

    @app.get("/cookies")
    async def cookies(values: Annotated[Cookies, fw.Cookie()]) -> Any:
        return values

    @app.get("/mixed/{item_id}")
    async def mixed(item_id: int, filters: Annotated[Filters, fw.Query()], q: str = "") -> Any:
        return {"item_id": item_id, "limit": filters.limit, "tags": filters.tags, "q": q}

    return app


@pytest.fixture
def app_pair(pair: Any) -> Pair:
    return pair(make_app)


@pytest.mark.parametrize(
    "url",
    [
        "/items",
        "/items?limit=5&tags=a&tags=b",
        "/items?limit=0",
        "/items?limit=101&offset=x",
        "/items?order_by=updated_at",
        "/items?order_by=name",
        "/mixed/3?limit=7&tags=z&q=x",
        "/mixed/x?limit=-1",
    ],
)
def test_query_models(app_pair: Pair, url: str) -> None:
    app_pair.get(url)


def test_header_models(app_pair: Pair) -> None:
    response = app_pair.get("/headers", headers={"x-token": "t", "accept-language": "fr"})
    assert response.json() == {"x_token": "t", "accept_language": "fr"}


def test_cookie_models(app_pair: Pair) -> None:
    response = app_pair.get("/cookies", headers={"cookie": "session_id=s"})
    assert response.json() == {"session_id": "s", "tracker": None}
    assert app_pair.get("/cookies").status_code == 422


def test_a_missing_header_member_is_located_at_its_header_name() -> None:
    # As FastAPI, except "input": FastAPI shows every request header there, FasterAPI the
    # members it read.
    client = TestClient(make_app(_faster()))
    for headers in ({}, {"x_token": "underscores are not hyphens"}):
        response = client.get("/headers", headers=headers)
        assert response.status_code == 422
        error = response.json()["detail"][0]
        assert (error["type"], error["loc"]) == ("missing", ["header", "x-token"])


def _faster() -> ModuleType:
    import FasterAPI

    return FasterAPI


class StructFilters(msgspec.Struct):
    limit: int = 10
    tags: list[str] = []


@dataclasses.dataclass
class DataclassFilters:
    page: int
    size: int = 20


def test_struct_and_dataclass_models() -> None:
    app = Faster(openapi_url=None)

    @app.get("/struct")
    async def struct(f: Annotated[StructFilters, Query()]) -> dict[str, Any]:
        return {"limit": f.limit, "tags": f.tags}

    @app.get("/dataclass")
    async def dataclass(f: Annotated[DataclassFilters, Query()]) -> dict[str, Any]:
        return {"page": f.page, "size": f.size}

    client = TestClient(app)
    assert client.get("/struct?limit=3&tags=a&tags=b").json() == {"limit": 3, "tags": ["a", "b"]}
    assert client.get("/struct").json() == {"limit": 10, "tags": []}
    response = client.get("/struct?limit=x")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "limit"]
    assert client.get("/dataclass?page=2").json() == {"page": 2, "size": 20}
    response = client.get("/dataclass")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "page"]


def test_openapi_lists_each_member_as_fastapi_does() -> None:
    import fastapi

    ours = make_app(_faster()).openapi()
    theirs = make_app(fastapi).openapi()
    for path in ("/items", "/headers", "/cookies", "/mixed/{item_id}"):
        assert (
            ours["paths"][path]["get"]["parameters"] == (theirs["paths"][path]["get"]["parameters"])
        ), path
