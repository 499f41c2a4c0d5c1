"""Exception handling: HTTPException, user handlers, validation errors, the last-resort 500."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from FasterAPI import (
    Faster,
    HTTPException,
    JSONResponse,
    PlainTextResponse,
    Request,
    RequestValidationError,
    TestClient,
)


class TeapotError(Exception):
    pass


def make_app() -> Faster:
    app = Faster()

    @app.get("/http")
    async def http_error() -> None:
        raise HTTPException(status_code=418, detail={"why": "teapot"}, headers={"X-Error": "1"})

    @app.get("/default-detail")
    async def default_detail() -> None:
        raise HTTPException(status_code=403)

    @app.get("/custom")
    async def custom() -> None:
        raise TeapotError("brewing")

    @app.get("/crash")
    async def crash() -> None:
        raise ZeroDivisionError("secret value 42")

    @app.get("/needs-int")
    async def needs_int(n: int) -> int:
        return n

    return app


def test_http_exception_becomes_json_with_headers() -> None:
    response = TestClient(make_app()).get("/http")
    assert response.status_code == 418
    assert response.json() == {"detail": {"why": "teapot"}}
    assert response.headers["x-error"] == "1"


def test_http_exception_default_detail_is_the_reason_phrase() -> None:
    response = TestClient(make_app()).get("/default-detail")
    assert response.status_code == 403
    assert response.json() == {"detail": "Forbidden"}


def test_user_handlers_sync_and_async_for_classes_and_status_codes() -> None:
    app = make_app()

    @app.exception_handler(TeapotError)
    def teapot(request: Request, exc: TeapotError) -> PlainTextResponse:
        return PlainTextResponse(f"handled {exc} at {request.url.path}", status_code=418)

    async def not_found(request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"missing": request.url.path}, status_code=404)

    app.add_exception_handler(404, not_found)
    client = TestClient(app)
    response = client.get("/custom")
    assert (response.status_code, response.text) == (418, "handled brewing at /custom")
    response = client.get("/nowhere")
    assert (response.status_code, response.json()) == (404, {"missing": "/nowhere"})


def test_validation_error_handler_can_be_replaced() -> None:
    app = make_app()

    @app.exception_handler(RequestValidationError)
    async def validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"errors": len(exc.errors()), "first": exc.errors()[0]["type"]}, 400)

    response = TestClient(app).get("/needs-int?n=x")
    assert response.status_code == 400
    assert response.json() == {"errors": 1, "first": "int_parsing"}


def test_invalid_json_reaches_the_validation_handler_as_text() -> None:
    # FastAPI gives exc.body the JSON document as a str (json.JSONDecodeError.doc).
    app = Faster(openapi_url=None)

    @app.exception_handler(RequestValidationError)
    async def validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"body": exc.body, "type": exc.errors()[0]["type"]}, 400)

    @app.post("/single")
    async def single(payload: dict[str, int]) -> dict[str, int]:
        return payload

    @app.post("/embedded")
    async def embedded(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
        return a

    client = TestClient(app)
    for path in ("/single", "/embedded"):
        response = client.post(path, content=b'{"bad', headers={"content-type": "application/json"})
        assert (response.status_code, response.json()) == (
            400,
            {"body": '{"bad', "type": "json_invalid"},
        )


def test_unhandled_error_is_500_without_details_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = TestClient(make_app(), raise_server_exceptions=False)
    with caplog.at_level(logging.ERROR, logger="fasterapi.error"):
        response = client.get("/crash")
    assert response.status_code == 500
    assert response.text == "Internal Server Error"
    assert "42" not in response.text
    messages = [r.getMessage() for r in caplog.records if r.name == "fasterapi.error"]
    assert messages == [
        "Exception in ASGI application (GET /crash): ZeroDivisionError: secret value 42"
    ]


def test_unhandled_error_reaches_the_test_by_default() -> None:
    with pytest.raises(ZeroDivisionError, match="secret value"):
        TestClient(make_app()).get("/crash")


def test_500_handler_builds_the_response() -> None:
    app = make_app()

    @app.exception_handler(Exception)
    async def everything(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"error": type(exc).__name__}, status_code=500)

    response = TestClient(app, raise_server_exceptions=False).get("/crash")
    assert response.status_code == 500
    assert response.json() == {"error": "ZeroDivisionError"}


def test_debug_mode_shows_the_traceback() -> None:
    app = make_app()
    app.debug = True
    response = TestClient(app, raise_server_exceptions=False).get("/crash")
    assert response.status_code == 500
    assert "ZeroDivisionError: secret value 42" in response.text


@pytest.mark.anyio
@pytest.mark.parametrize("framework", ["fasterapi", "fastapi"])
async def test_the_error_reaches_the_server_after_the_500(framework: str) -> None:
    """Starlette's semantics: answer 500, then re-raise so the server logs the traceback."""
    if framework == "fastapi":
        import fastapi

        app: Any = fastapi.FastAPI()

        @app.get("/crash")
        async def crash() -> None:
            raise ZeroDivisionError("secret value 42")

    else:
        app = make_app()
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "GET",
        "path": "/crash",
        "raw_path": b"/crash",
        "query_string": b"",
        "headers": [],
        "root_path": "",
        "scheme": "http",
        "server": ("test", 80),
        "client": ("1.2.3.4", 5),
    }
    with pytest.raises(ZeroDivisionError, match="secret value 42"):
        await app(scope, receive, send)
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    assert sent[0]["status"] == 500
    assert sent[1]["body"] == b"Internal Server Error"
