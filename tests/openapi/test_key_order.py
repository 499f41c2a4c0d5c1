"""The OpenAPI document's JSON text is FastAPI's: same keys in the same order everywhere.

FastAPI passes its document through the pydantic models of ``fastapi.openapi.models``, which
order each object's keys (FasterAPI: ``openapi/key_order.py``). Each app below is written once
and built on both frameworks; ``json.dumps`` of both documents must be the same text.
"""

import dataclasses
import enum
import json
import typing
from datetime import datetime
from types import SimpleNamespace
from typing import Annotated, Any, Literal

import fastapi
import fastapi.openapi.models as fastapi_models
import fastapi.responses
import fastapi.security
import fastapi.sse
import msgspec
import pytest
import typing_extensions
from fastapi.encoders import jsonable_encoder as fastapi_jsonable_encoder
from pydantic import AnyUrl, BaseModel, Field

import FasterAPI
import FasterAPI.responses
import FasterAPI.security
import FasterAPI.sse
from fasterapi_routing.openapi import models as fasterapi_models
from fasterapi_routing.openapi.key_order import KINDS, ordered_document

Framework = SimpleNamespace


_RESPONSES = ("HTMLResponse", "PlainTextResponse")


def _framework(name: str) -> Framework:
    if name == "fastapi":
        names = {n: getattr(fastapi, n) for n in dir(fastapi) if not n.startswith("_")}
        names |= {n: getattr(fastapi.responses, n) for n in _RESPONSES}
        names["EventSourceResponse"] = fastapi.sse.EventSourceResponse
        extra = {"App": fastapi.FastAPI, "Router": fastapi.APIRouter, "security": fastapi.security}
        return SimpleNamespace(**{**names, **extra})
    names = {n: getattr(FasterAPI, n) for n in FasterAPI.__all__}
    names |= {n: getattr(FasterAPI.responses, n) for n in _RESPONSES}
    names["EventSourceResponse"] = FasterAPI.sse.EventSourceResponse
    extra = {
        "App": FasterAPI.Faster,
        "Router": FasterAPI.FasterRouter,
        "security": FasterAPI.security,
    }
    return SimpleNamespace(**{**names, **extra})


# --- the apps ---------------------------------------------------------------------------


class Color(str, enum.Enum):
    red = "red"
    green = "green"


class Tag(BaseModel):
    name: str = Field(description="The tag's name", max_length=20)
    weight: float = Field(default=1.0, ge=0, le=10)


class Cat(BaseModel):
    kind: Literal["cat"] = "cat"
    lives: int = 9


class Dog(BaseModel):
    kind: Literal["dog"] = "dog"
    good: bool = True


class Item(BaseModel):
    """An item of the catalogue."""

    name: str = Field(min_length=1, examples=["Hammer"])
    price: float = Field(gt=0, multiple_of=0.5, description="Price in euros")
    color: Color = Color.red
    tags: list[Tag] = []
    pet: Annotated[Cat | Dog, Field(discriminator="kind")] | None = None
    either: int | str = 0
    meta: dict[str, int] = {}
    created: datetime | None = None
    code: str = Field(default="A-1", pattern=r"^[A-Z]-\d$", title="Item code")


class ItemOut(BaseModel):
    id: int
    item: Item
    related: list["ItemOut"] = []


ItemOut.model_rebuild()


