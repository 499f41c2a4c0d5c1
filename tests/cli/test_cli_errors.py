"""Errors in the application's code at ``fasterapi run``/``dev`` start-up read as Python shows
them for the user's own code: file, line, source line, message; no frames of importlib, the
CLI or FasterAPI. A missing module or attribute stays a one-line message. Exit status 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ENV = dict(os.environ, PYTHON_COLORS="0", NO_COLOR="1")
INTERNALS = ("importlib", "_bootstrap", "FasterAPI/", "cli.py", "fasterapi_", "Error: Error")


def fasterapi(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """``fasterapi ARGS`` in ``cwd``: only for applications that fail to import."""
    return subprocess.run(
        [sys.executable, "-m", "FasterAPI.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env=ENV,
    )


def python_reports(script: Path) -> str:
    """What ``python script.py`` writes to stderr: Python's own report of the error."""
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=script.parent,
        capture_output=True,
        text=True,
        timeout=60,
        env=ENV,
    )
    assert result.returncode == 1
    return result.stderr


@pytest.mark.parametrize("command", ["run", "dev"])
def test_a_syntax_error_reads_as_python_shows_it(tmp_path: Path, command: str) -> None:
    app = tmp_path / "broken_syntax.py"
    app.write_text("from FasterAPI import Faster\n\napp = Faster(\n    title='notes',\n")
    result = fasterapi([command, str(app)], tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    expected = python_reports(app)
    assert expected.startswith(f'  File "{app}", line 3\n    app = Faster(\n')
    assert expected.endswith("SyntaxError: '(' was never closed\n")
    assert result.stderr == "Error: importing 'broken_syntax' failed:\n" + expected
    for internal in INTERNALS:
        assert internal not in result.stderr


def test_an_exception_at_import_shows_the_users_frames_only(tmp_path: Path) -> None:
    (tmp_path / "settings.py").write_text(
        "import os\n\n\ndef load():\n    values = {}\n    return values['DATABASE_URL']\n"
    )
    app = tmp_path / "main.py"
    app.write_text(
        "from FasterAPI import Faster\nimport settings\n\nDATABASE = settings.load()\n"
        "app = Faster()\n"
    )
    result = fasterapi(["run", "main.py:app"], tmp_path)
    assert result.returncode == 2
    expected = python_reports(app)
    assert result.stderr == "Error: importing 'main' failed:\n" + expected
    lines = result.stderr.splitlines()
    assert lines[:4] == [
        "Error: importing 'main' failed:",
        "Traceback (most recent call last):",
        f'  File "{app}", line 4, in <module>',
        "    DATABASE = settings.load()",
    ]
    assert f'  File "{tmp_path / "settings.py"}", line 6, in load' in lines
    assert "    return values['DATABASE_URL']" in lines
    assert lines[-1] == "KeyError: 'DATABASE_URL'"
    for internal in INTERNALS:
        assert internal not in result.stderr


def test_frames_inside_fasterapi_are_left_out(tmp_path: Path) -> None:
    app = tmp_path / "routes.py"
    app.write_text('from FasterAPI import APIRouter, Faster\n\nrouter = APIRouter(prefix="api")\n')
    result = fasterapi(["run", str(app)], tmp_path)
    assert result.returncode == 2
    # Python 3.11 underlines the call in the user's frame (the innermost frames were FasterAPI's).
    carets = " " * 13 + "^" * 23 + "\n" if sys.version_info < (3, 13) else ""
    assert result.stderr == (
        "Error: importing 'routes' failed:\n"
        "Traceback (most recent call last):\n"
        f'  File "{app}", line 3, in <module>\n'
        '    router = APIRouter(prefix="api")\n'
        f"{carets}"
        "ValueError: a router prefix must start with '/' and not end with '/'\n"
    )


def test_a_failed_import_inside_the_application_shows_where(tmp_path: Path) -> None:
    app = tmp_path / "uses_missing.py"
    app.write_text("import os\nimport not_installed_package_xyz\n\napp = None\n")
    result = fasterapi(["run", str(app)], tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "Error: importing 'uses_missing' failed:\n"
        "Traceback (most recent call last):\n"
        f'  File "{app}", line 2, in <module>\n'
        "    import not_installed_package_xyz\n"
        "ModuleNotFoundError: No module named 'not_installed_package_xyz'\n"
    )


def test_chained_exceptions_keep_both_parts(tmp_path: Path) -> None:
    app = tmp_path / "chained.py"
    app.write_text(
        "config = {}\ntry:\n    port = config['port']\nexcept KeyError as exc:\n"
        "    raise RuntimeError('no port configured') from exc\n"
    )
    result = fasterapi(["run", str(app)], tmp_path)
    assert result.returncode == 2
    expected = python_reports(app)
    assert "The above exception was the direct cause of the following exception:" in expected
    assert result.stderr == "Error: importing 'chained' failed:\n" + expected


def test_a_missing_module_or_attribute_stays_one_line(tmp_path: Path) -> None:
    missing = fasterapi(["run", "no_such_app_module_xyz:app"], tmp_path)
    assert missing.returncode == 2
    assert missing.stderr == (
        "Error: could not import module 'no_such_app_module_xyz': "
        "No module named 'no_such_app_module_xyz'\n"
    )
    (tmp_path / "service.py").write_text("application = None\n")
    no_attribute = fasterapi(["run", "service:app"], tmp_path)
    assert no_attribute.returncode == 2
    assert no_attribute.stderr == "Error: module 'service' has no attribute 'app'\n"
    no_file = fasterapi(["run", "missing_dir/main.py"], tmp_path)
    assert no_file.returncode == 2
    assert no_file.stderr == "Error: file not found: missing_dir/main.py\n"
