"""Core reads the application's settings from one typed object (``app.core_settings``); the
FastAPI-compatible attributes of the application read and write it, and an application that is
not FasterAPI's is read by its attributes of the same names."""

from __future__ import annotations

from typing import Annotated, Any

import pytest

from FasterAPI import Depends, Faster, FasterRouter, Limits, Request, TestClient
from fasterapi_core.core_settings import CoreSettings, core_settings_of
from fasterapi_core.limits import BodyTooLarge


def real_user() -> str:
    return "real"


def fake_user() -> str:
    return "fake"


def make_app() -> Faster:
    app = Faster(openapi_url=None)

    @app.get("/user")
    async def user(name: Annotated[str, Depends(real_user)]) -> dict[str, str]:
        return {"user": name}

    @app.post("/size")
    async def size(request: Request) -> dict[str, int]:
        return {"size": len(await request.body())}

    @app.post("/stream-then-body")
    async def stream_then_body(request: Request) -> dict[str, Any]:
        chunks = [chunk async for chunk in request.stream()]
        try:
            await request.body()
        except RuntimeError as exc:
            return {"chunks": len(chunks), "body": str(exc)}
        return {"chunks": len(chunks), "body": "kept"}

    return app


def test_the_application_provides_core_settings_its_attributes_share() -> None:
    app = make_app()
    assert type(app.core_settings) is CoreSettings
    assert core_settings_of(app) is app.core_settings
    assert app.limits is app.core_settings.limits
    assert app.dependency_overrides is app.core_settings.dependency_overrides
    assert app.stream_request_body is False


def test_dependency_overrides_set_on_the_application_apply() -> None:
    app = make_app()
    client = TestClient(app)
    app.dependency_overrides[real_user] = fake_user  # FastAPI's usual way
    assert client.get("/user").json() == {"user": "fake"}
    app.dependency_overrides = {}  # a new dict, as some tests and plugins assign
    assert client.get("/user").json() == {"user": "real"}
    app.dependency_overrides = {real_user: fake_user}
    assert client.get("/user").json() == {"user": "fake"}


def test_limits_assigned_after_creation_apply() -> None:
    app = make_app()
    client = TestClient(app)
    assert client.post("/size", content=b"x" * 100).json() == {"size": 100}
    app.limits = Limits(max_body_size=10)
    response = client.post("/size", content=b"x" * 100)
    assert response.status_code == 413
    assert app.core_settings.limits.max_body_size == 10


def test_stream_request_body_assigned_after_creation_applies() -> None:
    app = make_app()
    client = TestClient(app)
    assert client.post("/stream-then-body", content=b"abc").json() == {
        "chunks": 1,
        "body": "kept",
    }
    app.stream_request_body = True
    body = client.post("/stream-then-body", content=b"abc").json()
    assert body["body"] != "kept"


class ForeignApp:
    """Another framework's application serving a FasterAPI router: settings by attribute."""

    def __init__(self, router: FasterRouter) -> None:
        self.router = router
        self.dependency_overrides = {real_user: fake_user}
        self.limits = Limits(max_body_size=10)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        scope["app"] = self
        await self.router(scope, receive, send)


def test_an_application_that_is_not_fasterapis_is_read_by_attribute() -> None:
    router = FasterRouter()

    @router.get("/user")
    async def user(name: Annotated[str, Depends(real_user)]) -> dict[str, str]:
        return {"user": name}

    @router.post("/size")
    async def size(request: Request) -> dict[str, int]:
        return {"size": len(await request.body())}

    foreign = ForeignApp(router)
    settings = core_settings_of(foreign)
    assert settings.limits.max_body_size == 10
    assert settings.dependency_overrides == {real_user: fake_user}
    client = TestClient(foreign)
    assert client.get("/user").json() == {"user": "fake"}
    with pytest.raises(BodyTooLarge) as raised:  # no error layer around a bare router
        client.post("/size", content=b"x" * 100)
    assert raised.value.status_code == 413
    assert client.post("/size", content=b"x" * 5).json() == {"size": 5}
