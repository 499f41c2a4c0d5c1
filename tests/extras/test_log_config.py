"""configure_structlog output formats and AccessLogMiddleware events through a Faster app."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

import pytest
import structlog

from fasterapi_core.testclient import TestClient
from fasterapi_core.types import Receive, Scope, Send
from fasterapi_extras.log_config import (
    AccessLogMiddleware,
    configure_structlog,
    escape_control_characters,
)
from fasterapi_routing import Faster


@pytest.fixture(autouse=True)
def reset_structlog() -> Iterator[None]:
    yield
    structlog.reset_defaults()
    structlog.contextvars.clear_contextvars()


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_json_output_with_contextvars_and_level(capsys: pytest.CaptureFixture[str]) -> None:
    configure_structlog(json_format=True, log_level="WARNING")
    configure_structlog(json_format=True, log_level="WARNING")  # idempotent
    log = structlog.get_logger()
    structlog.contextvars.bind_contextvars(request_id="abc")
    log.info("hidden")
    log.warning("shown", user="u")
    [event] = json_lines(capsys.readouterr().out)
    assert {k: event[k] for k in ("event", "level", "request_id", "user")} == {
        "event": "shown",
        "level": "warning",
        "request_id": "abc",
        "user": "u",
    }
    assert "timestamp" in event


def test_console_output_escapes_control_characters(capsys: pytest.CaptureFixture[str]) -> None:
    configure_structlog()
    structlog.get_logger().info("evil\r\nFAKE LINE", value="a\x1b[31mb")
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert "evil\\r\\nFAKE LINE" in out
    assert "a\\x1b[31mb" in out
    assert "[info     ]" in out


def test_bad_level() -> None:
    with pytest.raises(ValueError, match="Unknown log level"):
        configure_structlog(log_level="LOUD")


def test_escape_helper() -> None:
    assert escape_control_characters("plain") == "plain"
    assert escape_control_characters("a\tb\x00c\u2028") == "a\\tb\\x00c\\u2028"


class PutRequestId:
    """Stands in for RequestIDMiddleware: puts an id into scope["state"]."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope.setdefault("state", {})["request_id"] = "rid-1"
        await self.app(scope, receive, send)


def build_app() -> Faster:
    app = Faster()

    @app.get("/items/{item_id}")
    def item(item_id: int) -> dict[str, int]:
        structlog.get_logger().info("inside", item_id=item_id)
        return {"item_id": item_id}

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("boom")

    return app


def test_access_log_event_fields(capsys: pytest.CaptureFixture[str]) -> None:
    configure_structlog(json_format=True)
    app = build_app()
    app.add_middleware(AccessLogMiddleware)
    app.add_middleware(PutRequestId)  # outermost: the id exists before the access log runs
    client = TestClient(app)
    capsys.readouterr()
    assert client.get("/items/5?x=1").status_code == 200
    inside, access = json_lines(capsys.readouterr().out)
    assert inside["event"] == "inside"
    assert (inside["request_id"], inside["path"], inside["method"]) == ("rid-1", "/items/5", "GET")
    assert {k: access[k] for k in ("event", "method", "path", "query", "status", "request_id")} == {
        "event": "request",
        "method": "GET",
        "path": "/items/5",
        "query": "x=1",
        "status": 200,
        "request_id": "rid-1",
    }
    assert isinstance(access["duration_ms"], float) and access["duration_ms"] >= 0
    assert structlog.contextvars.get_contextvars() == {}


def test_access_log_for_404_500_and_injection(capsys: pytest.CaptureFixture[str]) -> None:
    configure_structlog()
    app = build_app()
    app.add_middleware(AccessLogMiddleware)
    client = TestClient(app, raise_server_exceptions=False)
    capsys.readouterr()
    assert client.get("/missing%0d%0aFAKE").status_code == 404
    assert client.get("/boom").status_code == 500
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if "request" in line]
    assert len(lines) == 2
    assert "path=/missing\\r\\nFAKE" in lines[0] and "status=404" in lines[0]
    assert "path=/boom" in lines[1] and "status=500" in lines[1]


def test_missing_structlog_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "structlog", None)
    with pytest.raises(ImportError, match=r'pip install "fasterapi-extras\[structlog\]"'):
        configure_structlog()
