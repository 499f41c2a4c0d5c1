"""A JSON body without ``Content-Type`` is not read as JSON (FastAPI's ``strict_content_type``,
on by default); ``strict_content_type=False`` on the app, a router, ``include_router`` or a
route reads it as JSON. Same answers as FastAPI."""

from typing import Annotated, Any

import fastapi
import pytest
from fastapi.testclient import TestClient as FastAPIClient
from pydantic import BaseModel

import FasterAPI
from FasterAPI.testclient import TestClient


class Item(BaseModel):
    name: str
    price: float


def build(fw: Any, app_cls: Any, router_cls: Any, **app_options: Any) -> Any:
    app = app_cls(**app_options)

    @app.post("/item")
    def item(item: Item) -> Item:
        return item

    @app.post("/text")
    def text(body: Annotated[str, fw.Body()]) -> dict[str, str]:
        return {"body": body}

    @app.post("/two")
    def two(item: Item, note: Annotated[str, fw.Body()]) -> dict[str, Any]:
        return {"item": item.model_dump(), "note": note}

    def lenient(item: Item) -> Item:
        return item

    app.router.add_api_route("/lenient", lenient, methods=["POST"], strict_content_type=False)

    lenient_router = router_cls(strict_content_type=False)

    @lenient_router.post("/item")
    def router_item(item: Item) -> Item:
        return item

    def strict_again(item: Item) -> Item:
        return item

    lenient_router.add_api_route(
        "/strict", strict_again, methods=["POST"], strict_content_type=True
    )

    app.include_router(lenient_router, prefix="/lenient-router")
    return app


ITEM = b'{"name":"pen","price":1.5}'
PATHS = [
    "/item",
    "/text",
    "/two",
    "/lenient",
    "/lenient-router/item",
    "/lenient-router/strict",
]


@pytest.mark.parametrize("app_options", [{}, {"strict_content_type": False}])
@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("content_type", [None, "application/json", "text/plain"])
def test_answers_match_fastapi(
    app_options: dict[str, Any], path: str, content_type: str | None
) -> None:
    body = b'{"item":{"name":"pen","price":1.5},"note":"n"}' if path == "/two" else ITEM
    if path == "/text":
        body = b'"quoted"'
    headers = {} if content_type is None else {"content-type": content_type}
    ours = TestClient(build(FasterAPI, FasterAPI.Faster, FasterAPI.FasterRouter, **app_options))
    theirs = FastAPIClient(build(fastapi, fastapi.FastAPI, fastapi.APIRouter, **app_options))
    ours_answer = ours.post(path, content=body, headers=headers)
    theirs_answer = theirs.post(path, content=body, headers=headers)
    assert (ours_answer.status_code, ours_answer.json()) == (
        theirs_answer.status_code,
        theirs_answer.json(),
    )


def test_strict_by_default_lenient_when_asked() -> None:
    client = TestClient(build(FasterAPI, FasterAPI.Faster, FasterAPI.FasterRouter))
    refused = client.post("/item", content=ITEM)
    assert refused.status_code == 422
    assert [(e["type"], e["loc"]) for e in refused.json()["detail"]] == [
        ("model_attributes_type", ["body"])
    ]
    assert client.post("/lenient", content=ITEM).json() == {"name": "pen", "price": 1.5}
    assert client.post("/lenient-router/item", content=ITEM).status_code == 200
    assert client.post("/lenient-router/strict", content=ITEM).status_code == 422


def test_include_router_may_relax_the_included_routes() -> None:
    app = FasterAPI.Faster()
    router = FasterAPI.FasterRouter()

    @router.post("/item")
    def item(item: Item) -> Item:
        return item

    app.include_router(router, prefix="/included", strict_content_type=False)
    app.include_router(router, prefix="/default")
    client = TestClient(app)
    assert client.post("/included/item", content=ITEM).json() == {"name": "pen", "price": 1.5}
    assert client.post("/default/item", content=ITEM).status_code == 422
