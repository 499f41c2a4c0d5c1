"""Snippets run in a fresh Python process, as ``python`` is or with a replaced site-packages.

Used by the ``fastapi`` stand-in tests (tests/stand_in), which change ``sys.meta_path`` and
``sys.modules`` and so cannot run in the test process. Each snippet prints one JSON value on its
last line, which :meth:`Interpreter.run` returns.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

__all__ = ["Interpreter"]

ROOT = Path(__file__).resolve().parents[2]


class Interpreter:
    """Runs snippets in a new Python process; ``site_dir`` replaces site-packages if given."""

    def __init__(self, site_dir: Path | None = None, paths: tuple[Path, ...] = ()) -> None:
        self.site_dir = site_dir
        self.paths = paths

    def command(self, code: str) -> list[str]:
        """The command line running ``code`` (with ``paths`` first on ``sys.path``)."""
        prelude = f"import sys; sys.path[:0] = {[str(p) for p in self.paths]!r}\n"
        if self.site_dir is None:
            return [sys.executable, "-c", prelude + code]
        prelude += f"import site; site.addsitedir({str(self.site_dir)!r})\n"
        return [sys.executable, "-S", "-c", prelude + code]

    def run(self, code: str) -> Any:
        """The JSON value ``code`` printed last; fails the test with stderr if it crashed."""
        done = subprocess.run(
            self.command(code), capture_output=True, text=True, timeout=120, cwd=ROOT, check=False
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.splitlines()[-1])
