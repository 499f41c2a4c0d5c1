"""A ``pydantic.v1`` model is refused with ``PydanticV1NotSupportedError`` where FastAPI 0.165
refuses it: as a parameter or body (also in a union or a list), return annotation, response
model, model of an additional response, and in ``jsonable_encoder``; checked on both."""

import warnings
from collections.abc import Callable
from typing import Any

import fastapi
import pytest
from fastapi.encoders import jsonable_encoder as fastapi_jsonable_encoder
from fastapi.exceptions import PydanticV1NotSupportedError as FastAPIRefusal

import FasterAPI
from FasterAPI.encoders import jsonable_encoder
from FasterAPI.exceptions import FasterAPIError, PydanticV1NotSupportedError

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    from pydantic import v1


class ModelV1(v1.BaseModel):
    name: str


def _param(app: Any) -> None:
    @app.post("/p")
    def endpoint(data: ModelV1) -> None: ...


def _union(app: Any) -> None:
    @app.post("/u")
    def endpoint(data: dict[str, Any] | ModelV1) -> None: ...


def _sequence(app: Any) -> None:
    @app.post("/s")
    def endpoint(data: list[ModelV1]) -> None: ...


def _return(app: Any) -> None:
    @app.get("/r")
    def endpoint() -> ModelV1:
        return ModelV1(name="x")


def _response_model(app: Any) -> None:
    @app.get("/m", response_model=ModelV1)
    def endpoint() -> Any: ...


def _additional_response(app: Any) -> None:
    @app.get("/a", response_model=None, responses={400: {"model": ModelV1}})
    def endpoint() -> Any: ...


@pytest.mark.parametrize(
    "declare",
    [_param, _union, _sequence, _return, _response_model, _additional_response],
)
def test_refused_at_registration_as_fastapi(declare: Callable[[Any], None]) -> None:
    with pytest.raises(FastAPIRefusal):
        declare(fastapi.FastAPI())
    with pytest.raises(PydanticV1NotSupportedError, match=r"pydantic\.v1 models are no longer"):
        declare(FasterAPI.FastAPI())


def test_refused_by_jsonable_encoder_as_fastapi() -> None:
    value = {"items": [ModelV1(name="x")]}
    with pytest.raises(FastAPIRefusal):
        fastapi_jsonable_encoder(value)
    with pytest.raises(PydanticV1NotSupportedError):
        jsonable_encoder(value)


def test_is_a_fasterapi_error() -> None:
    assert issubclass(PydanticV1NotSupportedError, FasterAPIError)


def test_v2_models_and_plain_types_still_register() -> None:
    import pydantic

    class ModelV2(pydantic.BaseModel):
        name: str

    app = FasterAPI.FastAPI()

    @app.post("/ok")
    def endpoint(data: ModelV2, limit: int | None = None) -> ModelV2:
        return data

    from FasterAPI.testclient import TestClient

    response = TestClient(app).post("/ok", json={"name": "x"})
    assert (response.status_code, response.json()) == (200, {"name": "x"})
