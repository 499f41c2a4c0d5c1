"""Credentials objects answer ``model_dump()`` as FastAPI's pydantic ones do; untyped returns of
plain objects are encoded as FastAPI's ``jsonable_encoder`` encodes them (``vars(obj)``)."""

from __future__ import annotations

from typing import Any

import fastapi
import fastapi.security
import pytest
from fastapi.testclient import TestClient as FastAPIClient

import FasterAPI
import FasterAPI.security
from FasterAPI.testclient import TestClient


def _app(framework: Any, security: Any) -> Any:
    app = framework.FastAPI()
    bearer = security.HTTPBearer()
    basic = security.HTTPBasic()

    @app.get("/bearer")
    def read_bearer(credentials: Any = framework.Security(bearer)) -> Any:
        return {"dump": credentials.model_dump(), "json": credentials.model_dump(mode="json")}

    @app.get("/basic")
    def read_basic(credentials: Any = framework.Security(basic)) -> Any:
        return credentials.model_dump()

    class Plain:
        def __init__(self) -> None:
            self.name = "plain"
            self.tags = ["a", "b"]

    @app.get("/plain")
    def plain():  # type: ignore[no-untyped-def]  # no return annotation: jsonable_encoder
        return Plain()

    @app.post("/login")
    def login(form: Any = framework.Depends(security.OAuth2PasswordRequestFormStrict)):  # type: ignore[no-untyped-def]
        return form

    return app


@pytest.mark.parametrize(
    ("path", "method", "kwargs"),
    [
        ("/bearer", "get", {"headers": {"Authorization": "Bearer abc"}}),
        ("/basic", "get", {"auth": ("ann", "pw")}),
        ("/plain", "get", {}),
        ("/login", "post", {"data": {"username": "u", "password": "p", "grant_type": "password"}}),
    ],
)
def test_answers_as_fastapi(path: str, method: str, kwargs: dict[str, Any]) -> None:
    ours = getattr(TestClient(_app(FasterAPI, FasterAPI.security)), method)(path, **kwargs)
    theirs = getattr(FastAPIClient(_app(fastapi, fastapi.security)), method)(path, **kwargs)
    assert (ours.status_code, ours.json()) == (theirs.status_code, theirs.json())
    assert ours.status_code == 200


def test_model_dump_refuses_unknown_modes() -> None:
    credentials = FasterAPI.security.HTTPAuthorizationCredentials(scheme="Bearer", credentials="x")
    with pytest.raises(ValueError, match="mode must be"):
        credentials.model_dump(mode="yaml")


def test_an_object_without_fields_is_still_refused() -> None:
    app = FasterAPI.Faster()

    @app.get("/")
    def root() -> Any:
        return object()

    response = TestClient(app, raise_server_exceptions=False).get("/")
    assert response.status_code == 500


def test_a_callable_object_is_not_encoded_from_its_attributes() -> None:
    class Application:  # an ASGI-application-like object: not data
        def __init__(self) -> None:
            self.secret = "not for the client"

        async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
            raise AssertionError("never called")

    app = FasterAPI.Faster()

    @app.get("/")
    def root():  # type: ignore[no-untyped-def]
        return Application()

    response = TestClient(app, raise_server_exceptions=False).get("/")
    assert response.status_code == 500
    assert "not for the client" not in response.text
