"""WebSockets compared with FastAPI 0.165 (Starlette's TestClient): security dependencies
refuse the handshake with their HTTP error (``WebSocketDenialResponse``: FastAPI's
tests/test_security_websockets.py), ``HTTPException`` and ``send_denial_response`` before
accept, and when the test client raises ``WebSocketDisconnect`` after the app closes."""

from types import ModuleType
from typing import Any

import fastapi
import pytest
from fastapi.testclient import TestClient as FastAPIClient
from starlette.testclient import WebSocketDenialResponse as StarletteDenial
from twins import sub

import FasterAPI
from FasterAPI.testclient import TestClient, WebSocketDenialResponse

SECURITY_CASES = [
    ("HTTPBase", {"scheme": "Other"}, "/", {"Authorization": "Other secret"}),
    ("HTTPBasic", {}, "/", {"Authorization": "Basic am9objpzZWNyZXQ="}),
    ("HTTPBearer", {}, "/", {"Authorization": "Bearer secret"}),
    ("HTTPDigest", {}, "/", {"Authorization": "Digest secret"}),
    ("APIKeyQuery", {"name": "key"}, "/?key=secret", {}),
    ("APIKeyHeader", {"name": "key"}, "/", {"key": "secret"}),
    ("APIKeyCookie", {"name": "key"}, "/", {"Cookie": "key=secret"}),
    ("OAuth2", {}, "/", {"Authorization": "Bearer secret"}),
    ("OAuth2PasswordBearer", {"tokenUrl": "/token"}, "/", {"Authorization": "Bearer secret"}),
    (
        "OAuth2AuthorizationCodeBearer",
        {"authorizationUrl": "/authorize", "tokenUrl": "/token"},
        "/",
        {"Authorization": "Bearer secret"},
    ),
    ("OpenIdConnect", {"openIdConnectUrl": "/openid"}, "/", {"Authorization": "Bearer secret"}),
]


def scheme(fw: ModuleType, name: str) -> Any:
    if name == "HTTPBase" and fw is fastapi:  # not exported by fastapi.security
        return sub(fw, "security.http").HTTPBase
    return getattr(sub(fw, "security"), name)


def secured(fw: ModuleType, name: str, options: dict[str, Any], auto_error: bool) -> Any:
    security = scheme(fw, name)(auto_error=auto_error, **options)
    encode = sub(fw, "encoders").jsonable_encoder
    app = fw.FastAPI()

    @app.websocket("/")
    async def endpoint(websocket: fw.WebSocket, credentials=fw.Security(security)):  # type: ignore[name-defined,no-untyped-def]
        await websocket.accept()
        await websocket.send_json(encode(credentials))
        await websocket.close()

    return app


def outcome(client: Any, path: str, headers: dict[str, str]) -> Any:
    """What the client saw: the JSON the endpoint sent, or the refusal."""
    try:
        with client.websocket_connect(path, headers=headers) as websocket:
            return ("accepted", websocket.receive_json())
    except (WebSocketDenialResponse, StarletteDenial) as denial:
        return ("denied", denial.status_code, denial.json(), denial.headers.get("www-authenticate"))


@pytest.mark.parametrize(("name", "options", "path", "headers"), SECURITY_CASES)
@pytest.mark.parametrize(
    ("auto_error", "has_credentials"),
    [(True, True), (True, False), (False, False)],
    ids=["valid-credentials", "missing-required", "missing-optional"],
)
def test_security_on_websockets_as_fastapi(
    name: str,
    options: dict[str, Any],
    path: str,
    headers: dict[str, str],
    auto_error: bool,
    has_credentials: bool,
) -> None:
    path, headers = (path, headers) if has_credentials else ("/", {})
    ours = outcome(TestClient(secured(FasterAPI, name, options, auto_error)), path, headers)
    theirs = outcome(FastAPIClient(secured(fastapi, name, options, auto_error)), path, headers)
    assert ours == theirs
    if auto_error and not has_credentials:  # regression: closed with 1008 instead
        assert ours[:3] == ("denied", 401, {"detail": "Not authenticated"})
        assert ours[3]


