"""``FasterAPI.openapi.models`` (the stand-in's ``fastapi.openapi.models``): FastAPI's pydantic
models of the OpenAPI document, accepting and rejecting what FastAPI's accept and reject."""

import subprocess
import sys
from typing import Any

import fastapi
import fastapi.openapi.models as theirs
import fastapi.security
import pytest
from pydantic import BaseModel, ValidationError

import FasterAPI
import FasterAPI.security
from FasterAPI.openapi import models as ours


class Item(BaseModel):
    name: str


def build(fw: Any, app_cls: Any, security: Any) -> Any:
    app = app_cls(
        title="Models",
        contact={"name": "Ann", "email": "ann@example.com", "url": "https://Example.com"},
        license_info={"name": "MIT", "url": "https://mit-license.org"},
        servers=[{"url": "https://api.example.com", "x-region": "eu"}],
        openapi_tags=[
            {"name": "items", "externalDocs": {"url": "https://docs.example.com"}},
            {"name": "other", "description": "Other"},
        ],
    )
    oauth = security.OAuth2PasswordBearer(tokenUrl="token", scopes={"read": "Read"})
    key = security.APIKeyHeader(name="X-Key")

    @app.post("/items/{item_id}", tags=["items"], openapi_extra={"x-internal": True})
    def create(item_id: int, item: Item, token: str = fw.Depends(oauth)) -> Item:
        return item

    @app.get("/keys", dependencies=[fw.Depends(key)])
    def keys(q: str | None = None) -> list[str]:
        return []

    return app


def dump(model: type[BaseModel], document: dict[str, Any]) -> Any:
    return model.model_validate(document).model_dump(mode="json", by_alias=True, exclude_none=True)


def test_document_round_trips_as_with_fastapi() -> None:
    document = build(FasterAPI, FasterAPI.Faster, FasterAPI.security).openapi()
    assert dump(ours.OpenAPI, document) == dump(theirs.OpenAPI, document) == document
    assert document == build(fastapi, fastapi.FastAPI, fastapi.security).openapi()
    assert document["info"]["contact"]["url"] == "https://example.com/"  # as AnyUrl writes it


@pytest.mark.parametrize("value", ["array", ["string", "null"], None])
def test_schema_types(value: Any) -> None:
    assert ours.Schema(type=value).type == theirs.Schema(type=value).type == value


def test_invalid_values_are_refused_as_by_fastapi() -> None:
    for module in (ours, theirs):
        with pytest.raises(ValidationError, match="2 validation errors for Schema"):
            module.Schema(type=True)
        with pytest.raises(ValidationError):
            module.Schema(minLength=-1)
        with pytest.raises(ValidationError):
            module.Parameter(name="q", **{"in": "body"})


def test_aliases_and_extensions() -> None:
    parameter = ours.Parameter.model_validate(
        {"name": "q", "in": "query", "schema": {"$ref": "#/x"}, "x-extra": 1}
    )
    assert parameter.in_ is ours.ParameterInType.query
    assert isinstance(parameter.schema_, ours.Schema) and parameter.schema_.ref == "#/x"
    assert parameter.model_dump(by_alias=True, exclude_none=True, mode="json") == {
        "name": "q",
        "in": "query",
        "schema": {"$ref": "#/x"},
        "x-extra": 1,
    }
    assert ours.HTTPBearer().model_dump(by_alias=True, exclude_none=True, mode="json") == (
        theirs.HTTPBearer().model_dump(by_alias=True, exclude_none=True, mode="json")
    )


def test_same_json_schema_as_fastapis_models() -> None:
    def strip(schema: Any) -> Any:  # our classes carry docstrings, FastAPI's do not
        if isinstance(schema, dict):
            return {k: strip(v) for k, v in schema.items() if k != "description"}
        if isinstance(schema, list):
            return [strip(v) for v in schema]
        return schema

    assert strip(ours.OpenAPI.model_json_schema()) == strip(theirs.OpenAPI.model_json_schema())


def test_importing_fasterapi_does_not_import_the_models() -> None:
    code = (
        "import sys, FasterAPI, FasterAPI.openapi; "
        "app = FasterAPI.Faster(); app.openapi(); "
        "print('fasterapi_routing.openapi.models' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_without_pydantic_the_error_names_the_extra() -> None:
    code = (
        "import sys; sys.modules['pydantic'] = None\n"
        "try:\n"
        "    import FasterAPI.openapi as o; o.models\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == (
        'pydantic is not installed; it comes with an extra: pip install "fasterapi[pydantic]"'
    )
