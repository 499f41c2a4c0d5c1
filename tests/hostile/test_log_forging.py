"""Request data written to logs cannot forge log lines: CR, LF and other control characters
are escaped by the error logger and by the structlog access log."""

from __future__ import annotations

import json
import logging

import pytest
import structlog

from FasterAPI import Faster, TestClient, WebSocket
from fasterapi_extras.log_config import AccessLogMiddleware, configure_structlog
from fasterapi_routing.errors import _safe

FORGED = "/boom/x\r\n2026-01-01 INFO fasterapi.error Login OK user=admin\x1b[2J\u2028\u202e"
ENCODED = "/boom/x%0D%0A2026-01-01%20INFO%20fasterapi.error%20Login%20OK%20user=admin%1B[2J%E2%80%A8%E2%80%AE"


def make_app() -> Faster:
    app = Faster()

    @app.get("/boom/{rest:path}")
    async def boom(rest: str) -> None:
        raise RuntimeError("boom")

    @app.websocket("/wsboom/{rest:path}")
    async def wsboom(websocket: WebSocket, rest: str) -> None:
        raise RuntimeError("boom")

    return app


def one_line(text: str) -> None:
    assert "\r" not in text and "\n" not in text
    assert "\x1b" not in text and "\u2028" not in text and "\u202e" not in text


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("/ok/path", "/ok/path"),
        ("/a\r\nb", "/a\\r\\nb"),
        ("/a\x00b\x1b[31m", "/a\\x00b\\x1b[31m"),
        ("/\u2028\u2029", "/\\u2028\\u2029"),
        ("/\u202egnp.exe", "/\\u202egnp.exe"),
        ("/café", "/café"),
    ],
)
def test_safe_escapes_control_characters(raw: str, escaped: str) -> None:
    assert _safe(raw) == escaped
    one_line(_safe(raw))


def test_server_error_log_escapes_the_request_path(caplog: pytest.LogCaptureFixture) -> None:
    client = TestClient(make_app(), raise_server_exceptions=False)
    with caplog.at_level(logging.ERROR, logger="fasterapi.error"):
        response = client.get(ENCODED)
    assert response.status_code == 500
    [record] = [r for r in caplog.records if r.name == "fasterapi.error"]
    message = record.getMessage()
    one_line(message)
    assert message.startswith("Exception in ASGI application (GET /boom/x\\r\\n2026-01-01 INFO")
    assert "\\x1b[2J\\u2028\\u202e)" in message


def test_websocket_error_logs_no_path(caplog: pytest.LogCaptureFixture) -> None:
    """A WebSocket's error propagates untouched, as in Starlette (issue #18): the server logs it
    with its traceback (no request path), the application layer logs nothing to forge."""
    client = TestClient(make_app(), raise_server_exceptions=False)
    with (
        caplog.at_level(logging.DEBUG),
        pytest.raises(RuntimeError, match="boom"),
        client.websocket_connect("/wsboom/a%0D%0Afake"),
    ):
        pass  # pragma: no cover
    assert [r for r in caplog.records if "fake" in r.getMessage()] == []


def test_structlog_access_log_escapes_path_query_and_request_id(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_structlog(json_format=True)
    try:
        app = make_app()

        @app.get("/hello/{rest:path}")
        async def hello(rest: str) -> dict[str, str]:
            structlog.get_logger().info("handler", rest=rest)
            return {"ok": rest}

        app.add_middleware(AccessLogMiddleware)
        client = TestClient(app)
        capsys.readouterr()
        response = client.get("/hello/a%0D%0Ab?q=%0D%0Ainjected%1B")
        assert response.status_code == 200
        lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    finally:
        structlog.reset_defaults()
    events = [json.loads(line) for line in lines]
    assert [e["event"] for e in events] == ["handler", "request"]
    for event in events:
        assert event["path"] == "/hello/a\\r\\nb"
        one_line(event["path"])
    assert events[0]["rest"] == "a\\r\\nb"
    assert events[1]["query"] == "q=%0D%0Ainjected%1B"


def test_structlog_console_renderer_is_one_line_per_event(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_structlog(json_format=False)
    try:
        structlog.get_logger().info("login", user="admin\r\nINFO forged=1", note="\x1b[31m")
        out = capsys.readouterr().out
    finally:
        structlog.reset_defaults()
    assert out.count("\n") == 1
    assert "user='admin\\\\r\\\\nINFO forged=1'" in out  # escaped, then repr()-quoted
    assert "\x1b" not in out