def refusals(fw: ModuleType) -> Any:
    responses = sub(fw, "responses")
    app = fw.FastAPI()

    @app.websocket("/deny")
    async def deny(websocket: fw.WebSocket) -> None:  # type: ignore[name-defined]
        denial = responses.JSONResponse({"no": "entry"}, status_code=403, headers={"x-why": "1"})
        await websocket.send_denial_response(denial)

    @app.websocket("/http-error")
    async def http_error(websocket: fw.WebSocket) -> None:  # type: ignore[name-defined]
        raise fw.HTTPException(status_code=418, detail="teapot", headers={"x-tea": "yes"})

    @app.websocket("/http-error-after-receive")
    async def after_receive(websocket: fw.WebSocket) -> None:  # type: ignore[name-defined]
        await websocket.receive()  # the client's websocket.connect
        raise fw.HTTPException(status_code=404)

    def no_entry() -> None:
        raise fw.HTTPException(status_code=403, detail="no entry")

    @app.websocket("/dependency", dependencies=[fw.Depends(no_entry)])
    async def dependency(websocket: fw.WebSocket) -> None:  # type: ignore[name-defined]
        await websocket.accept()  # pragma: no cover

    @app.websocket("/closes")
    async def closes(websocket: fw.WebSocket) -> None:  # type: ignore[name-defined]
        await websocket.accept()
        await websocket.send_text("bye")
        await websocket.close(code=4001, reason="done")

    @app.websocket("/rejects")
    async def rejects(websocket: fw.WebSocket) -> None:  # type: ignore[name-defined]
        await websocket.close(code=4003, reason="not you")

    return app


def handshake(client: Any, path: str) -> Any:
    try:
        with client.websocket_connect(path):
            return "accepted"
    except (WebSocketDenialResponse, StarletteDenial) as denial:
        assert isinstance(denial, FasterAPI.WebSocketDisconnect | fastapi.WebSocketDisconnect)
        return (denial.status_code, dict(denial.headers), denial.content)
    except (FasterAPI.WebSocketDisconnect, fastapi.WebSocketDisconnect) as closed:
        return ("closed", closed.code, closed.reason)


@pytest.fixture(scope="module")
def clients() -> tuple[TestClient, FastAPIClient]:
    return TestClient(refusals(FasterAPI)), FastAPIClient(refusals(fastapi))


@pytest.mark.parametrize(
    "path", ["/deny", "/http-error", "/http-error-after-receive", "/dependency", "/rejects"]
)
def test_handshake_refusals_as_fastapi(clients: Any, path: str) -> None:
    ours, theirs = (handshake(client, path) for client in clients)
    assert ours == theirs
    if path == "/http-error":  # regression: closed with 1008 "teapot" instead
        assert ours[0] == 418
        assert ours[1]["x-tea"] == "yes"
        assert ours[2] == b'{"detail":"teapot"}'


def test_denial_response_is_a_response_and_a_disconnect(clients: Any) -> None:
    with pytest.raises(WebSocketDenialResponse) as info, clients[0].websocket_connect("/deny"):
        pass  # pragma: no cover
    denial = info.value
    assert isinstance(denial, FasterAPI.WebSocketDisconnect)
    assert (denial.status_code, denial.json(), denial.headers["x-why"]) == (
        403,
        {"no": "entry"},
        "1",
    )


def closing(client: Any) -> list[Any]:
    """receive_text raises WebSocketDisconnect on the app's close message, not before."""
    seen: list[Any] = []
    with client.websocket_connect("/closes") as websocket:
        seen.append(websocket.receive_text())
        try:
            websocket.receive_text()
        except (FasterAPI.WebSocketDisconnect, fastapi.WebSocketDisconnect) as closed:
            seen.append((closed.code, closed.reason))
    with client.websocket_connect("/closes") as websocket:
        seen.append(websocket.receive())
        seen.append(websocket.receive())  # the close message itself, not an exception
    return seen