def models_app(fw: Framework) -> Any:
    app = fw.App(
        title="Catalogue",
        version="1.2",
        summary="Items",
        description="Everything about items",
        terms_of_service="https://example.com/terms",
        contact={"email": "a@example.com", "name": "A", "url": "https://example.com"},
        license_info={"url": "https://example.com/l", "name": "MIT"},
        servers=[{"description": "prod", "url": "https://api.example.com"}],
        openapi_tags=[
            {"description": "Items", "name": "items", "externalDocs": {"url": "https://x.io"}}
        ],
    )

    @app.post(
        "/items/",
        status_code=201,
        tags=["items"],
        response_model=ItemOut,
        responses={
            409: {"description": "Conflict", "model": Tag},
            400: {
                "content": {"application/json": {"example": {"detail": "bad", "code": 1}}},
                "description": "Bad",
            },
            "5XX": {"description": "Server trouble"},
        },
    )
    def create_item(
        item: Annotated[
            Item,
            fw.Body(
                openapi_examples={
                    "a": {"value": {"name": "x", "price": 1}, "summary": "A"},
                    "b": {"description": "B", "value": {"price": 2, "name": "y"}},
                    "none": {"summary": None, "value": {"name": None, "tags": [None]}},
                }
            ),
        ],
    ) -> Any:
        return {}

    @app.put("/items/{item_id}", deprecated=True, summary="Replace", description="Whole")
    def replace_item(item_id: int, item: Item, note: Annotated[str, fw.Body()] = "") -> Item:
        return item

    @app.post("/embed")
    def embed(tag: Annotated[Tag, fw.Body(embed=True)]) -> dict[str, Tag]:
        return {}

    @app.get("/colors")
    def colors() -> list[Color]:
        return []

    @app.delete("/items", status_code=204)
    def clear() -> None:
        return None

    return app


def parameters_app(fw: Framework) -> Any:
    app = fw.App(title="Parameters")

    @app.get("/p/{item_id}/{kind}")
    def params(
        item_id: Annotated[int, fw.Path(ge=1, le=1000, description="The id", title="Id")],
        kind: Color,
        q: str | None = None,
        limit: Annotated[int, fw.Query(ge=1, le=100)] = 20,
        ratio: Annotated[float, fw.Query(gt=0, lt=1, multiple_of=0.25)] = 0.5,
        name: Annotated[str, fw.Query(min_length=2, max_length=9, pattern="^[a-z]+$")] = "ab",
        tags: Annotated[list[str], fw.Query(alias="tag", description="Tags")] = [],  # noqa: B006
        flag: bool = False,
        old: Annotated[int | None, fw.Query(deprecated=True, examples=[1, 2])] = None,
        shown: Annotated[
            str, fw.Query(openapi_examples={"one": {"value": "1", "summary": "One"}})
        ] = "1",
        hidden: Annotated[str, fw.Query(include_in_schema=False)] = "",
        user_agent: Annotated[str | None, fw.Header()] = None,
        x_token: Annotated[list[str] | None, fw.Header()] = None,
        session: Annotated[str | None, fw.Cookie(description="Session id")] = None,
    ) -> dict[str, Any]:
        return {}

    @app.get("/p2")
    def params2(when: datetime, ids: Annotated[list[int], fw.Query()]) -> int:
        return 0

    return app


def security_app(fw: Framework) -> Any:
    app = fw.App(title="Security")
    security = fw.security
    oauth = security.OAuth2PasswordBearer(
        tokenUrl="token", scopes={"read": "Read", "write": "Write"}, description="Password"
    )
    code = security.OAuth2AuthorizationCodeBearer(
        authorizationUrl="auth", tokenUrl="token", refreshUrl="refresh", scheme_name="Code"
    )
    dependencies = {
        "oauth": fw.Security(oauth, scopes=["read"]),
        "code": fw.Depends(code),
        "basic": fw.Depends(security.HTTPBasic(realm="r", description="Basic")),
        "bearer": fw.Depends(security.HTTPBearer(bearerFormat="JWT")),
        "digest": fw.Depends(security.HTTPDigest()),
        "header": fw.Depends(security.APIKeyHeader(name="X-Key", description="Key")),
        "query": fw.Depends(security.APIKeyQuery(name="key")),
        "cookie": fw.Depends(security.APIKeyCookie(name="k")),
        "oidc": fw.Depends(security.OpenIdConnect(openIdConnectUrl="https://x.io/.well-known")),
    }
    for name, dependency in dependencies.items():
        app.get(f"/{name}", dependencies=[dependency], name=f"with_{name}")(lambda: {})

    @app.post("/both")
    def both(
        token: Annotated[str, fw.Security(oauth, scopes=["write"])],
        key: Annotated[str, dependencies["header"]],
    ) -> str:
        return token

    return app


class Event(BaseModel):
    id: int
    body: str = ""


