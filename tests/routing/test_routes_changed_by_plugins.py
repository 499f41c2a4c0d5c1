"""What plugins do to registered routes, as fastapi-pagination's ``add_pagination`` does it, on
FastAPI and on FasterAPI (the same plugin code on both): add a dependency to a route
(``route.dependencies`` and ``route.dependant``), serve the route again through
``route.app = request_response(route.get_route_handler())``, which compiles the changed graph
(its query parameters validated, documented in OpenAPI), and wrap the router's
``lifespan_context``."""

import contextlib
from collections.abc import AsyncIterator
from types import ModuleType
from typing import Any

import fastapi
import fastapi.dependencies.utils
import fastapi.routing
import fastapi.testclient
import pytest

import FasterAPI
import FasterAPI.testclient
from FasterAPI._stand_in import dependency_utils
from fasterapi_routing.route_handler_hook import request_response

EVENTS: list[str] = []


def _tools(fw: ModuleType) -> tuple[Any, Any, Any]:
    if fw is FasterAPI:
        return (
            dependency_utils.get_parameterless_sub_dependant,
            request_response,
            FasterAPI.testclient.TestClient,
        )
    return (
        fastapi.dependencies.utils.get_parameterless_sub_dependant,
        fastapi.routing.request_response,
        fastapi.testclient.TestClient,
    )


def add_paging(fw: ModuleType, app: Any) -> None:
    """A plugin: every route answering ``list[int]`` gets ``page`` and ``size`` parameters."""
    sub_dependant, serve, _ = _tools(fw)

    async def paging(
        response: fw.Response,  # type: ignore[name-defined]
        page: int = fw.Query(1, ge=1),
        size: int = fw.Query(2, ge=1, le=5, description="Page size"),
    ) -> AsyncIterator[None]:
        response.headers["x-page"] = f"{page}/{size}"
        yield

    for route in app.routes:
        if getattr(route, "response_model", None) != list[int]:
            continue
        marker = fw.Depends(paging)
        route.dependencies.append(marker)
        route.dependant.dependencies.append(sub_dependant(depends=marker, path=route.path_format))
        route.app = serve(route.get_route_handler())

    original = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(application: Any) -> AsyncIterator[Any]:
        EVENTS.append("plugin startup")
        async with original(application) as state:
            yield state
        EVENTS.append("plugin shutdown")

    app.router.lifespan_context = lifespan


def _answers(fw: ModuleType) -> tuple[list[Any], Any, list[str]]:
    EVENTS.clear()

    @contextlib.asynccontextmanager
    async def app_lifespan(application: Any) -> AsyncIterator[None]:
        EVENTS.append("app startup")
        yield
        EVENTS.append("app shutdown")

    app = fw.FastAPI(lifespan=app_lifespan)

    @app.get("/numbers")
    def numbers() -> list[int]:
        return [1, 2, 3]

    @app.get("/other")
    def other() -> dict[str, int]:
        return {"n": 1}

    add_paging(fw, app)
    answers = []
    with _tools(fw)[2](app) as client:
        for path in ("/numbers?page=3&size=4", "/numbers", "/numbers?size=9", "/other"):
            response = client.get(path)
            answers.append([response.status_code, response.headers.get("x-page"), response.json()])
    parameters = app.openapi()["paths"]["/numbers"]["get"].get("parameters")
    return answers, parameters, list(EVENTS)


@pytest.mark.parametrize("part", [0, 1, 2], ids=["answers", "openapi", "lifespan"])
def test_a_plugin_changes_routes_as_on_fastapi(part: int) -> None:
    ours, theirs = _answers(FasterAPI)[part], _answers(fastapi)[part]
    assert ours == theirs


def test_the_changed_route_answers() -> None:
    answers, parameters, events = _answers(FasterAPI)
    assert answers[0] == [200, "3/4", [1, 2, 3]]
    assert answers[1] == [200, "1/2", [1, 2, 3]]
    assert answers[2][0] == 422
    assert answers[2][2]["detail"][0]["loc"] == ["query", "size"]
    assert answers[3] == [200, None, {"n": 1}]
    assert [p["name"] for p in parameters] == ["page", "size"]
    assert events == ["plugin startup", "app startup", "app shutdown", "plugin shutdown"]
