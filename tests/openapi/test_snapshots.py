"""Exact documents for representative apps, compared with the JSON committed in snapshots/.

Regenerate after an intended change with ``FASTERAPI_UPDATE_SNAPSHOTS=1 pytest tests/openapi``
and review the diff.
"""

import datetime as dt
import enum
import json
import os
import uuid
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec
import pytest
from openapi_spec_validator import validate

from examples.notes.app import app as notes_app
from FasterAPI import (
    Body,
    Cookie,
    Depends,
    Faster,
    FasterRouter,
    File,
    Form,
    Header,
    Query,
    UploadFile,
)
from FasterAPI.params import Path as PathParam
from FasterAPI.security import HTTPBearer, OAuth2PasswordBearer

SNAPSHOTS = Path(__file__).parent / "snapshots"


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


class Address(msgspec.Struct):
    street: str
    city: str
    zip: Annotated[str, msgspec.Meta(pattern=r"^\d{5}$")]


class Customer(msgspec.Struct, kw_only=True):
    """A customer of the shop."""

    id: uuid.UUID
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
    email: str | None = None
    addresses: list[Address] = []
    favourite: Color = Color.RED
    joined: dt.datetime


class CustomerIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
    email: str | None = None
    addresses: list[Address] = []


class Problem(msgspec.Struct):
    detail: str


def representative_app() -> Faster:
    app = Faster(
        title="Shop",
        version="1.2.3",
        description="A representative **shop** API.",
        openapi_tags=[{"name": "customers", "description": "People who buy"}],
        servers=[{"url": "https://shop.example", "description": "Production"}],
    )
    oauth = OAuth2PasswordBearer(tokenUrl="/token", scopes={"customers:write": "Edit customers"})
    bearer = HTTPBearer(auto_error=False)

    def pagination(
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
        cursor: Annotated[str | None, Query(description="Opaque cursor")] = None,
    ) -> dict[str, Any]:
        return {"limit": limit, "cursor": cursor}

    router = FasterRouter(prefix="/customers", tags=["customers"])

    @router.get("/", response_model=list[Customer])
    async def list_customers(
        page: Annotated[dict[str, Any], Depends(pagination)],
        color: Color | None = None,
        sort: Literal["name", "joined"] = "name",
        x_request_id: Annotated[str | None, Header()] = None,
    ) -> Any:
        """List customers, newest first."""
        return []

    @router.post("/", status_code=201, responses={409: {"model": Problem}})
    async def create_customer(
        customer: CustomerIn, token: Annotated[str, Depends(oauth)]
    ) -> Customer:
        raise NotImplementedError

    @router.get("/{customer_id}", responses={404: {"model": Problem, "description": "Missing"}})
    async def read_customer(
        customer_id: Annotated[uuid.UUID, PathParam(description="The customer's id")],
        lang: Annotated[str, Cookie()] = "en",
    ) -> Customer:
        raise NotImplementedError

    @router.patch("/{customer_id}/name", deprecated=True)
    async def rename_customer(
        customer_id: uuid.UUID,
        name: Annotated[str, Body(min_length=1)],
        reason: Annotated[str | None, Body()] = None,
    ) -> Customer:
        raise NotImplementedError

    @router.post("/{customer_id}/avatar", dependencies=[Depends(bearer)])
    async def upload_avatar(
        customer_id: uuid.UUID,
        image: UploadFile,
        caption: Annotated[str, Form(max_length=200)] = "",
    ) -> dict[str, int]:
        raise NotImplementedError

    @router.post("/import", openapi_extra={"x-internal": True})
    async def import_customers(
        files: Annotated[list[bytes], File(description="CSV files")],
        dry_run: Annotated[bool, Form()] = False,
    ) -> dict[str, int]:
        raise NotImplementedError

    app.include_router(router, prefix="/v1")

    @app.post("/token", tags=["auth"], summary="Log in")
    async def token(username: Annotated[str, Form()], password: Annotated[str, Form()]) -> dict:
        raise NotImplementedError

    @app.get("/health", include_in_schema=True, operation_id="health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/internal", include_in_schema=False)
    async def internal() -> None: ...

    app.mount("/legacy", Faster())
    return app


APPS = {"representative": representative_app, "notes": lambda: notes_app}


@pytest.mark.parametrize("name", sorted(APPS))
def test_document_matches_snapshot(name: str) -> None:
    document = APPS[name]().openapi()
    validate(document)
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    snapshot = SNAPSHOTS / f"{name}.json"
    if os.environ.get("FASTERAPI_UPDATE_SNAPSHOTS") == "1":
        snapshot.write_text(text, encoding="utf-8")
    assert text == snapshot.read_text(encoding="utf-8")