def callbacks_app(fw: Framework) -> Any:
    app = fw.App(title="Callbacks")
    callbacks = fw.Router()

    @callbacks.post("{$callback_url}/events/{$request.body.id}", response_model=Event)
    def event_callback(body: Event) -> Any:
        return None

    @callbacks.get("{$callback_url}/status")
    def status_callback():  # type: ignore[no-untyped-def]  # FasterAPI reads `-> Any` as None
        return None

    more_callbacks = fw.Router()

    @more_callbacks.put("{$request.query.url}", status_code=204)
    def put_callback(item_id: int, body: Event) -> None:
        return None

    @app.post("/subscribe", callbacks=callbacks.routes)
    def subscribe(event: Event, callback_url: AnyUrl | None = None) -> dict[str, str]:
        return {}

    @app.post("/more-callbacks", callbacks=more_callbacks.routes)
    def plain(event: Event) -> dict[str, str]:
        return {}

    @app.webhooks.post("new-event", tags=["hooks"], summary="New")
    def new_event(body: Event) -> None:
        return None

    @app.webhooks.put("changed")
    def changed(event_id: int, body: Event) -> None:
        return None

    return app


class Login(BaseModel):
    username: str
    password: str = Field(min_length=8)
    remember: bool = False


def forms_app(fw: Framework) -> Any:
    app = fw.App(title="Forms")

    @app.post("/login")
    def login(username: Annotated[str, fw.Form()], password: Annotated[str, fw.Form()]) -> str:
        return username

    @app.post("/login-model")
    def login_model(data: Annotated[Login, fw.Form()]) -> str:
        return data.username

    @app.post("/upload")
    def upload(
        file: fw.UploadFile,
        data: Annotated[bytes, fw.File(description="Raw")],
        files: Annotated[list[fw.UploadFile], fw.File()],
        note: Annotated[str, fw.Form()] = "x",
        maybe: Annotated[fw.UploadFile | None, fw.File()] = None,
    ) -> dict[str, int]:
        return {}

    return app


@dataclasses.dataclass
class Note:
    text: str
    stars: int = 1


class Span(typing_extensions.TypedDict):  # pydantic needs it before Python 3.12
    start: int
    end: typing.NotRequired[int]


def plain_types_app(fw: Framework) -> Any:
    """Dataclasses and TypedDicts (FastAPI reads them with pydantic, FasterAPI with msgspec)."""
    app = fw.App(title="Plain types")

    @app.post("/notes/{note_id}")
    def add_note(note_id: int, note: Note, span: Span) -> list[Note]:
        return [note]

    @app.put("/spans")
    def put_span(span: Span) -> Span:
        return span

    return app


class Filters(BaseModel):
    q: str | None = None
    page: int = Field(default=1, ge=1)
    order: Literal["asc", "desc"] = "asc"


def responses_app(fw: Framework) -> Any:
    """``responses=`` with headers, links and examples, other response classes, query models,
    streams, ``openapi_extra``, an included router."""
    app = fw.App(title="Responses", separate_input_output_schemas=True)
    router = fw.Router(prefix="/r", tags=["r"], responses={418: {"description": "Teapot"}})

    @router.get(
        "/items/{item_id}",
        responses={
            200: {
                "headers": {"X-Rate": {"schema": {"type": "integer"}, "description": "Left"}},
                "links": {"self": {"operationId": "get_item", "parameters": {"id": "$x"}}},
                "content": {"application/json": {"examples": {"one": {"value": {"id": 1}}}}},
            },
            "default": {"description": "Anything else", "model": Tag},
        },
        operation_id="get_item",
    )
    def get_item(item_id: int, filters: Annotated[Filters, fw.Query()]) -> ItemOut:
        return None  # type: ignore[return-value]

    @router.get("/page", response_class=fw.HTMLResponse)
    def page() -> str:
        return ""

    @router.get("/text/{n}", response_class=fw.PlainTextResponse, status_code=202)
    def text(n: int) -> str:
        return ""

    app.include_router(router)

    @app.get("/lines")
    async def lines() -> typing.AsyncIterable[Tag]:
        yield Tag(name="a")

    @app.get("/events/{topic}", response_class=fw.EventSourceResponse)
    async def events(topic: str) -> typing.AsyncIterable[Item]:
        yield None  # type: ignore[misc]

    @app.patch(
        "/extra",
        openapi_extra={
            "x-none": None,
            "x-nested": {"a": None, "b": [None, {"c": None}]},
            "requestBody": {"content": {"application/x-yaml": {"schema": {"type": "object"}}}},
            "x-flag": True,
            "responses": {"200": {"description": "Patched"}},
        },
    )
    def extra() -> None:
        return None

    return app


