"""Real programs the tests start (redis-server, chromium, nginx, PostgreSQL's initdb and postgres):
found, or a skip that says how to get it.

``require("redis-server")`` returns the program's path. When it is missing the test is skipped
with a reason that names the program and the Debian package that installs it, and the session
summary ends with one line per missing program. With ``FASTERAPI_CI=1`` (set by ``.ci/run``) a
missing program fails the test instead: CI always runs every test.
"""

from __future__ import annotations

import glob
import os
import shutil
from collections import Counter
from collections.abc import Iterable

import pytest

__all__ = ["MISSING_PREFIX", "PROGRAMS", "missing_summary", "require", "strict"]

#: program -> (other names it goes by, the Debian package that installs it).
PROGRAMS: dict[str, tuple[tuple[str, ...], str]] = {
    "redis-server": ((), "redis-server"),
    "chromium": (("chromium-browser",), "chromium"),
    "nginx": ((), "nginx"),
    "initdb": ((), "postgresql"),
    "postgres": ((), "postgresql"),
}

#: Where Debian installs programs that are not on PATH (PostgreSQL's server binaries).
_OFF_PATH = ("/usr/lib/postgresql/*/bin", "/usr/sbin")

MISSING_PREFIX = "missing program: "


def strict() -> bool:
    """True when a missing program must fail the test (``FASTERAPI_CI=1``)."""
    return os.environ.get("FASTERAPI_CI", "") not in ("", "0")


def _reason(program: str) -> str:
    package = PROGRAMS[program][1]
    return f"{MISSING_PREFIX}{program} is not on PATH (apt-get install {package})"


def find(program: str) -> str | None:
    """The path of ``program`` (or of one of its other names), None when not installed."""
    others, _ = PROGRAMS[program]
    for name in (program, *others):
        path = shutil.which(name)
        if path is not None:
            return path
    for pattern in _OFF_PATH:  # the newest PostgreSQL first
        for folder in sorted(glob.glob(pattern), reverse=True):
            candidate = os.path.join(folder, program)
            if os.access(candidate, os.X_OK):
                return candidate
    return None


def require(program: str) -> str:
    """The path of ``program``; skip the test (fail it under ``FASTERAPI_CI=1``) when missing."""
    path = find(program)
    if path is not None:
        return path
    if strict():
        pytest.fail(_reason(program) + "; FASTERAPI_CI=1 makes this an error", pytrace=False)
    pytest.skip(_reason(program))


def missing_summary(skip_reasons: Iterable[str]) -> list[str]:
    """One line per distinct skip reason with its count; a missing program's line says how to
    install it and that ``FASTERAPI_CI=1`` makes these skips failures."""
    counts: Counter[str] = Counter()
    for reason in skip_reasons:
        counts[reason.removeprefix("Skipped: ")] += 1
    lines = []
    for reason, count in sorted(counts.items()):
        line = f"{count} test{'s' if count > 1 else ''} skipped: {reason}"
        if reason.startswith(MISSING_PREFIX):
            line = f"{count} test{'s' if count > 1 else ''} skipped: "
            line += reason.removeprefix(MISSING_PREFIX)
            line += "; FASTERAPI_CI=1 turns these skips into failures"
        lines.append(line)
    return lines
