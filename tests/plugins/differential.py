"""Differential tests of FastAPI plugins: each scenario's app is written once (a ``scenario_*``
function in ``scenarios_<plugin>.py``) and run on FastAPI and on FasterAPI, each side in a
process of its own (``plugin_side.py``), and the two records must be equal.

Both sides run once per test session, at the same time, each in one process that runs every
scenario of every ``scenarios_*.py`` module (two processes in all, not two per scenario). A scenario that does not pass yet is named in the test module's
``KNOWN_GAPS`` with the reason, which marks it ``xfail(strict=True)``: it fails the run when it
starts passing, so that the entry is removed.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from plugin_side import scenario_names

HERE = Path(__file__).resolve().parent
SIDES = ("fastapi", "fasterapi")
TIMEOUT = 110  # within pytest-timeout's 120 s (pytest.ini), to report which side hung


def scenario_params(module: str, known_gaps: dict[str, str]) -> list[Any]:
    """``pytest.param`` per scenario; the ones in ``known_gaps`` marked strict xfail."""
    names = scenario_names(module)
    unknown = set(known_gaps) - set(names)
    assert not unknown, f"KNOWN_GAPS names scenarios {module} lacks: {sorted(unknown)}"
    return [
        pytest.param(
            name,
            id=name,
            marks=[pytest.mark.xfail(strict=True, reason=known_gaps[name])]
            if name in known_gaps
            else [],
        )
        for name in names
    ]


#: Every module of scenarios in this folder.
MODULES = tuple(sorted(path.stem for path in HERE.glob("scenarios_*.py")))


@functools.cache
def records() -> dict[str, dict[str, Any]]:
    """``{side: {module: {scenario: answers}}}``: both sides, run in parallel."""
    processes = {
        side: subprocess.Popen(
            [sys.executable, str(HERE / "plugin_side.py"), side, *MODULES],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=HERE,
            # One seed for both sides: what a plugin derives from hash() (fastapi-cache2's
            # ETags) is then equal exactly when its input is.
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        for side in SIDES
    }
    found = {}
    for side, process in processes.items():
        out, err = process.communicate(timeout=TIMEOUT)
        assert process.returncode == 0, f"the {side} side crashed:\n{err}"
        record = json.loads(out.splitlines()[-1])
        expected_framework = "fastapi.applications" if side == "fastapi" else "FasterAPI"
        assert record["framework"].startswith(expected_framework), (side, record["framework"])
        found[side] = record["answers"]
    return found


def compare(module: str, scenario: str) -> None:
    """Assert that ``scenario`` gives the same answers on FastAPI and on FasterAPI (and that it
    works on FastAPI: a scenario broken on both sides proves nothing)."""
    both = records()
    theirs, ours = both["fastapi"][module][scenario], both["fasterapi"][module][scenario]
    assert "raised" not in theirs, f"the scenario fails on FastAPI: {theirs['raised']}"
    assert ours == theirs
