"""The OpenAPI document built from route plans: parameters, bodies, responses, metadata."""

import warnings
from typing import Annotated, Any

import msgspec
import pytest
from openapi_spec_validator import validate

from FasterAPI import (
    Body,
    Cookie,
    Depends,
    Faster,
    FasterRouter,
    File,
    Form,
    Header,
    Path,
    Query,
    Request,
    Security,
    TestClient,
    UploadFile,
)
from FasterAPI.openapi import get_openapi
from FasterAPI.responses import HTMLResponse, PlainTextResponse
from fasterapi_core.security_base import SecurityBase

VALIDATION_422 = {
    "description": "Validation Error",
    "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}
    },
}
OK_ANY = {"description": "Successful Response", "content": {"application/json": {"schema": {}}}}


class Item(msgspec.Struct):
    """An item."""

    name: str
    price: Annotated[float, msgspec.Meta(gt=0)]


def doc(app: Faster) -> dict[str, Any]:
    document = app.openapi()
    validate(document)
    return document


def test_info_and_empty_app() -> None:
    app = Faster(title="Shop", version="3.2.1", description="Sells things", summary="S")
    assert doc(app) == {
        "openapi": "3.1.0",
        "info": {"title": "Shop", "summary": "S", "description": "Sells things", "version": "3.2.1"},
        "paths": {},
    }


def test_defaults_and_info_objects() -> None:
    app = Faster(
        terms_of_service="https://example.com/tos",
        contact={"name": "Ops", "email": "ops@example.com"},
        license_info={"name": "MIT", "identifier": "MIT"},
        openapi_tags=[{"name": "items", "description": "Item things"}],
        servers=[{"url": "https://api.example.com"}],
    )
    document = doc(app)
    assert document["info"] == {
        "title": "FasterAPI",
        "termsOfService": "https://example.com/tos",
        "contact": {"name": "Ops", "email": "ops@example.com"},
        "license": {"name": "MIT", "identifier": "MIT"},
        "version": "0.1.0",
    }
    assert document["tags"] == [{"name": "items", "description": "Item things"}]
    assert document["servers"] == [{"url": "https://api.example.com"}]


def test_parameters_with_constraints_and_docs() -> None:
    app = Faster()

    @app.get("/items/{item_id}")
    def read_item(
        item_id: Annotated[int, Path(ge=1, description="The id")],
        q: Annotated[str | None, Query(max_length=5, deprecated=True)] = None,
        size: Annotated[float, Query(gt=0, lt=10, title="Size!", examples=[1.5])] = 2.5,
        code: Annotated[str, Query(alias="item-code", pattern="^[a-z]+$")] = "ab",
        x_token: Annotated[str, Header()] = "t",
        session: Annotated[str | None, Cookie()] = None,
        hidden: Annotated[int, Query(include_in_schema=False)] = 0,
    ) -> None:
        """Read one item."""

    operation = doc(app)["paths"]["/items/{item_id}"]["get"]
    assert operation["summary"] == "Read Item"
    assert operation["description"] == "Read one item."
    assert operation["operationId"] == "read_item_items__item_id__get"
    assert operation["parameters"] == [
        {
            "name": "item_id",
            "in": "path",
            "required": True,
            "schema": {"type": "integer", "minimum": 1, "description": "The id", "title": "Item Id"},
            "description": "The id",
        },
        {
            "name": "q",
            "in": "query",
            "required": False,
            "schema": {
                "anyOf": [{"type": "string", "maxLength": 5}, {"type": "null"}],
                "title": "Q",
                "deprecated": True,
            },
            "deprecated": True,
        },
        {
            "name": "size",
            "in": "query",
            "required": False,
            "schema": {
                "type": "number",
                "exclusiveMinimum": 0,
                "exclusiveMaximum": 10,
                "default": 2.5,
                "title": "Size!",
                "examples": [1.5],
            },
        },
        {
            "name": "item-code",
            "in": "query",
            "required": False,
            "schema": {"type": "string", "pattern": "^[a-z]+$", "default": "ab", "title": "Item-Code"},
        },
        {
            "name": "x-token",
            "in": "header",
            "required": False,
            "schema": {"type": "string", "default": "t", "title": "X-Token"},
        },
        {
            "name": "session",
            "in": "cookie",
            "required": False,
            "schema": {"anyOf": [{"type": "string"}, {"type": "null"}], "title": "Session"},
        },
    ]
    assert operation["responses"] == {"200": {"description": "Successful Response"} | {
        "content": {"application/json": {"schema": {}}}
    }, "422": VALIDATION_422}


