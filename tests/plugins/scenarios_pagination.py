"""fastapi-pagination scenarios, as its documentation shows it used (run by
``test_pagination.py`` on FastAPI and on FasterAPI): ``Page`` and ``LimitOffsetPage`` responses
with ``add_pagination``, explicit ``Params`` dependencies, customized pages, parameter
validation, and the paginated routes' OpenAPI."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.testclient import TestClient
from fastapi_pagination import (
    LimitOffsetPage,
    LimitOffsetParams,
    Page,
    Params,
    add_pagination,
    paginate,
    pagination_ctx,
)
from fastapi_pagination.customization import CustomizedPage, UseName, UseParamsFields
from fastapi_pagination.utils import disable_installed_extensions_check
from plugin_answers import answer
from pydantic import BaseModel


class User(BaseModel):
    id: int
    name: str


disable_installed_extensions_check()  # its advice to use an ORM's extension: not here
USERS = [User(id=n, name=f"user {n}") for n in range(1, 24)]


def _get(client: TestClient, *paths: str) -> list[Any]:
    return [answer(client.get(path)) for path in paths]


def _openapi(app: FastAPI, path: str) -> Any:
    schema = TestClient(app).get("/openapi.json").json()
    return schema["paths"][path]


def scenario_page_with_add_pagination() -> Any:
    app = FastAPI()

    @app.get("/users")
    def users() -> Page[User]:
        return paginate(USERS)

    router = APIRouter(prefix="/v2")

    @router.get("/users", response_model=LimitOffsetPage[User])
    def users_v2() -> Any:
        return paginate(USERS)

    app.include_router(router)
    add_pagination(app)
    client = TestClient(app)
    paths = ("/users", "/users?page=3&size=5", "/users?page=0", "/users?size=101")
    answers = _get(client, *paths, "/v2/users?limit=2&offset=21", "/v2/users?limit=-1")
    return {"answers": answers, "openapi": _openapi(app, "/users")}


def scenario_explicit_params() -> Any:
    app = FastAPI()

    @app.get("/users")
    def users(params: Params = Depends()) -> Page[User]:
        return paginate(USERS, params)

    @app.get("/offset")
    def offset(params: LimitOffsetParams = Depends()) -> LimitOffsetPage[User]:
        return paginate(USERS, params)

    client = TestClient(app)
    answers = _get(client, "/users?page=2&size=10", "/users?size=0", "/offset?limit=3&offset=2")
    return {"answers": answers, "openapi": _openapi(app, "/offset")}


def scenario_pagination_context_dependency() -> Any:
    app = FastAPI()

    @app.get("/users", dependencies=[Depends(pagination_ctx(Page[User]))])
    async def users() -> Page[User]:
        return paginate(USERS)

    return _get(TestClient(app), "/users?page=2&size=20", "/users?page=x")


def scenario_customized_page() -> Any:
    small_page = CustomizedPage[Page, UseName("SmallPage"), UseParamsFields(size=3)]
    app = FastAPI()

    @app.get("/users", response_model=small_page[User])  # a local name: not in an annotation
    def users() -> Any:
        return paginate(USERS)

    add_pagination(app)
    client = TestClient(app)
    return {"answers": _get(client, "/users", "/users?page=8"), "openapi": _openapi(app, "/users")}
