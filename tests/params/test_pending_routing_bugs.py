"""Known failures outside the parameters/DI area (validation), kept failing on purpose.

Each test names the module at fault. They pass once the owner fixes the bug.
"""

import dataclasses
from typing import Any, Optional

import fastapi
import msgspec
from fidelity import Pair
from pydantic import BaseModel

import FasterAPI


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

    @app.get("/decimal")
    def decimal_query(d: Any = None) -> Any:
        return {"d": d}

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


__all__ = ["FasterAPI", "fastapi", "msgspec"]
