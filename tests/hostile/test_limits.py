"""``Limits`` and ``Faster(limits=...)``: defaults, validation and enforcement (in process)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from asgi_support import exchange, http_scope

from FasterAPI import Faster, Request, TestClient, WebSocket
from fasterapi_core.exceptions import BaseHTTPException
from fasterapi_core.formparsers import FormLimits
from fasterapi_core.limits import (
    DEFAULT_LIMITS,
    Limits,
    check_json_depth,
    check_query_param_count,
    limits_of,
)


def test_defaults_are_documented_values() -> None:
    assert (
        Limits(
            max_body_size=16 * 1024 * 1024,
            max_query_params=1000,
            max_json_depth=None,
            form=FormLimits(),
        )
        == DEFAULT_LIMITS
    )
    assert limits_of(object()) is DEFAULT_LIMITS
    assert limits_of(Faster()) is DEFAULT_LIMITS
    custom = Limits(max_body_size=10)
    assert limits_of(Faster(limits=custom)) is custom


@pytest.mark.parametrize("field", ["max_body_size", "max_query_params", "max_json_depth"])
@pytest.mark.parametrize("value", [0, -1, 1.5, "10"])
def test_invalid_limits_are_refused(field: str, value: Any) -> None:
    with pytest.raises(ValueError, match=f"{field} must be a positive integer or None"):
        Limits(**{field: value})


def test_form_must_be_form_limits() -> None:
    with pytest.raises(TypeError, match="form must be a FormLimits"):
        Limits(form={"max_fields": 1})  # type: ignore[arg-type]


def make_app(limits: Limits | None = None, **kwargs: Any) -> Faster:
    app = Faster(limits=limits, **kwargs)
    reached: list[int] = []
    app.state.reached = reached

    @app.post("/body")
    async def body(request: Request) -> dict[str, int]:
        data = await request.body()
        reached.append(len(data))
        return {"size": len(data)}

    @app.post("/stream")
    async def stream(request: Request) -> dict[str, int]:
        total = 0
        async for chunk in request.stream():
            total += len(chunk)
        reached.append(total)
        return {"size": total}

    @app.post("/model")
    async def model(payload: dict[str, Any]) -> dict[str, int]:
        reached.append(len(payload))
        return {"keys": len(payload)}

    @app.post("/json")
    async def json_(request: Request) -> dict[str, str]:
        value = await request.json()
        return {"type": type(value).__name__}

    @app.post("/form")
    async def form(request: Request) -> dict[str, int]:
        return {"fields": len((await request.form()).multi_items())}

    @app.get("/query")
    async def query(request: Request, a: int = 0) -> dict[str, int]:
        return {"a": a, "count": len(request.query_params.multi_items())}

    @app.websocket("/ws")
    async def ws(websocket: WebSocket) -> None:
        count = len(websocket.query_params)
        await websocket.accept()
        await websocket.send_json(count)
        await websocket.close()

    return app


TOO_LARGE = {"detail": "Request body exceeded maximum size of 100 bytes."}


@pytest.mark.parametrize("path", ["/body", "/stream", "/model"])
def test_body_over_the_limit_is_413_and_never_reaches_the_handler(path: str) -> None:
    app = make_app(Limits(max_body_size=100))
    client = TestClient(app)
    response = client.post(path, content=b"1" * 101)
    assert (response.status_code, response.json()) == (413, TOO_LARGE)
    assert response.headers["connection"] == "close"
    assert app.state.reached == []


def test_chunked_body_over_the_limit_is_413() -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(11):
            yield b"x" * 10

    app = make_app(Limits(max_body_size=100))
    response = TestClient(app).post("/stream", content=chunks())
    assert (response.status_code, response.json()) == (413, TOO_LARGE)
    assert app.state.reached == []


def test_body_at_the_limit_is_accepted() -> None:
    client = TestClient(make_app(Limits(max_body_size=100)))
    for path in ("/body", "/stream"):
        response = client.post(path, content=b"x" * 100)
        assert (response.status_code, response.json()) == (200, {"size": 100})


def call_with_content_length(
    app: Faster, path: str, declared: bytes, body: bytes
) -> tuple[list[dict[str, Any]], list[str]]:
    """Call ``app`` with a raw scope declaring ``declared``: the messages sent and the receives."""
    scope = http_scope(path, "POST")
    scope["headers"] = [(b"content-type", b"application/json"), (b"content-length", declared)]
    sent, receives = exchange(app, scope, body)
    return sent, ["receive"] * receives


@pytest.mark.parametrize("path", ["/body", "/stream", "/model"])
def test_declared_content_length_over_the_limit_is_refused_before_reading(path: str) -> None:
    app = make_app(Limits(max_body_size=100))
    for declared in (b"101", b"1000000", b"0000000000000101", b"99999999999999999999999999"):
        sent, received = call_with_content_length(app, path, declared, b"")
        assert sent[0]["status"] == 413, declared
        assert received == []
    assert app.state.reached == []


@pytest.mark.parametrize("path", ["/body", "/model"])
def test_declared_content_length_up_to_the_limit_is_read(path: str) -> None:
    app = make_app(Limits(max_body_size=100))
    for declared in (b"2", b"99", b"100", b"0000000000000100"):
        sent, received = call_with_content_length(app, path, declared, b"{}")
        assert sent[0]["status"] == 200, declared
        assert received == ["receive"]


@pytest.mark.parametrize("path", ["/body", "/stream", "/model"])
def test_content_length_that_is_not_digits_is_400(path: str) -> None:
    # RFC 9110: Content-Length = 1*DIGIT; int() would take a sign, spaces or underscores.
    app = make_app(Limits(max_body_size=100))
    for declared in (b"12abc", b"+2", b"-1", b" 2", b"1_0", b"", b"\xd9\xa2"):
        sent, received = call_with_content_length(app, path, declared, b"{}")
        assert sent[0]["status"] == 400, declared
        assert sent[1]["body"] == b'{"detail":"Invalid Content-Length header."}'
        assert received == []
    assert app.state.reached == []


def test_no_body_limit_when_disabled() -> None:
    client = TestClient(make_app(Limits(max_body_size=None)))
    response = client.post("/body", content=b"x" * (17 * 1024 * 1024))
    assert response.json() == {"size": 17 * 1024 * 1024}


def test_default_body_limit_applies_without_configuration() -> None:
    client = TestClient(make_app())
    response = client.post("/body", content=b"x" * (16 * 1024 * 1024 + 1))
    assert response.status_code == 413
    assert response.json() == {"detail": "Request body exceeded maximum size of 16777216 bytes."}


def test_query_parameter_count() -> None:
    client = TestClient(make_app(Limits(max_query_params=3)))
    assert client.get("/query?a=1&b=2&c=3").json() == {"a": 1, "count": 3}
    assert client.get("/query?a=1&&&&&&b=2&c=3&").json() == {"a": 1, "count": 3}
    response = client.get("/query?a=1&b=2&c=3&d=4")
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "Too many query parameters. Maximum number of parameters is 3."},
    )


def test_query_parameter_count_on_websockets() -> None:
    client = TestClient(make_app(Limits(max_query_params=2)))
    with client.websocket_connect("/ws?a=1&b=2") as ws:
        assert ws.receive_json() == 2
    from FasterAPI.testclient import WebSocketDenialResponse

    # An HTTP error before accept answers the handshake with that response, as FastAPI 0.165.
    with (
        pytest.raises(WebSocketDenialResponse) as info,
        client.websocket_connect("/ws?a=1&b=2&c=3"),
    ):
        pass
    assert info.value.status_code == 400
    assert info.value.json() == {
        "detail": "Too many query parameters. Maximum number of parameters is 2."
    }


JSON = {"content-type": "application/json"}


def test_json_depth_limit() -> None:
    client = TestClient(make_app(Limits(max_json_depth=3)))
    ok = b'{"a":[{"b":"[[[[[[[[["}]}'  # brackets inside strings do not count
    assert client.post("/model", content=ok, headers=JSON).json() == {"keys": 1}
    deep = b'{"a":[[[1]]]}'
    for path in ("/model", "/json", "/body"):
        response = client.post(path, content=deep, headers=JSON)
        assert (response.status_code, response.json()) == (
            400,
            {"detail": "JSON body is nested deeper than 3 levels."},
        )
    # Not JSON: the depth check does not apply.
    response = client.post("/body", content=deep, headers={"content-type": "text/plain"})
    assert response.json() == {"size": len(deep)}


def test_msgspec_recursion_guard_is_a_4xx_without_a_configured_depth() -> None:
    client = TestClient(make_app())
    deep = b"[" * 100_000 + b"]" * 100_000
    assert client.post("/json", content=deep, headers=JSON).status_code == 400
    response = client.post("/model", content=b'{"a":' + deep + b"}", headers=JSON)
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"


def test_form_limits_come_from_limits_unless_form_limits_is_given() -> None:
    fields = {f"f{i}": "v" for i in range(3)}
    client = TestClient(make_app(Limits(form=FormLimits(max_fields=2))))
    response = client.post("/form", data=fields)
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "Too many fields. Maximum number of fields is 2."},
    )
    app = make_app(Limits(form=FormLimits(max_fields=2)), form_limits=FormLimits(max_fields=5))
    assert TestClient(app).post("/form", data=fields).json() == {"fields": 3}


def test_helpers_directly() -> None:
    check_query_param_count(b"a&b", None)
    check_query_param_count(b"a&b&c", 3)
    with pytest.raises(BaseHTTPException):
        check_query_param_count(b"a&b&c&d", 3)
    check_json_depth(b"[[[", None)
    check_json_depth(b'["\\"[[[[", 1]', 1)
    with pytest.raises(BaseHTTPException):
        check_json_depth(b"[[1]]", 1)
