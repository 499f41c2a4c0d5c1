"""Regression tests for fidelity bugs found outside the parameters/DI area (routing, validation).

Each test names the module that was at fault and compares with real FastAPI.
"""

import dataclasses
from typing import Any, Optional

from fidelity import Pair
from pydantic import BaseModel

import FasterAPI.responses  # noqa: F401  (fw.responses)


@dataclasses.dataclass
class DItem:
    name: str
    price: float
    tax: Optional[float] = None


class PItem(BaseModel):
    name: str
    price: float


def _app(fw: Any) -> Any:
    app = fw.FastAPI()

    @app.post("/dataclass")
    def dataclass_body(item: DItem) -> DItem:
        return item

    @app.post("/pydantic")
    def pydantic_body(item: PItem) -> PItem:
        return item

    return app


def test_validation_decoded_dataclass_keeps_default_fields(pair: Any) -> None:
    # validation/body.py: msgspec leaves defaulted dataclass fields out of the instance
    # __dict__, so the response (and msgspec.to_builtins) drops "tax": null.
    pair(_app).post("/dataclass", json={"name": "Foo", "price": 3.5})


def test_validation_pydantic_body_non_object_is_model_attributes_type(pair: Any) -> None:
    # validation/adapters.py: FastAPI validates bodies with from_attributes, so a JSON array
    # for a model gives model_attributes_type, not model_type.
    pair(_app).post("/pydantic", json=["name"])


def test_validation_decimal_rejects_nan() -> None:
    # validation/scalars.py: pydantic refuses NaN/Infinity for Decimal (finite_number);
    # we accept it and answer 200.
    import decimal

    def make(fw: Any) -> Any:
        app = fw.FastAPI()

        @app.get("/d")
        def d(value: decimal.Decimal) -> Any:
            return {"value": str(value)}

        return app

    both = Pair(make)
    both.get("/d?value=NaN")
    both.get("/d?value=Infinity")


def test_validation_date_error_messages() -> None:
    # validation: pydantic's ctx/msg for an out-of-range month/day in dates and datetimes.
    import datetime

    def make(fw: Any) -> Any:
        app = fw.FastAPI()

        @app.get("/d")
        def d(
            dt: Optional[datetime.datetime] = None, day: Optional[datetime.date] = None
        ) -> Any:
            return {}

        return app

    both = Pair(make)
    both.get("/d?dt=2024-13-02T03:04:05")
    both.get("/d?day=2023-02-29")


def test_routing_user_http_exception_handler_does_not_catch_router_404() -> None:
    # routing (router.py/errors.py): in FastAPI a handler registered for fastapi.HTTPException
    # does not see the router's own 404/405 (Starlette raises its base HTTPException class), so
    # those stay JSON {"detail": "Not Found"}. Ours hands them to the user's handler.
    def make(fw: Any) -> Any:
        app = fw.FastAPI()

        @app.exception_handler(fw.HTTPException)
        async def handler(request: Any, exc: Any) -> Any:
            return fw.responses.PlainTextResponse(str(exc.detail), status_code=exc.status_code)

        @app.get("/only-get")
        def only_get() -> Any:
            return {}

        return app

    import fastapi.responses  # noqa: F401  (fw.responses)

    both = Pair(make)
    both.get("/missing")
    both.post("/only-get")
