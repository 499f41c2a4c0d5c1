"""Swagger UI and ReDoc really render the example app's operations in headless Chromium.

The page loads its assets from the app itself (the docs-assets extra), so no network is used.
Skips only when no Chromium binary is installed. Set FASTERAPI_DOCS_SCREENSHOT=/path.png to also
save a screenshot of the Swagger UI page.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")


def _chromium(tmp_path: Path, *args: str) -> str:
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--virtual-time-budget=8000",
        *args,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_swagger_ui_renders_operations(notes_server: str, tmp_path: Path) -> None:
    dom = _chromium(tmp_path, "--dump-dom", f"{notes_server}/docs")
    assert 'class="swagger-ui' in dom
    assert dom.count('class="opblock opblock-') >= 6
    for path in ("/notes/", "/notes/{note_id}", "/health"):
        assert f'data-path="{path}"' in dom, path
    for method in ("get", "post", "put", "delete"):
        assert f"opblock-{method}" in dom, method
    assert "Notes" in dom
    screenshot = os.environ.get("FASTERAPI_DOCS_SCREENSHOT")
    if screenshot:
        _chromium(
            tmp_path, f"--screenshot={screenshot}", "--window-size=1280,1600", f"{notes_server}/docs"
        )
        assert Path(screenshot).stat().st_size > 10_000


def test_redoc_renders_operations(notes_server: str, tmp_path: Path) -> None:
    dom = _chromium(tmp_path, "--dump-dom", f"{notes_server}/redoc")
    assert "List Notes" in dom
    assert "Create a note." in dom
    assert "/notes/{note_id}" in dom
