"""``router.routes`` changed in place (as plugins do: ``app.routes.append(...)``, ``del``,
slice assignment, a new list) after the first request: the router serves the new routes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from FasterAPI import FastAPI
from FasterAPI.responses import PlainTextResponse
from FasterAPI.routing import APIRoute, Route
from FasterAPI.testclient import TestClient


def text(value: str) -> Callable[[Any], PlainTextResponse]:
    def endpoint(request: Any) -> PlainTextResponse:
        return PlainTextResponse(value)

    return endpoint


def api(value: str) -> APIRoute:
    return APIRoute("/api", lambda: value, name=value)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda routes: routes.append(Route("/new", text("new"))), {"/new": "new"}),
        (lambda routes: routes.extend([Route("/new", text("ext"))]), {"/new": "ext"}),
        (lambda routes: routes.insert(0, api("first")), {"/api": '"first"'}),
        (lambda routes: routes.__iadd__([api("iadd")]), {"/api": '"iadd"'}),
        (lambda routes: routes.__setitem__(-1, api("set")), {"/old": 404, "/api": '"set"'}),
        (lambda routes: routes.__delitem__(-1), {"/old": 404}),
        (lambda routes: routes.pop(), {"/old": 404}),
        (lambda routes: routes.remove(routes[-1]), {"/old": 404}),
        (lambda routes: routes.clear(), {"/old": 404}),
        (lambda routes: routes.reverse(), {"/old": "old"}),
    ],
)
def test_in_place_changes_are_served(
    change: Callable[[list[Any]], Any], expected: dict[str, Any]
) -> None:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    app.add_route("/old", text("old"))
    client = TestClient(app)
    assert client.get("/old").text == "old"
    assert client.get("/new").status_code == 404
    change(app.routes)
    for path, answer in expected.items():
        response = client.get(path)
        if isinstance(answer, int):
            assert response.status_code == answer
        else:
            assert (response.status_code, response.text) == (200, answer)


def test_a_new_list_is_served() -> None:
    app = FastAPI()

    @app.get("/a")
    def a() -> str:
        return "a"

    client = TestClient(app)
    assert client.get("/a").json() == "a"
    app.router.routes = [api("b")]
    assert client.get("/a").status_code == 404
    assert client.get("/api").json() == "b"
    app.router.routes.append(api("c"))  # the new list is watched too
    assert [route.name for route in app.routes] == ["b", "c"]