def test_dependency_parameters_are_documented_once() -> None:
    def paging(limit: int = 10, offset: int = 0) -> dict[str, int]:
        return {"limit": limit, "offset": offset}

    def also_paging(limit: int = 10) -> int:
        return limit

    app = Faster(dependencies=[Depends(also_paging)])

    @app.get("/things")
    def things(page: Annotated[dict[str, int], Depends(paging)]) -> None: ...

    names = [p["name"] for p in doc(app)["paths"]["/things"]["get"]["parameters"]]
    assert names == ["limit", "offset"]


def test_json_body_model_and_response_model() -> None:
    app = Faster()

    @app.post("/items", status_code=201, tags=["items"], response_description="Created")
    def create(item: Item) -> Item:
        return item

    document = doc(app)
    operation = document["paths"]["/items"]["post"]
    assert operation["tags"] == ["items"]
    assert operation["requestBody"] == {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}},
        "required": True,
    }
    assert operation["responses"]["201"] == {
        "description": "Created",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}},
    }
    assert document["components"]["schemas"]["Item"] == {
        "title": "Item",
        "description": "An item.",
        "type": "object",
        "properties": {"name": {"type": "string"}, "price": {"type": "number", "exclusiveMinimum": 0}},
        "required": ["name", "price"],
    }
    assert sorted(document["components"]["schemas"]) == [
        "HTTPValidationError", "Item", "ValidationError"
    ]


def test_optional_scalar_body_and_list_response_title() -> None:
    app = Faster()

    @app.put("/tags")
    def put_tags(tags: Annotated[list[str] | None, Body()] = None) -> list[Item]:
        return []

    operation = doc(app)["paths"]["/tags"]["put"]
    assert operation["requestBody"] == {
        "content": {
            "application/json": {
                "schema": {
                    "anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}],
                    "title": "Tags",
                }
            }
        }
    }
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/Item"},
        "title": "Response Put Tags Tags Put",
    }


def test_embedded_and_multiple_bodies_use_a_body_schema() -> None:
    app = Faster()

    @app.post("/multi")
    def multi(item: Item, importance: Annotated[int, Body(gt=0)], note: str | None = Body(None)):
        return {}

    @app.post("/embed")
    def embed(item: Annotated[Item, Body(embed=True)]):
        return {}

    document = doc(app)
    assert document["paths"]["/multi"]["post"]["requestBody"] == {
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Body_multi_multi_post"}}
        },
        "required": True,
    }
    schemas = document["components"]["schemas"]
    assert schemas["Body_multi_multi_post"] == {
        "properties": {
            "item": {"$ref": "#/components/schemas/Item"},
            "importance": {"type": "integer", "exclusiveMinimum": 0, "title": "Importance"},
            "note": {"anyOf": [{"type": "string"}, {"type": "null"}], "title": "Note"},
        },
        "type": "object",
        "required": ["item", "importance"],
        "title": "Body_multi_multi_post",
    }
    assert schemas["Body_embed_embed_post"] == {
        "properties": {"item": {"$ref": "#/components/schemas/Item"}},
        "type": "object",
        "required": ["item"],
        "title": "Body_embed_embed_post",
    }


