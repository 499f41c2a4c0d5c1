"""OpenAPI callbacks (``callbacks=`` on routes, routers, ``include_router`` and the app) and
webhooks (``app.webhooks``): FastAPI's documented examples give the same document."""

from datetime import datetime
from typing import Any

import fastapi
import pytest
from openapi_spec_validator import validate
from pydantic import BaseModel, HttpUrl

import FasterAPI
from FasterAPI.testclient import TestClient


class Invoice(BaseModel):
    id: str
    title: str | None = None
    customer: str
    total: float


class InvoiceEvent(BaseModel):
    description: str
    paid: bool


class InvoiceEventReceived(BaseModel):
    ok: bool


class Subscription(BaseModel):
    username: str
    monthly_fee: float
    start_date: datetime


def build(fw: Any, app_cls: Any, router_cls: Any) -> Any:
    """FastAPI's "OpenAPI Callbacks" and "OpenAPI Webhooks" examples, plus callbacks declared
    on a router, an include_router call and the application."""
    callbacks = router_cls()

    @callbacks.post(
        "{$callback_url}/invoices/{$request.body.id}", response_model=InvoiceEventReceived
    )
    def invoice_notification(body: InvoiceEvent) -> None:
        pass

    audit = router_cls()

    @audit.put("{$request.query.audit_url}/audit")
    def audit_notification(body: Invoice) -> None:
        pass

    app = app_cls(callbacks=audit.routes)

    @app.post("/invoices/", callbacks=callbacks.routes)
    def create_invoice(invoice: Invoice, callback_url: HttpUrl | None = None) -> dict[str, str]:
        """Create an invoice; the callback is called when it is paid."""
        return {"msg": "Invoice received"}

    billing = router_cls(callbacks=callbacks.routes)

    @billing.get("/bills/{bill_id}")
    def read_bill(bill_id: int) -> dict[str, int]:
        return {"bill_id": bill_id}

    app.include_router(billing, prefix="/billing", callbacks=audit.routes)

    @app.webhooks.post("new-subscription")
    def new_subscription(body: Subscription) -> None:
        """When a new user subscribes, we send them a POST with this data."""

    @app.get("/plain")
    def plain() -> dict[str, str]:
        return {"ok": "yes"}

    return app


@pytest.fixture(scope="module")
def documents() -> tuple[dict[str, Any], dict[str, Any]]:
    # A callback documented on several operations repeats its operation id: both warn.
    with pytest.warns(UserWarning, match="Duplicate Operation ID audit_notification"):
        ours = build(FasterAPI, FasterAPI.Faster, FasterAPI.FasterRouter).openapi()
    with pytest.warns(UserWarning, match="Duplicate Operation ID audit_notification"):
        theirs = build(fastapi, fastapi.FastAPI, fastapi.APIRouter).openapi()
    return ours, theirs


def test_callbacks_match_fastapi(documents: tuple[dict[str, Any], dict[str, Any]]) -> None:
    ours, theirs = documents
    assert ours["paths"] == theirs["paths"]


def test_webhooks_match_fastapi(documents: tuple[dict[str, Any], dict[str, Any]]) -> None:
    ours, theirs = documents
    assert ours["webhooks"] == theirs["webhooks"]
    assert ours["components"] == theirs["components"]


def test_document_is_valid(documents: tuple[dict[str, Any], dict[str, Any]]) -> None:
    validate(documents[0])


def test_callback_names_and_expressions(documents: tuple[dict[str, Any], dict[str, Any]]) -> None:
    ours, _ = documents
    callbacks = {
        path: list(methods[next(iter(methods))].get("callbacks", {}))
        for path, methods in ours["paths"].items()
    }
    assert callbacks == {  # the application's, the router's and include_router's, merged
        "/invoices/": ["audit_notification", "invoice_notification"],
        "/billing/bills/{bill_id}": ["audit_notification", "invoice_notification"],
        "/plain": ["audit_notification"],
    }
    create = ours["paths"]["/invoices/"]["post"]["callbacks"]
    assert list(create["invoice_notification"]) == ["{$callback_url}/invoices/{$request.body.id}"]
    assert list(ours["webhooks"]) == ["new-subscription"]


def test_webhooks_and_callbacks_are_documented_not_served() -> None:
    app = build(FasterAPI, FasterAPI.Faster, FasterAPI.FasterRouter)
    client = TestClient(app)
    assert client.post("/invoices/", json={"id": "1", "customer": "c", "total": 2}).json() == {
        "msg": "Invoice received"
    }
    assert client.post("new-subscription").status_code == 404
    assert client.post("/new-subscription").status_code == 404


def test_served_routes_still_need_a_leading_slash() -> None:
    app = FasterAPI.Faster()
    with pytest.raises(ValueError, match="must start with '/'"):
        app.get("items")(lambda: None)
