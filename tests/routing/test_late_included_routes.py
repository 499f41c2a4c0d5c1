"""Routes added to a router after it was included are served by the including app, as on
FastAPI 0.165 (its included routers are live): under the inclusion's prefix, with its
dependencies and tags, through nested inclusions, websocket routes too, and with the app's
dependency overrides. The same app is built on FastAPI and on FasterAPI and compared."""

from types import ModuleType
from typing import Any

import fastapi
import fastapi.testclient
import pytest

import FasterAPI
import FasterAPI.testclient

FRAMEWORKS = [pytest.param(fastapi, id="fastapi"), pytest.param(FasterAPI, id="fasterapi")]


def client_for(fw: ModuleType, app: Any) -> Any:
    if fw is FasterAPI:
        return FasterAPI.testclient.TestClient(app)
    return fastapi.testclient.TestClient(app)


def run(fw: ModuleType) -> list[Any]:
    """Include, then add routes to the included routers; what the app answers."""
    records: list[Any] = []

    def dependency() -> str:
        return "original"

    def stamp(response: fw.Response) -> None:  # type: ignore[name-defined]
        response.headers["x-included"] = "yes"

    inner = fw.APIRouter(prefix="/inner")
    outer = fw.APIRouter()
    app = fw.FastAPI()

    @inner.get("/early")
    def early(value: str = fw.Depends(dependency)) -> str:
        return value

    outer.include_router(inner, prefix="/v1")
    app.include_router(outer, prefix="/api", dependencies=[fw.Depends(stamp)], tags=["t"])

    @inner.get("/later/{item_id}")
    def later(item_id: int, value: str = fw.Depends(dependency)) -> dict[str, Any]:
        return {"item_id": item_id, "value": value}

    @outer.post("/made-late", status_code=201)
    def made_late() -> str:
        return "made"

    @inner.websocket("/ws")
    async def echo(websocket: fw.WebSocket) -> None:  # type: ignore[name-defined]
        await websocket.accept()
        await websocket.send_text("late ws " + await websocket.receive_text())
        await websocket.close()

    with client_for(fw, app) as client:
        for method, path in [
            ("GET", "/api/v1/inner/early"),
            ("GET", "/api/v1/inner/later/7"),
            ("GET", "/api/v1/inner/later/x"),
            ("POST", "/api/made-late"),
            ("GET", "/inner/later/7"),  # only under the inclusion's prefix
            ("GET", "/api/made-late"),
        ]:
            response = client.request(method, path)
            records.append(
                (method, path, response.status_code, response.headers.get("x-included"))
            )
            records.append(response.json())
        app.dependency_overrides[dependency] = lambda: "overridden"
        records.append(client.get("/api/v1/inner/later/8").json())
        with client.websocket_connect("/api/v1/inner/ws") as websocket:
            websocket.send_text("hi")
            records.append(websocket.receive_text())
    operations = app.openapi()["paths"]
    records.append(sorted(operations))
    records.append(operations["/api/v1/inner/later/{item_id}"]["get"]["tags"])
    return records


@pytest.mark.parametrize("fw", FRAMEWORKS)
def test_late_routes_are_served(fw: ModuleType) -> None:
    records = run(fw)
    assert records[:4] == [
        ("GET", "/api/v1/inner/early", 200, "yes"),
        "original",
        ("GET", "/api/v1/inner/later/7", 200, "yes"),
        {"item_id": 7, "value": "original"},
    ]
    assert records[-3] == "late ws hi"
    assert records[-1] == ["t"]


def test_same_as_fastapi() -> None:
    assert run(FasterAPI) == run(fastapi)


def test_late_route_with_empty_prefix_and_path_is_accepted_as_fastapi() -> None:
    """Refused when included (both frameworks), accepted when added later (no request can
    reach it)."""
    for fw in (fastapi, FasterAPI):
        router = fw.APIRouter()
        router.add_api_route("", lambda: None)
        app = fw.FastAPI()
        with pytest.raises(Exception, match="Prefix and path cannot be both") as refused:
            app.include_router(router)
        assert type(refused.value).__name__ in ("FastAPIError", "FasterAPIError")  # an alias
        router = fw.APIRouter()
        app.include_router(router)
        router.add_api_route("", lambda: None)
        assert client_for(fw, app).get("/").status_code == 404
