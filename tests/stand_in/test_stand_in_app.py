"""Unmodified FastAPI applications (tests/stand_in/apps) answer on FasterAPI via the stand-in."""

from __future__ import annotations

from typing import Any

import pytest
from interpreters import Interpreter

ITEMS = """
import json
import FasterAPI, FasterAPI.as_fastapi
served = sorted(FasterAPI.as_fastapi.install({arguments}))
from fastapi.testclient import TestClient
import fastapi_items

client = TestClient(fastapi_items.app)
auth = {{"Authorization": "Bearer secret"}}
preflight = client.options(
    "/items/",
    headers={{"Origin": "https://example.org", "Access-Control-Request-Method": "GET"}},
)
calls = [
    client.get("/items/?limit=5"),
    client.get("/items/?limit=0"),
    client.get("/items/1"),
    client.get("/items/7"),
    client.post("/items/", json={{"name": "saw", "price": 3}}),
    client.post("/items/", json={{"name": "", "price": -1}}, headers=auth),
    client.post("/items/", json={{"name": "saw", "price": 3}}, headers={{**auth, "X-Trace": "t1"}}),
    client.get("/sent"),
]
print(json.dumps({{
    "served": served,
    "faster": isinstance(fastapi_items.app, FasterAPI.Faster),
    "answers": [[r.status_code, r.json()] for r in calls],
    "challenge": calls[4].headers.get("www-authenticate"),
    "cors": preflight.headers.get("access-control-allow-origin"),
    "paths": sorted(client.get("/openapi.json").json()["paths"]),
}}))
"""

EXPECTED_ITEMS: dict[str, Any] = {
    "served": ["fastapi", "starlette"],
    "faster": True,
    "answers": [
        [200, {"paging": {"limit": 5, "offset": 0}, "ids": [1]}],
        [400, {"invalid": ["limit"]}],
        [200, {"id": 1, "name": "hammer"}],
        [404, {"detail": "Item not found"}],
        [401, {"detail": "Not authenticated"}],
        [400, {"invalid": ["name", "price"]}],
        [201, {"id": 2, "trace": "t1", "name": "saw", "price": 3.0}],
        [200, ["created 2 by alice"]],
    ],
    "challenge": "Bearer",
    "cors": "https://example.org",
    "paths": ["/items/", "/items/{item_id}", "/sent"],
}


def test_fastapi_app_where_fastapi_is_installed(python: Interpreter) -> None:
    # the real Starlette installed beside fastapi is kept
    expected = {**EXPECTED_ITEMS, "served": ["fastapi"]}
    assert python.run(ITEMS.format(arguments="replace_installed=True")) == expected


def test_fastapi_app_with_both_replaced(python: Interpreter) -> None:
    arguments = 'replace_installed=("fastapi", "starlette")'
    assert python.run(ITEMS.format(arguments=arguments)) == EXPECTED_ITEMS


def test_fastapi_app_where_fastapi_is_not_installed(python_without_fastapi: Interpreter) -> None:
    assert python_without_fastapi.run(ITEMS.format(arguments="")) == EXPECTED_ITEMS


STARLETTE = """
import json, sys
import FasterAPI, FasterAPI.as_fastapi
FasterAPI.as_fastapi.install()
from fastapi.testclient import TestClient
import starlette_items

client = TestClient(starlette_items.app)
teapot = client.get("/teapot")
missing = client.get("/nowhere")
print(json.dumps({
    "stand_in": FasterAPI.as_fastapi.is_stand_in(sys.modules["starlette.responses"]),
    "teapot": [teapot.status_code, teapot.text, teapot.headers.get("x-stamp")],
    "missing": [missing.status_code, missing.text, missing.headers.get("x-stamp")],
    "done": client.get("/done").json(),
}))
"""


def test_app_importing_starlette_where_starlette_is_not_installed(
    python_without_fastapi: Interpreter,
) -> None:
    assert python_without_fastapi.run(STARLETTE) == {
        "stand_in": True,
        "teapot": [418, "short and stout", "/teapot"],
        "missing": [404, "404: Not Found", "/nowhere"],
        "done": {"done": ["poured"]},
    }


@pytest.mark.parametrize(
    ("statement", "error"),
    [
        ("from starlette.config import Config", "ImportError"),
        ("import starlette.middleware.authentication", "ImportError"),
        ("import starlette.middleware.wsgi", "ImportError"),
        ("import starlette.formparsers", "ImportError"),
    ],
)
def test_starlette_names_without_equivalent_say_so(
    python_without_fastapi: Interpreter, statement: str, error: str
) -> None:
    result = python_without_fastapi.run(
        f"""
import json
import FasterAPI.as_fastapi
FasterAPI.as_fastapi.install()
try:
    {statement}
except Exception as exc:
    print(json.dumps([type(exc).__name__, str(exc)]))
"""
    )
    kind, message = result
    assert kind == error
    assert "is not supported by FasterAPI's starlette stand-in: " in message