APPS = {
    "models": models_app,
    "parameters": parameters_app,
    "security": security_app,
    "callbacks_webhooks": callbacks_app,
    "forms_files": forms_app,
    "dataclasses_typeddicts": plain_types_app,
    "responses_streams": responses_app,
}


def _texts(build: Any) -> tuple[str, str]:
    expected = build(_framework("fastapi")).openapi()
    actual = build(_framework("fasterapi")).openapi()
    return json.dumps(expected, indent=1), json.dumps(actual, indent=1)


@pytest.mark.parametrize("name", APPS)
def test_document_text_is_fastapis(name: str) -> None:
    expected, actual = _texts(APPS[name])
    assert actual == expected


@pytest.mark.parametrize("name", APPS)
def test_served_openapi_json_is_fastapis_bytes(name: str) -> None:
    """``/openapi.json`` answers FastAPI's bytes (what snapshot tests of projects compare)."""
    from fastapi.testclient import TestClient as FastAPIClient

    from FasterAPI.testclient import TestClient

    expected = FastAPIClient(APPS[name](_framework("fastapi"))).get("/openapi.json")
    actual = TestClient(APPS[name](_framework("fasterapi"))).get("/openapi.json")
    assert actual.status_code == expected.status_code == 200
    assert actual.headers["content-type"] == expected.headers["content-type"]
    assert actual.content == expected.content


# --- the tables, against FastAPI's models -----------------------------------------------

_SECURITY_MODELS = ("APIKey", "HTTPBase", "HTTPBearer", "OAuth2", "OpenIdConnect")


def _fields(model: Any) -> tuple[str, ...]:
    if isinstance(model, type) and issubclass(model, BaseModel):
        return tuple(field.alias or name for name, field in model.model_fields.items())
    return tuple(typing.get_type_hints(model))  # the TypedDict Example


@pytest.mark.parametrize("models", [fastapi_models, fasterapi_models], ids=["fastapi", "own"])
@pytest.mark.parametrize("name", KINDS)
def test_kind_is_the_models_field_order(models: Any, name: str) -> None:
    """Fails when FastAPI's models (or FasterAPI's copy) change their fields."""
    model = getattr(models, name)
    kind = KINDS[name]
    assert kind.fields == _fields(model)
    if isinstance(model, type) and issubclass(model, BaseModel):
        fields = model.model_fields
        required = tuple(f.alias or n for n, f in fields.items() if f.is_required())
        assert kind.required == required
        defaults = {
            f.alias or n: f.get_default(call_default_factory=True)
            for n, f in fields.items()
            if not f.is_required() and f.get_default(call_default_factory=True) is not None
        }
        assert {k: getattr(v, "value", v) for k, v in defaults.items()} == kind.defaults
        floats = {f.alias or n for n, f in fields.items() if f.annotation in (float, float | None)}
        assert kind.floats == floats
        assert kind.extra == (model.model_config.get("extra") == "allow")


@pytest.mark.parametrize("name", KINDS)
def test_kind_children_are_the_models_field_types(name: str) -> None:
    """Every field typed with another model of the document is walked as that model."""
    model = getattr(fastapi_models, name)
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return
    for field_name, field in model.model_fields.items():
        key = field.alias or field_name
        named = {m.__name__ for m in _models_in(field.annotation)} - {"Reference"}
        if not named:
            assert key not in KINDS[name].children, key
            continue
        shape, kind = KINDS[name].children[key]
        if kind == "Schema" or kind == "SchemaOrBool":
            assert named == {"Schema"}, key
        elif kind == "SecurityScheme":
            assert named == set(_SECURITY_MODELS), key
        elif kind in ("Callback", "Callback|Any"):
            assert named == {"PathItem"}, key
        else:
            assert named == {kind.removesuffix("|Any")}, key
        origin = typing.get_origin(_without_none(field.annotation))
        assert shape == {list: "list", dict: "map"}.get(origin, "one"), key  # type: ignore[call-overload]


