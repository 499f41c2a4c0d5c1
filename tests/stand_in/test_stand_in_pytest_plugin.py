"""``pytest -p FasterAPI.as_fastapi_pytest``: a test suite written for FastAPI runs on FasterAPI."""

from __future__ import annotations

import subprocess
from pathlib import Path

from interpreters import Interpreter

SUITE = """
import FasterAPI
from fastapi import FastAPI
from fastapi.testclient import TestClient

app = FastAPI()


@app.get("/")
def root():
    return {"ok": True}


def test_root():
    assert TestClient(app).get("/").json() == {"ok": True}


def test_runs_on_fasterapi():
    assert issubclass(FastAPI, FasterAPI.Faster)
"""


def _pytest(interpreter: Interpreter, folder: Path, *options: str) -> str:
    (folder / "test_written_for_fastapi.py").write_text(SUITE)
    arguments = ["-p", "FasterAPI.as_fastapi_pytest", "-p", "no:cacheprovider", *options]
    command = interpreter.command(f"import pytest; raise SystemExit(pytest.main({arguments!r}))")
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=folder)
    return done.stdout


def test_plugin_serves_fastapi_where_it_is_not_installed(
    python_without_fastapi: Interpreter, tmp_path: Path
) -> None:
    out = _pytest(python_without_fastapi, tmp_path)
    assert "FasterAPI stand-in serves: fastapi, starlette" in out
    assert "2 passed" in out


def test_plugin_replaces_an_installed_fastapi_when_asked(
    python: Interpreter, tmp_path: Path
) -> None:
    out = _pytest(python, tmp_path, "--as-fastapi-replace-installed")
    assert "FasterAPI stand-in serves: fastapi\n" in out  # the real Starlette is kept
    assert "2 passed" in out


def test_plugin_keeps_an_installed_fastapi_by_default(python: Interpreter, tmp_path: Path) -> None:
    out = _pytest(python, tmp_path)
    assert "FasterAPI stand-in serves: nothing (both are installed)" in out
    assert "1 failed, 1 passed" in out
    assert "FAILED test_written_for_fastapi.py::test_runs_on_fasterapi" in out


def test_plugin_documents_its_option(python: Interpreter, tmp_path: Path) -> None:
    assert "--as-fastapi-replace-installed" in _pytest(python, tmp_path, "--help")
