"""A pydantic-model app documents exactly as it does under FastAPI."""

from types import SimpleNamespace
from typing import Annotated, Any

import fastapi
import fastapi.security
import pytest
from openapi_spec_validator import validate
from pydantic import BaseModel, Field

import FasterAPI
import FasterAPI.security


class Item(BaseModel):
    name: str
    price: float = Field(gt=0, description="Price in euros")
    tags: list[str] = []


class ItemOut(BaseModel):
    id: int
    name: str
    owner: "User | None" = None


class User(BaseModel):
    username: str
    email: str | None = None


ItemOut.model_rebuild()


def build(fw: Any, security: Any, app_cls: Any, router_cls: Any) -> Any:
    """The same application written against either framework's names."""
    app = app_cls(title="Parity", version="2.0", description="Same docs")
    oauth = security.OAuth2PasswordBearer(tokenUrl="token", scopes={"read": "Read items"})
    bearer = security.HTTPBearer()
    api_key = security.APIKeyHeader(name="X-Key")

    @app.get(
        "/items/{item_id}",
        response_model=ItemOut,
        responses={404: {"description": "Not found"}, 418: {"model": Item}},
    )
    def read_item(
        item_id: Annotated[int, fw.Path(ge=1, description="The id")],
        q: str | None = None,
        limit: Annotated[int, fw.Query(ge=1, le=100)] = 20,
        user_agent: Annotated[str | None, fw.Header()] = None,
        session: Annotated[str | None, fw.Cookie()] = None,
        tags: Annotated[list[str], fw.Query()] = [],  # noqa: B006
    ):
        """Read an item.

        With a longer description."""
        return {}

    @app.post("/items/", status_code=201, tags=["items"])
    def create_item(item: Item) -> ItemOut:
        return ItemOut(id=1, name=item.name)

    @app.post("/multi")
    def multi(
        item: Item,
        user: User,
        importance: Annotated[int, fw.Body()],
        token: str = fw.Security(oauth, scopes=["read"]),
    ):
        return {}

    @app.post("/embed")
    def embed(item: Annotated[Item, fw.Body(embed=True)], b=fw.Depends(bearer)):
        return {}

    @app.post("/login")
    def login(username: Annotated[str, fw.Form()], password: Annotated[str, fw.Form()]):
        return {}

    @app.post("/upload")
    def upload(
        file: fw.UploadFile,
        data: Annotated[bytes, fw.File()],
        note: Annotated[str, fw.Form()] = "x",
        files: list[fw.UploadFile] = fw.File(...),
    ):
        return {}

    @app.get("/plain", deprecated=True, summary="Just plain", operation_id="plainOp")
    def plain():
        return {}

    @app.delete("/gone", status_code=204)
    def gone() -> None:
        return None

    @app.get("/users", dependencies=[fw.Depends(api_key)])
    def users() -> list[User]:
        return []

    router = router_cls(prefix="/r", tags=["r"])

    @router.put("/x/{a}")
    async def put_x(a: str, body: dict[str, int]):
        return body

    @router.get("/hidden", include_in_schema=False)
    def hidden():
        return {}

    app.include_router(router, prefix="/outer")
    return app


def fastapi_document() -> dict[str, Any]:
    app = build(fastapi, fastapi.security, fastapi.FastAPI, fastapi.APIRouter)
    return dict(app.openapi())


def fasterapi_document() -> dict[str, Any]:
    fw = SimpleNamespace(**{name: getattr(FasterAPI, name) for name in FasterAPI.__all__})
    app = build(fw, FasterAPI.security, FasterAPI.Faster, FasterAPI.FasterRouter)
    return dict(app.openapi())


@pytest.fixture(scope="module")
def documents() -> tuple[dict[str, Any], dict[str, Any]]:
    return fastapi_document(), fasterapi_document()


def test_document_is_valid(documents: tuple[dict[str, Any], dict[str, Any]]) -> None:
    validate(documents[1])


def test_paths_match_fastapi(documents: tuple[dict[str, Any], dict[str, Any]]) -> None:
    expected, actual = documents
    assert list(actual["paths"]) == list(expected["paths"])
    for path, item in expected["paths"].items():
        assert actual["paths"][path] == item, path


def test_components_match_fastapi(documents: tuple[dict[str, Any], dict[str, Any]]) -> None:
    expected, actual = documents
    assert actual["components"]["schemas"] == expected["components"]["schemas"]
    assert list(actual["components"]["schemas"]) == list(expected["components"]["schemas"])
    assert actual["components"]["securitySchemes"] == expected["components"]["securitySchemes"]


def test_whole_document_matches_fastapi(documents: tuple[dict[str, Any], dict[str, Any]]) -> None:
    expected, actual = documents
    assert actual == expected