def test_forms_and_files() -> None:
    app = Faster()

    @app.post("/login")
    def login(username: Annotated[str, Form()], password: Annotated[str, Form(min_length=8)]):
        return {}

    @app.post("/upload")
    def upload(
        file: UploadFile,
        raw: Annotated[bytes, File()],
        many: Annotated[list[UploadFile], File()],
        note: Annotated[str, Form()] = "x",
    ):
        return {}

    document = doc(app)
    login_body = document["paths"]["/login"]["post"]["requestBody"]
    assert login_body == {
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {"$ref": "#/components/schemas/Body_login_login_post"}
            }
        },
        "required": True,
    }
    upload_body = document["paths"]["/upload"]["post"]["requestBody"]
    assert list(upload_body["content"]) == ["multipart/form-data"]
    schemas = document["components"]["schemas"]
    assert schemas["Body_login_login_post"]["properties"] == {
        "username": {"type": "string", "title": "Username"},
        "password": {"type": "string", "minLength": 8, "title": "Password"},
    }
    binary = {"type": "string", "contentMediaType": "application/octet-stream"}
    assert schemas["Body_upload_upload_post"] == {
        "properties": {
            "file": {**binary, "title": "File"},
            "raw": {**binary, "title": "Raw"},
            "many": {"items": binary, "type": "array", "title": "Many"},
            "note": {"type": "string", "default": "x", "title": "Note"},
        },
        "type": "object",
        "required": ["file", "raw", "many"],
        "title": "Body_upload_upload_post",
    }


def test_additional_responses_are_merged() -> None:
    router = FasterRouter(responses={404: {"description": "Not found"}})

    @router.get(
        "/things/{id}",
        responses={
            404: {"model": Item},
            418: {"model": Item, "description": "Teapot!"},
            "5XX": {"description": "Broken"},
            "default": {"content": {"text/plain": {"schema": {"type": "string"}}}},
        },
    )
    def thing(id: int) -> Item:
        raise NotImplementedError

    app = Faster()
    app.include_router(router)
    responses = doc(app)["paths"]["/things/{id}"]["get"]["responses"]
    item_content = {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}
    assert responses == {
        "200": {"description": "Successful Response", "content": item_content},
        # the route's 404 entry replaces the router's (a shallow merge, as in FastAPI)
        "404": {"description": "Not Found", "content": item_content},
        "418": {"description": "Teapot!", "content": item_content},
        "5XX": {"description": "Broken"},
        "default": {
            "description": "Default Response",
            "content": {"text/plain": {"schema": {"type": "string"}}},
        },
    }


def test_no_422_without_parameters_and_no_content_for_204() -> None:
    app = Faster()

    @app.delete("/all", status_code=204)
    def delete_all() -> None: ...

    @app.get("/page", response_class=HTMLResponse)
    def page() -> str:
        return "<p>hi</p>"

    @app.get("/text", response_class=PlainTextResponse)
    def text() -> str:
        return "hi"

    paths = doc(app)["paths"]
    assert paths["/all"]["delete"]["responses"] == {"204": {"description": "Successful Response"}}
    assert paths["/page"]["get"]["responses"] == {
        "200": {
            "description": "Successful Response",
            "content": {"text/html": {"schema": {"type": "string"}}},
        }
    }
    assert paths["/text"]["get"]["responses"]["200"]["content"] == {
        "text/plain": {"schema": {"type": "string"}}
    }
    assert "components" not in doc(app)


def test_metadata_options() -> None:
    app = Faster()

    @app.get(
        "/a",
        summary="Custom",
        description="Explicit",
        operation_id="getA",
        deprecated=True,
        openapi_extra={"x-speed": "fast", "responses": {"200": {"x-ok": True}}},
    )
    def a() -> None:
        """Not used."""

    @app.get("/hidden", include_in_schema=False)
    def hidden() -> None: ...

    paths = doc(app)["paths"]
    assert paths == {
        "/a": {
            "get": {
                "summary": "Custom",
                "description": "Explicit",
                "operationId": "getA",
                "deprecated": True,
                "responses": {"200": {**OK_ANY, "x-ok": True}},
                "x-speed": "fast",
            }
        }
    }


def test_routers_prefixes_methods_and_exclusions() -> None:
    inner = FasterRouter(prefix="/v1", tags=["v1"])

    @inner.api_route("/both/{name:str}", methods=["GET", "POST"])
    def both(name: str) -> None: ...

    outer = FasterRouter()
    outer.include_router(inner, prefix="/api", tags=["api"])
    app = Faster()
    app.include_router(outer)
    app.mount("/static", Faster())

    @app.websocket("/ws")
    async def ws(websocket: Any) -> None: ...

    paths = doc(app)["paths"]
    assert list(paths) == ["/api/v1/both/{name}"]
    item = paths["/api/v1/both/{name}"]
    assert list(item) == ["get", "post"]
    assert item["get"]["tags"] == ["api", "v1"]
    assert item["get"]["operationId"] == "both_api_v1_both__name__get"
    assert item["post"]["operationId"] == "both_api_v1_both__name__post"