def _without_none(annotation: Any) -> Any:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, type(int | None)) and len(args) == 1:
        return args[0]
    return annotation


def _models_in(annotation: Any) -> set[type]:
    if isinstance(annotation, typing.ForwardRef):
        annotation = getattr(fastapi_models, annotation.__forward_arg__.split(" ")[0])
    found: set[type] = set()
    in_models = isinstance(annotation, type) and annotation.__module__ == fastapi_models.__name__
    if in_models and (issubclass(annotation, BaseModel) or annotation is fastapi_models.Example):
        found.add(annotation)
    for arg in typing.get_args(annotation):
        found |= _models_in(arg)
    return found


# --- FasterAPI's documents are fixed points of FastAPI's models ---------------------------


class Point(msgspec.Struct):
    x: Annotated[float, msgspec.Meta(ge=0, description="Across")]
    y: float = 0


class Shape(msgspec.Struct, kw_only=True):
    """A shape."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=9)]
    points: list[Point] = []
    color: Color | None = None
    labels: dict[str, Annotated[int, msgspec.Meta(ge=1)]] = {}


def _pydantic_shapes() -> tuple[type[BaseModel], type[BaseModel]]:
    """Pydantic models of the same names and fields as the Structs ``Point`` and ``Shape``."""

    class Point(BaseModel):
        x: float = Field(ge=0, description="Across")
        y: float = 0

    class Shape(BaseModel):
        """A shape."""

        name: str = Field(min_length=1, max_length=9)
        points: list[Point] = []
        color: Color | None = None
        labels: dict[str, Annotated[int, Field(ge=1)]] = {}

    return Point, Shape


def structs_app(fw: Framework, point: Any = Point, shape: Any = Shape) -> Any:
    """msgspec Structs (on FastAPI: the same pydantic models)."""
    app = fw.App(title="Shapes")

    @app.post("/shapes/{shape_id}", responses={404: {"model": point, "description": "None"}})
    def put_shape(
        shape_id: int, shape: shape, scale: Annotated[float, fw.Query(gt=0)] = 1.0
    ) -> shape:
        return shape

    @app.get("/points", response_model=list[point], openapi_extra={"x-points": {"b": 1, "a": 2}})
    def points():  # type: ignore[no-untyped-def]
        return []

    @app.webhooks.post("shape-added")
    def shape_added(shape: shape, at: Annotated[int, fw.Header()] = 0) -> None:
        return None

    return app


def _same_keys_in_same_order(expected: Any, actual: Any, where: str = "") -> None:
    """Every object's keys present on both sides come in the same order, at every depth."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        both = [key for key in expected if key in actual]
        assert [key for key in actual if key in expected] == both, where
        for key in both:
            _same_keys_in_same_order(expected[key], actual[key], f"{where}/{key}")
    elif isinstance(expected, list) and isinstance(actual, list):
        assert len(expected) == len(actual), where
        for index, (left, right) in enumerate(zip(expected, actual, strict=True)):
            _same_keys_in_same_order(left, right, f"{where}/{index}")


def test_struct_schemas_have_the_key_order_of_the_same_pydantic_models() -> None:
    """Key order only: msgspec's schemas of a Struct's fields have no titles (pydantic's do)."""
    expected = structs_app(_framework("fastapi"), *_pydantic_shapes()).openapi()
    actual = structs_app(_framework("fasterapi")).openapi()
    _same_keys_in_same_order(expected, actual)
    assert json.dumps(actual["paths"]) == json.dumps(expected["paths"])
    assert actual["components"]["schemas"]["Point"] == {
        "properties": {
            "x": {"type": "number", "minimum": 0.0, "description": "Across"},
            "y": {"type": "number", "default": 0},
        },
        "type": "object",
        "required": ["x"],
        "title": "Point",
    }


