"""Where a real Starlette is kept beside the stand-in, ``fastapi.Request`` is Starlette's class
(as on FastAPI) and endpoints annotated with it receive a real Starlette request."""

from __future__ import annotations

from interpreters import Interpreter

REQUESTS = """
import json
import FasterAPI.as_fastapi
FasterAPI.as_fastapi.install({arguments})
import fastapi, fastapi.requests, fasterapi_core.requests
from fastapi import Depends, FastAPI, Request
from fastapi.testclient import TestClient
import starlette.requests

app = FastAPI()
app.state.greeting = "hi"

def caller(request: Request) -> str:
    return type(request).__module__

@app.post("/items/{{item_id}}")
async def item(item_id: int, payload: dict, request: Request, via: str = Depends(caller)):
    return {{
        "starlette": isinstance(request, starlette.requests.Request),
        "module": type(request).__module__,
        "via": via,
        "body": (await request.json()) == payload,
        "path_params": request.path_params,
        "greeting": request.app.state.greeting,
        "url": str(request.url_for("item", item_id=3)),
    }}

answer = TestClient(app).post("/items/7", json={{"a": 1}})
print(json.dumps([
    fastapi.Request is starlette.requests.Request,
    fastapi.requests.HTTPConnection is starlette.requests.HTTPConnection,
    fastapi.Request is fasterapi_core.requests.Request,
    answer.status_code, answer.json(),
]))
"""


def test_fastapi_request_is_starlettes_where_starlette_is_kept(python: Interpreter) -> None:
    assert python.run(REQUESTS.format(arguments="replace_installed=True")) == [
        True,
        True,
        False,
        200,
        {
            "starlette": True,
            "module": "starlette.requests",
            "via": "starlette.requests",
            "body": True,
            "path_params": {"item_id": "7"},
            "greeting": "hi",
            "url": "http://testserver/items/3",
        },
    ]


def test_fastapi_request_is_fasterapis_where_starlette_is_served(python: Interpreter) -> None:
    arguments = 'replace_installed=("fastapi", "starlette")'
    result = python.run(REQUESTS.format(arguments=arguments))
    assert result[:3] == [True, True, True]
    assert result[3:] == [
        200,
        {
            "starlette": True,
            "module": "fasterapi_core.requests",
            "via": "fasterapi_core.requests",
            "body": True,
            "path_params": {"item_id": "7"},
            "greeting": "hi",
            "url": "http://testserver/items/3",
        },
    ]
