"""One concept per module: no source module of the packages grows past MAX_LINES lines.

A module over the limit is split by concept (applications.py's middleware stack went to
app_middleware.py, requests.py's body checks to request_body.py...). ALLOWANCES lists the few
modules allowed over it for now, each with its ceiling and why: an allowance can only shrink
(the test fails when a listed module is back under the limit, so that the entry is removed).
"""

from __future__ import annotations

from pathlib import Path

MAX_LINES = 400
PACKAGES = Path(__file__).resolve().parents[2] / "packages"

ALLOWANCES: dict[str, tuple[int, str]] = {}
"""Module path under packages/ -> (line ceiling, why it is allowed over MAX_LINES)."""


def _modules() -> dict[str, int]:
    return {
        path.relative_to(PACKAGES).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in sorted(PACKAGES.glob("*/src/**/*.py"))
    }


MODULES = _modules()


def test_the_packages_are_found() -> None:
    assert len(MODULES) > 100
    assert "fasterapi-routing/src/fasterapi_routing/applications.py" in MODULES


def test_no_module_is_over_the_limit() -> None:
    over = {
        name: lines
        for name, lines in MODULES.items()
        if lines > ALLOWANCES.get(name, (MAX_LINES, ""))[0]
    }
    assert over == {}, f"split these modules by concept (limit {MAX_LINES} lines): {over}"


def test_every_allowance_is_still_needed() -> None:
    for name in sorted(ALLOWANCES):
        assert name in MODULES, f"{name} no longer exists: remove its allowance"
        assert MODULES[name] > MAX_LINES, f"{name} within {MAX_LINES} lines: remove its allowance"
