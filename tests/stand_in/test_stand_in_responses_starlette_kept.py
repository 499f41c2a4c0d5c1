"""Where a real Starlette is kept beside the stand-in, ``fastapi.Response`` is Starlette's class
and the ``fastapi.responses`` classes are also Starlette's (as on FastAPI, whose names are
Starlette's classes or subclasses of them): an endpoint's ``response`` parameter is a Starlette
response whose status code, headers and cookies still go into the answer, and the responses an
endpoint returns answer as on FastAPI. Where the stand-in also serves ``starlette.*``, they are
FasterAPI's classes."""

from __future__ import annotations

from interpreters import Interpreter

RESPONSES = """
import json
{install}
import fastapi, fastapi.responses
from fastapi import FastAPI, Response
from fastapi.responses import (
    EventSourceResponse, FileResponse, HTMLResponse, JSONResponse, ORJSONResponse,
    PlainTextResponse, RedirectResponse, StreamingResponse, UJSONResponse,
)
from fastapi.testclient import TestClient
import starlette.responses as theirs

CLASSES = {{
    "EventSourceResponse": "StreamingResponse", "FileResponse": "FileResponse",
    "HTMLResponse": "HTMLResponse", "JSONResponse": "JSONResponse",
    "ORJSONResponse": "JSONResponse", "PlainTextResponse": "PlainTextResponse",
    "RedirectResponse": "RedirectResponse", "StreamingResponse": "StreamingResponse",
    "UJSONResponse": "JSONResponse",
}}
app = FastAPI()

@app.get("/sub")
def sub(response: Response) -> dict:
    response.status_code = 201
    response.headers["x-kind"] = type(response).__mro__[-2].__module__
    response.set_cookie("flavour", "oat")
    return {{"is_starlette": isinstance(response, theirs.Response)}}

@app.get("/response")
def response() -> Response:
    return Response("raw", media_type="text/plain", headers={{"x-a": "1"}})

@app.get("/plain")
def plain() -> PlainTextResponse:
    answer = PlainTextResponse("plain")
    answer.headers["x-starlette"] = str(isinstance(answer, theirs.Response))
    return answer

@app.get("/json")
def json_route():
    return JSONResponse({{"a": 1}}, status_code=202)

@app.get("/redirect")
def redirect():
    return RedirectResponse("/plain")

client = TestClient(app)
answers = []
for path in ("/sub", "/response", "/plain", "/json", "/redirect"):
    got = client.get(path, follow_redirects=False)
    headers = {{k: v for k, v in got.headers.items() if k != "date"}}
    answers.append([got.status_code, headers, got.text])
print(json.dumps({{
    "response_is_starlettes": fastapi.Response is theirs.Response,
    "same_in_responses": fastapi.responses.Response is fastapi.Response,
    "subclasses": {{
        name: issubclass(getattr(fastapi.responses, name), getattr(theirs, base))
        for name, base in CLASSES.items()
    }},
    "answers": answers,
}}))
"""

KEPT = "import FasterAPI.as_fastapi; FasterAPI.as_fastapi.install(replace_installed=True)"
SERVED = (
    "import FasterAPI.as_fastapi; "
    'FasterAPI.as_fastapi.install(replace_installed=("fastapi", "starlette"))'
)


def test_responses_are_starlettes_as_on_fastapi(python: Interpreter) -> None:
    ours = python.run(RESPONSES.format(install=KEPT))
    reference = python.run(RESPONSES.format(install=""))  # the installed FastAPI
    assert ours == reference
    assert ours["response_is_starlettes"] is True
    assert set(ours["subclasses"].values()) == {True}
    assert ours["answers"][0] == [
        201,
        {
            "content-length": "21",
            "content-type": "application/json",
            "x-kind": "starlette.responses",
            "set-cookie": "flavour=oat; Path=/; SameSite=lax",
        },
        '{"is_starlette":true}',
    ]


def test_responses_are_fasterapis_where_starlette_is_served(python: Interpreter) -> None:
    result = python.run(RESPONSES.format(install=SERVED))
    assert result["response_is_starlettes"] is True  # starlette.responses is FasterAPI's too
    assert result["answers"][0][0] == 201
    assert result["answers"][0][1]["x-kind"] == "fasterapi_core.responses"
    assert result["answers"][0][1]["set-cookie"] == "flavour=oat; Path=/; SameSite=lax"
