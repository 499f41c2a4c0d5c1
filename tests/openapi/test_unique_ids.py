"""``generate_unique_id_function`` (app, router, include_router, route) names operations and
their ``Body_``/``Response_`` schemas exactly as FastAPI does; the default keeps FastAPI's ids."""

from typing import Any

import fastapi
import pytest
from pydantic import BaseModel

import FasterAPI
from FasterAPI.routing import APIRoute
from FasterAPI.utils import generate_unique_id


class Item(BaseModel):
    name: str


def tag_name(route: Any) -> str:
    """The full-stack FastAPI template's function: first tag, then the route's name."""
    return f"{route.tags[0]}-{route.name}"


def router_level(route: Any) -> str:
    return f"router-{route.name}"


def include_level(route: Any) -> str:
    return f"include-{route.name}"


def route_level(route: Any) -> str:
    return f"route-{route.name}"


def build(fw: Any, app_cls: Any, router_cls: Any, app_function: Any) -> Any:
    """The same application in either framework, with functions at every level."""
    options = {} if app_function is None else {"generate_unique_id_function": app_function}
    app = app_cls(title="Ids", version="1", **options)

    @app.post("/items", tags=["items"])
    def create_item(item: Item, note: str = fw.Body()) -> Item:
        return item

    @app.get("/items/{item_id}", tags=["items"], generate_unique_id_function=route_level)
    def read_item(item_id: int) -> Item:
        return Item(name="x")

    @app.get("/named", tags=["items"], operation_id="explicitName")
    def named(a: str = fw.Body(), b: str = fw.Body()) -> dict[str, str]:
        return {}

    plain = router_cls(tags=["plain"])

    @plain.put("/plain/{name}")
    def update_plain(name: str, item: Item, extra: int = fw.Body()) -> Item:
        return item

    own = router_cls(tags=["own"], generate_unique_id_function=router_level)

    @own.get("/own")
    def list_own() -> list[Item]:
        return []

    @own.post("/own/{name}", generate_unique_id_function=route_level)
    def post_own(name: str, item: Item, flag: bool = fw.Body()) -> Item:
        return item

    app.include_router(plain, prefix="/a")
    app.include_router(plain, prefix="/b", generate_unique_id_function=include_level)
    app.include_router(own, prefix="/c", generate_unique_id_function=include_level)
    return app


def documents(app_function: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    ours = build(FasterAPI, FasterAPI.Faster, FasterAPI.FasterRouter, app_function).openapi()
    theirs = build(fastapi, fastapi.FastAPI, fastapi.APIRouter, app_function).openapi()
    return ours, theirs


def operation_ids(document: dict[str, Any]) -> dict[str, str]:
    return {
        f"{method.upper()} {path}": operation["operationId"]
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    }


@pytest.mark.parametrize("app_function", [None, tag_name, generate_unique_id])
def test_operation_ids_and_schema_names_match_fastapi(app_function: Any) -> None:
    ours, theirs = documents(app_function)
    assert operation_ids(ours) == operation_ids(theirs)
    assert sorted(ours["components"]["schemas"]) == sorted(theirs["components"]["schemas"])
    assert ours["paths"] == theirs["paths"]


def test_the_template_function_names_operations_by_tag() -> None:
    ours, _ = documents(tag_name)
    assert operation_ids(ours) == {
        "POST /items": "items-create_item",
        "GET /items/{item_id}": "route-read_item",
        "GET /named": "explicitName",
        "PUT /a/plain/{name}": "plain-update_plain",
        "PUT /b/plain/{name}": "include-update_plain",
        "GET /c/own": "router-list_own",
        "POST /c/own/{name}": "route-post_own",
    }
    assert "Body_items-create_item" in ours["components"]["schemas"]
    assert "Body_plain-update_plain" in ours["components"]["schemas"]


def test_routes_carry_their_unique_id() -> None:
    app = build(FasterAPI, FasterAPI.Faster, FasterAPI.FasterRouter, tag_name)
    ids = {route.path: route.unique_id for route in app.routes if isinstance(route, APIRoute)}
    assert ids["/items"] == "items-create_item"
    assert ids["/named"] == "explicitName"
    assert ids["/c/own"] == "router-list_own"


def test_a_function_failing_at_registration_raises_there() -> None:
    app = FasterAPI.Faster(generate_unique_id_function=tag_name)
    with pytest.raises(IndexError):

        @app.get("/untagged")
        def untagged() -> None:
            return None


def test_the_default_gives_each_method_of_a_route_its_own_id() -> None:
    app = FasterAPI.Faster()

    @app.api_route("/both", methods=["GET", "POST"])
    def both() -> dict[str, str]:
        return {}

    paths = app.openapi()["paths"]["/both"]
    assert paths["get"]["operationId"] == "both_both_get"
    assert paths["post"]["operationId"] == "both_both_post"
