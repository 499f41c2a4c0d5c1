
"""app.dependency_overrides, as tests use it; compared with FastAPI."""

from types import ModuleType
from typing import Any, Optional

import pytest
from fidelity import Pair


def make_app(fw: ModuleType) -> Any:
    Depends, Header = fw.Depends, fw.Header

    async def get_db() -> Any:
        yield "real-db"

    def get_user(x_user: str = Header()) -> str:
        return x_user

    def get_settings() -> dict[str, str]:
        return {"env": "prod"}

    def service(db: str = Depends(get_db), settings: Any = Depends(get_settings)) -> Any:
        return {"db": db, "env": settings["env"]}

    app = fw.FastAPI()

    @app.get("/data")
    def data(svc: Any = Depends(service), user: str = Depends(get_user)) -> Any:
        return {"svc": svc, "user": user}

    router = fw.APIRouter()

    @router.get("/guarded", dependencies=[Depends(get_user)])
    def guarded() -> Any:
        return {"ok": True}

    app.include_router(router, prefix="/r")
    app.state.deps = {"get_db": get_db, "get_user": get_user, "get_settings": get_settings,
                      "service": service}
    return app


@pytest.fixture
def app_pair(pair: Any) -> Pair:
    return pair(make_app)


def _override(app_pair: Pair, name: str, replacement: Any) -> None:
    for app in (app_pair.ours_app, app_pair.theirs_app):
        app.dependency_overrides[app.state.deps[name]] = replacement


def _clear(app_pair: Pair) -> None:
    for app in (app_pair.ours_app, app_pair.theirs_app):
        app.dependency_overrides.clear()


def test_without_overrides(app_pair: Pair) -> None:
    app_pair.get("/data")
    app_pair.get("/data", headers={"x-user": "ann"})


def test_override_leaf_and_parameterless(app_pair: Pair) -> None:
    _override(app_pair, "get_user", lambda: "tester")
    _override(app_pair, "get_settings", lambda: {"env": "test"})
    response = app_pair.get("/data")
    assert response.json() == {"svc": {"db": "real-db", "env": "test"}, "user": "tester"}
    assert app_pair.get("/r/guarded").json() == {"ok": True}
    _clear(app_pair)
    assert app_pair.get("/r/guarded").status_code == 422


def test_override_with_its_own_parameters(app_pair: Pair) -> None:
    def fake_user(name: Optional[str] = None, limit: int = 1) -> str:
        return f"{name}:{limit}"

    _override(app_pair, "get_user", fake_user)
    app_pair.get("/data?name=bob&limit=2")
    app_pair.get("/data?limit=x")


def test_override_generator_dependency(app_pair: Pair) -> None:
    closed: list[str] = []

    async def fake_db() -> Any:
        yield "fake-db"
        closed.append("x")

    _override(app_pair, "get_db", fake_db)
    response = app_pair.get("/data", headers={"x-user": "u"})
    assert response.json()["svc"]["db"] == "fake-db"
    assert closed == ["x", "x"]


def test_override_intermediate_dependency(app_pair: Pair) -> None:
    _override(app_pair, "service", lambda: {"mocked": True})
    assert app_pair.get("/data", headers={"x-user": "u"}).json() == {
        "svc": {"mocked": True}, "user": "u"
    }