@pytest.mark.parametrize("name", [*APPS, "structs"])
def test_document_is_a_fixed_point_of_fastapis_models(name: str) -> None:
    """FastAPI's last step, ``jsonable_encoder(OpenAPI(**output), by_alias=True,
    exclude_none=True)``, gives FasterAPI's document back, text unchanged."""
    build = {**APPS, "structs": structs_app}[name]
    document = build(_framework("fasterapi")).openapi()
    again = fastapi_jsonable_encoder(
        fastapi_models.OpenAPI(**document), by_alias=True, exclude_none=True
    )
    assert json.dumps(document, indent=1) == json.dumps(again, indent=1)


_OPERATION = {"responses": {"200": {"content": {}, "description": "x"}}, "summary": "S"}
_PARAMETER = {"schema": {"title": "Q", "type": "string"}, "in": "query", "name": "q"}
#: Small documents for the corners of FastAPI's models (unions with Any, defaults, extras).
_DOCUMENTS: dict[str, dict[str, Any]] = {
    "path item without parameters: the model's order": {"paths": {"/a": {"get": _OPERATION}}},
    "a parameter: the generator's order": {
        "paths": {"/a": {"get": {**_OPERATION, "parameters": [_PARAMETER]}}}
    },
    "a parameter of a callback: the generator's order": {
        "paths": {
            "/a": {
                "post": {
                    **_OPERATION,
                    "callbacks": {"c": {"u": {"get": {**_OPERATION, "parameters": [_PARAMETER]}}}},
                }
            }
        }
    },
    "an operation's externalDocs": {
        "paths": {"/a": {"get": {**_OPERATION, "externalDocs": {"url": "https://x.io/"}}}}
    },
    "a webhook's parameter: the model's order": {
        "webhooks": {"w": {"post": {**_OPERATION, "parameters": [_PARAMETER]}}}
    },
    "a response without description, a referenced response": {
        "paths": {
            "/a": {
                "get": {
                    "responses": {
                        "200": {"content": {"a/b": {"schema": {"title": "T", "type": "string"}}}},
                        "404": {"x-a": 1, "$ref": "#/components/responses/N"},
                    }
                }
            }
        }
    },
    "None values, floats, extras": {
        "info": {"version": "1", "title": "T", "x-logo": {"url": None, "alt": "A"}},
        "components": {
            "schemas": {
                "A": {"title": "A", "maximum": 3, "type": "integer", "default": None},
                "B": {"x-b": [None, {"c": None}], "properties": {"p": True}, "minimum": 0},
            },
            "callbacks": {"c": {"u": {"get": {**_OPERATION, "parameters": [_PARAMETER]}}}},
        },
    },
    "security schemes: defaults and extras": {
        "components": {
            "securitySchemes": {
                "o": {
                    "flows": {"password": {"x-f": 1, "tokenUrl": "t"}, "implicit": None},
                    "type": "oauth2",
                },
                "k": {"name": "k", "in": "header", "type": "apiKey", "description": None},
                "b": {"x-b": 1, "bearerFormat": "JWT", "scheme": "bearer", "type": "http"},
                "d": {"scheme": "digest", "type": "http", "description": "D"},
                "i": {"openIdConnectUrl": "https://x.io", "type": "openIdConnect"},
            }
        }
    },
}


@pytest.mark.parametrize("case", _DOCUMENTS)
def test_ordered_document_is_fastapis_models_pass(case: str) -> None:
    document = {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, **_DOCUMENTS[case]}
    expected = fastapi_jsonable_encoder(
        fastapi_models.OpenAPI(**document), by_alias=True, exclude_none=True
    )
    assert json.dumps(ordered_document(document)) == json.dumps(expected)


def test_path_items_with_parameters_keep_the_generators_order() -> None:
    """What the cases above rely on: FastAPI's models reorder a path item unless it holds a
    parameter (pydantic's smart union gives it to ``Any``)."""
    documents = _DOCUMENTS["path item without parameters: the model's order"]
    plain = ordered_document(
        {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, **documents}
    )
    assert list(plain["paths"]["/a"]["get"]) == ["summary", "responses"]
    documents = _DOCUMENTS["a parameter: the generator's order"]
    kept = ordered_document(
        {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, **documents}
    )
    assert list(kept["paths"]["/a"]["get"]) == ["responses", "summary", "parameters"]