def test_client_raises_disconnect_on_receive_after_close(clients: Any) -> None:
    ours, theirs = (closing(client) for client in clients)
    assert ours == theirs
    assert ours[:2] == ["bye", (4001, "done")]
    assert ours[3] == {"type": "websocket.close", "code": 4001, "reason": "done"}


def test_http_error_after_accept_closes_with_policy_violation() -> None:
    """FastAPI would send an HTTP response on an accepted connection (an ASGI error); the
    connection is closed with 1008 and the error's detail instead."""
    app = FasterAPI.Faster()

    @app.websocket("/late")
    async def late(websocket: FasterAPI.WebSocket) -> None:
        await websocket.accept()
        raise FasterAPI.HTTPException(status_code=403)

    with (
        TestClient(app).websocket_connect("/late") as websocket,
        pytest.raises(FasterAPI.WebSocketDisconnect) as info,
    ):
        websocket.receive_text()
    assert (info.value.code, info.value.reason) == (1008, "Forbidden")


@pytest.mark.anyio
async def test_server_without_the_denial_extension_gets_a_close() -> None:
    app = refusals(FasterAPI)
    sent: list[dict[str, Any]] = []
    messages = [{"type": "websocket.connect"}]

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "websocket.disconnect", "code": 1000}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "websocket",
        "path": "/http-error",
        "raw_path": b"/http-error",
        "root_path": "",
        "scheme": "ws",
        "query_string": b"",
        "headers": [(b"host", b"test")],
        "client": ("127.0.0.1", 1),
        "server": ("test", 80),
        "subprotocols": [],
        "extensions": {},
    }
    await app(scope, receive, send)
    assert sent == [{"type": "websocket.close", "code": 1008, "reason": "teapot"}]


def streamed_denial(fw: ModuleType) -> Any:
    responses = sub(fw, "responses")
    app = fw.FastAPI()

    @app.websocket("/deny-streamed")
    async def deny(websocket: fw.WebSocket) -> None:  # type: ignore[name-defined]
        async def chunks() -> Any:
            yield b"not "
            yield b"allowed"

        denial = responses.StreamingResponse(chunks(), status_code=451, media_type="text/plain")
        await websocket.send_denial_response(denial)

    return app


def test_streamed_denial_response_as_fastapi() -> None:
    """Regression: a StreamingResponse answering a handshake waited for an HTTP disconnect."""
    ours = handshake(TestClient(streamed_denial(FasterAPI)), "/deny-streamed")
    theirs = handshake(FastAPIClient(streamed_denial(fastapi)), "/deny-streamed")
    assert ours == theirs
    assert ours[0] == 451
    assert ours[2] == b"not allowed"


def echo_forever(fw: ModuleType) -> Any:
    """docs_src/websockets_/tutorial001: the endpoint never catches the disconnect."""
    app = fw.FastAPI()

    @app.websocket("/ws")
    async def websocket_endpoint(websocket: fw.WebSocket) -> None:  # type: ignore[name-defined]
        await websocket.accept()
        while True:
            data = await websocket.receive_text()
            await websocket.send_text(f"Message text was: {data}")

    return app


def leaving(client: Any) -> Any:
    try:
        with client.websocket_connect("/ws") as websocket:
            websocket.send_text("one")
            echoed = websocket.receive_text()
    except (FasterAPI.WebSocketDisconnect, fastapi.WebSocketDisconnect) as closed:
        return echoed, type(closed).__name__, closed.code
    return echoed, None, None  # pragma: no cover


def test_uncaught_disconnect_comes_out_of_the_with_block() -> None:
    """Regression: the client's own close ended the endpoint's receive_text with a
    WebSocketDisconnect it did not catch; Starlette's session re-raises it on leaving."""
    ours = leaving(TestClient(echo_forever(FasterAPI)))
    theirs = leaving(FastAPIClient(echo_forever(fastapi)))
    assert ours == theirs == ("Message text was: one", "WebSocketDisconnect", 1000)
