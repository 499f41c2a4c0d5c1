"""The ``fasterapi`` command: app path handling, clear import errors, and real serving."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from FasterAPI.cli import AppImportError, load_app, main, normalise_app_path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_module_attribute_and_default_attribute() -> None:
    assert normalise_app_path("examples.notes.app:app") == ("examples.notes.app:app", None)
    assert normalise_app_path("examples.notes.app") == ("examples.notes.app:app", None)


def test_file_path_becomes_an_import_string(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "main.py").write_text("app = lambda scope, receive, send: None\n")
    import_string, directory = normalise_app_path(str(package / "main.py") + ":app")
    assert import_string == "pkg.main:app"
    assert directory == str(tmp_path)


def test_load_app_errors_are_clear() -> None:
    with pytest.raises(AppImportError, match="could not import module 'no_such_module_xyz'"):
        load_app("no_such_module_xyz:app")
    with pytest.raises(AppImportError, match="has no attribute 'missing'"):
        load_app("examples.notes.app:missing")
    with pytest.raises(AppImportError, match="not an ASGI application"):
        load_app("examples.notes.app:router.prefix")


def test_main_reports_import_errors_with_exit_code_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "no_such_module_xyz:app"]) == 2
    assert "Error: could not import module 'no_such_module_xyz'" in capsys.readouterr().err


def test_fasterapi_run_serves_the_example_app() -> None:
    port = free_port()
    command = [sys.executable, "-m", "FasterAPI.cli", "run", "examples.notes.app:app"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=dict(os.environ)
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.1)
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}
        created = httpx.post(f"http://127.0.0.1:{port}/notes/", json={"title": "hi"}, timeout=5)
        assert created.status_code == 201
        assert created.json()["title"] == "hi"
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
