"""``fasterapi run/dev --server``: which server ``auto`` picks, clear refusals, and each server
really serving with the command's options (root path, workers, reload)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cli_process import start, stop

from FasterAPI import Faster
from FasterAPI.cli import choose_server, main

ROOT = Path(__file__).resolve().parents[2]
SERVING_APP = str(ROOT / "tests" / "serving" / "serving_app.py") + ":app"


async def plain_asgi(scope: object, receive: object, send: object) -> None:
    """Not a Faster application: RSGI is not available for it."""


def test_auto_picks_the_fasterapi_server_for_any_asgi_app() -> None:
    assert choose_server("auto", Faster()) == "fasterapi"
    assert choose_server("auto", plain_asgi) == "fasterapi"


def test_auto_with_reload_keeps_the_fasterapi_server() -> None:
    assert choose_server("auto", Faster(), reload=True) == "fasterapi"
    assert choose_server("auto", plain_asgi, reload=True) == "fasterapi"


def test_auto_without_the_fasterapi_server_falls_back_to_granian_rsgi_then_uvicorn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from FasterAPI import cli

    monkeypatch.setattr(cli, "_fasterapi_server_installed", lambda: False)
    assert choose_server("auto", Faster(), reload=True) == "granian"
    assert choose_server("auto", plain_asgi, reload=True) == "uvicorn"
    assert choose_server("auto", Faster(), proxy_headers=True) == "uvicorn"


def test_auto_with_proxy_headers_keeps_the_fasterapi_server() -> None:
    assert choose_server("auto", Faster(), proxy_headers=True) == "fasterapi"
    assert choose_server("auto", plain_asgi, proxy_headers=True) == "fasterapi"
    assert choose_server("auto", Faster(), proxy_headers=True, reload=True) == "fasterapi"


def test_explicit_choices() -> None:
    assert choose_server("fasterapi", Faster()) == "fasterapi"
    assert choose_server("fasterapi", plain_asgi) == "fasterapi"
    assert choose_server("fasterapi", Faster(), proxy_headers=True) == "fasterapi"
    assert choose_server("fasterapi", Faster(), reload=True) == "fasterapi"
    assert choose_server("uvicorn", Faster()) == "uvicorn"
    assert choose_server("granian-asgi", plain_asgi) == "granian-asgi"
    assert choose_server("granian", Faster()) == "granian"


def test_refusals_are_clear() -> None:
    with pytest.raises(ValueError, match="needs a Faster application; use --server granian-asgi"):
        choose_server("granian", plain_asgi)
    with pytest.raises(
        ValueError, match="--proxy-headers is supported with --server uvicorn or fasterapi"
    ):
        choose_server("granian-asgi", Faster(), proxy_headers=True)


def test_timeout_keep_alive_is_refused_for_granian(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    module = tmp_path / "keep_alive_app.py"
    module.write_text("async def app(scope, receive, send):\n    pass\n")
    args = ["run", str(module) + ":app", "--server", "granian-asgi", "--timeout-keep-alive", "2"]
    assert main(args) == 2
    assert "--timeout-keep-alive applies to --server uvicorn or fasterapi only" in (
        capsys.readouterr().err
    )


def test_main_refuses_rsgi_for_a_non_faster_app(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    module = tmp_path / "plain_asgi_app.py"
    module.write_text("async def app(scope, receive, send):\n    pass\n")
    assert main(["run", str(module) + ":app", "--server", "granian"]) == 2
    assert "needs a Faster application" in capsys.readouterr().err


@pytest.fixture(params=["uvicorn", "granian-asgi", "granian", "fasterapi"])
def server(request: pytest.FixtureRequest) -> str:
    flag: str = request.param
    return flag


@pytest.fixture
def rooted(server: str, tmp_path: Path) -> Iterator[int]:
    args = ["run", SERVING_APP, "--server", server, "--root-path", "/api", "--workers", "2"]
    process, port = start(args, ROOT, tmp_path / "server.log")
    try:
        yield port
    finally:
        stop(process)


def test_root_path_and_workers_are_honoured(rooted: int) -> None:
    body = httpx.get(f"http://127.0.0.1:{rooted}/echo/x", timeout=10).json()
    assert body["root_path"] == "/api"
    assert body["name"] == "x"
    docs = httpx.get(f"http://127.0.0.1:{rooted}/docs", timeout=10)
    assert "/api/openapi.json" in docs.text


@pytest.mark.parametrize("flag", ["uvicorn", "granian", "auto"])
def test_dev_reloads_on_change(flag: str, tmp_path: Path) -> None:
    module = tmp_path / "reload_target.py"
    source = (
        "from FasterAPI import Faster\napp = Faster()\n\n"
        "@app.get('/health')\nasync def health():\n    return {{'version': {}}}\n"
    )
    module.write_text(source.format(1))
    process, port = start(
        ["dev", "reload_target:app", "--server", flag], tmp_path, tmp_path / "dev.log"
    )

    def wait_for_version(version: int) -> None:
        deadline = time.monotonic() + 30
        while True:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/health").json()
                if answer == {"version": version}:
                    return
            except httpx.TransportError:
                pass  # a reloading server briefly refuses connections
            assert time.monotonic() < deadline, (tmp_path / "dev.log").read_text()
            time.sleep(0.1)

    try:
        wait_for_version(1)
        module.write_text(source.format(2))
        wait_for_version(2)
    finally:
        stop(process)


def test_run_with_the_fasterapi_server_and_keep_alive_option(tmp_path: Path) -> None:
    args = ["run", SERVING_APP, "--server", "fasterapi", "--timeout-keep-alive", "1"]
    process, port = start(args, ROOT, tmp_path / "server.log")
    try:
        response = httpx.get(f"http://127.0.0.1:{port}/health", timeout=10)
        assert (response.status_code, response.json()) == (200, {"status": "ok"})
        assert response.headers["server"] == "fasterapi"
        import socket

        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
            data = b""
            while chunk := sock.recv(65536):  # the 1 s keep-alive timeout ends the loop
                data += chunk
        assert data.startswith(b"HTTP/1.1 200 OK\r\n")
        assert data.endswith(b'{"status":"ok"}')
    finally:
        stop(process)
    assert process.returncode == 0
