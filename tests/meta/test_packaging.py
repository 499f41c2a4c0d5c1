"""Every distribution shares one version and pins its siblings to exactly that version."""

from __future__ import annotations

import importlib
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = sorted((ROOT / "packages").glob("*/pyproject.toml"))
DISTRIBUTIONS = {
    "fasterapi-core": "fasterapi_core",
    "fasterapi-routing": "fasterapi_routing",
    "fasterapi-security": "fasterapi_security",
    "fasterapi-middleware": "fasterapi_middleware",
    "fasterapi-extras": "fasterapi_extras",
    "fasterapi-server": "fasterapi_server",
    "fasterapi": "FasterAPI",
}


def shared_version() -> str:
    text = (ROOT / "version.py").read_text()
    match = re.search(r'__version__ = "([^"]+)"', text)
    assert match is not None
    return match.group(1)


def test_all_seven_distributions_exist() -> None:
    names = {tomllib.loads(p.read_text())["project"]["name"] for p in PACKAGES}
    assert names == set(DISTRIBUTIONS)


@pytest.mark.parametrize("pyproject", PACKAGES, ids=lambda p: p.parent.name)
def test_sibling_pins_equal_the_shared_version(pyproject: Path) -> None:
    project = tomllib.loads(pyproject.read_text())["project"]
    requirements = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        requirements.extend(extra)
    pins = [r for r in requirements if re.match(r"fasterapi(-\w+)?(\[[^\]]*\])?==", r)]
    for pin in pins:
        assert pin.split("==", 1)[1] == shared_version(), pin


@pytest.mark.parametrize("pyproject", PACKAGES, ids=lambda p: p.parent.name)
def test_version_comes_from_the_shared_file(pyproject: Path) -> None:
    config = tomllib.loads(pyproject.read_text())
    assert config["project"]["dynamic"] == ["version"]
    assert config["tool"]["hatch"]["version"]["path"] == "../../version.py"


@pytest.mark.parametrize(("dist", "module"), sorted(DISTRIBUTIONS.items()))
def test_each_package_imports_and_declares_all(dist: str, module: str) -> None:
    imported = importlib.import_module(module)
    assert isinstance(imported.__all__, list)
    for name in imported.__all__:
        assert hasattr(imported, name), f"{module}.{name}"
    src = ROOT / "packages" / dist / "src" / module
    assert (src / "py.typed").exists()
    assert Path(imported.__file__ or "").resolve().is_relative_to(src)