def test_duplicate_operation_ids_warn() -> None:
    app = Faster()

    @app.get("/a", operation_id="same")
    def a() -> None: ...

    @app.get("/b", operation_id="same")
    def b() -> None: ...

    with pytest.warns(UserWarning, match="Duplicate Operation ID same for function b"):
        app.openapi()


def test_unique_ids_do_not_warn() -> None:
    app = Faster()

    @app.get("/a")
    def a() -> None: ...

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        app.openapi()


class FakeKeyScheme(SecurityBase):
    def __init__(self) -> None:
        self.model = {"type": "apiKey", "in": "header", "name": "X-Key"}
        self.scheme_name = "FakeKey"

    def __call__(self, request: Request) -> str | None:
        return request.headers.get("x-key")


class FakeOAuth(SecurityBase):
    def __init__(self) -> None:
        self.model = {
            "type": "oauth2",
            "flows": {"password": {"tokenUrl": "token", "scopes": {"read": "Read it"}}},
        }
        self.scheme_name = "FakeOAuth"

    def __call__(self, request: Request) -> str | None:
        return None


def test_security_schemes_from_dependencies() -> None:
    key = FakeKeyScheme()
    oauth = FakeOAuth()
    app = Faster()

    def user(token: Annotated[str | None, Security(oauth, scopes=["read"])]) -> str | None:
        return token

    @app.get("/me")
    def me(u: Annotated[Any, Depends(user)], k: Annotated[Any, Depends(key)]) -> None: ...

    @app.get("/open")
    def open_() -> None: ...

    document = doc(app)
    assert document["paths"]["/me"]["get"]["security"] == [{"FakeOAuth": ["read"]}, {"FakeKey": []}]
    assert "security" not in document["paths"]["/open"]["get"]
    assert document["components"]["securitySchemes"] == {
        "FakeOAuth": oauth.model,
        "FakeKey": key.model,
    }


def test_get_openapi_helper_matches_app_document() -> None:
    app = Faster(title="X", version="9")

    @app.get("/x")
    def x(n: int) -> int:
        return n

    assert get_openapi(title="X", version="9", routes=app.routes) == app.openapi()


def test_schema_is_cached_and_overridable() -> None:
    app = Faster()
    first = app.openapi()
    assert app.openapi() is first
    client = TestClient(app)
    assert client.get("/openapi.json").json() == first

    def custom_openapi() -> dict[str, Any]:
        return {"openapi": "3.1.0", "info": {"title": "Custom", "version": "1"}, "paths": {}}

    app.openapi = custom_openapi  # type: ignore[method-assign]
    response = client.get("/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json()["info"]["title"] == "Custom"


def test_openapi_route_is_excluded_from_document() -> None:
    app = Faster()
    client = TestClient(app)
    assert client.get("/openapi.json").json()["paths"] == {}


def test_disabled_openapi_url_disables_docs() -> None:
    app = Faster(openapi_url=None)
    client = TestClient(app)
    for url in ("/openapi.json", "/docs", "/redoc", "/docs/oauth2-redirect"):
        assert client.get(url).status_code == 404, url


def test_root_path_is_added_to_servers() -> None:
    app = Faster(root_path="/api/v2")
    client = TestClient(app)
    assert client.get("/openapi.json").json()["servers"] == [{"url": "/api/v2"}]
    assert client.get("/openapi.json").json()["servers"] == [{"url": "/api/v2"}]


def test_root_path_not_in_servers_when_disabled() -> None:
    app = Faster(root_path="/api", root_path_in_servers=False, servers=[{"url": "https://x.io"}])
    client = TestClient(app)
    assert client.get("/openapi.json").json()["servers"] == [{"url": "https://x.io"}]
