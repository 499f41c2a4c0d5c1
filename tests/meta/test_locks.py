"""The environments install exactly what locks/ pins, and every hatch environment is locked.

A lock that changed after the environment was created (``hatch run lock:refresh``) fails here
with the packages that differ: ``hatch env prune`` then reinstalls them.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import tomllib
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
LOCKS = ROOT / "locks"
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")
LOCKED_ENVS = {
    "default": "default",
    "hatch-test": "test",
    "lint": "lint",
    "docs": "docs",
    "bench": "bench",
    "fastapi-suite": "fastapi-suite",
    "plugin-suites": "plugin-suites",
    "autobahn": "autobahn",
}


def pins(lock: Path) -> dict[str, str]:
    """``{name: version}`` of the lock's entries whose marker holds on this interpreter."""
    found = {}
    for line in lock.read_text().splitlines():
        match = PIN.match(line)
        if match is None:
            continue
        name, version, marker = match.groups()
        if marker is None or Marker(marker).evaluate():
            found[canonicalize_name(name)] = version
    return found


def test_the_running_environment_matches_its_lock() -> None:
    lock = Path(os.environ.get("UV_CONSTRAINT") or LOCKS / "test.txt")
    expected = pins(lock)
    assert len(expected) > 50, lock
    differ = {}
    for name, version in expected.items():
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            installed = "not installed"
        if installed != version:
            differ[name] = f"{installed} (lock: {version})"
    assert differ == {}, f"environment differs from {lock.name}; run `hatch env prune`"


def test_the_lock_parser_reads_markers() -> None:
    expected = pins(LOCKS / "test.txt")
    assert "colorama" not in expected or os.name == "nt"  # `; sys_platform == 'win32'`
    assert expected[canonicalize_name("msgspec")] == importlib.metadata.version("msgspec")


@pytest.mark.parametrize(("env", "stem"), sorted(LOCKED_ENVS.items()))
def test_every_environment_installs_under_its_lock(env: str, stem: str) -> None:
    config = tomllib.loads((ROOT / "hatch.toml").read_text())["envs"][env]
    assert config["installer"] == "uv"
    assert config["env-vars"] == {
        "UV_CONSTRAINT": f"{{root}}/locks/{stem}.txt",
        "UV_BUILD_CONSTRAINT": "{root}/locks/build.txt",
    }
    assert (LOCKS / f"{stem}.txt").is_file()
    assert len(pins(LOCKS / f"{stem}.txt")) > 20


def test_ci_installs_the_locked_tools() -> None:
    script = (ROOT / ".ci" / "run").read_text()
    assert "locks/ci.txt" in script
    tools = pins(LOCKS / "ci.txt")
    assert {"hatch", "uv"} <= set(tools)
