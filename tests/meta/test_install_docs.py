"""The install story in the documents: wheels from dist/, never PyPI's unrelated ``fasterapi``.

Every distribution's README names each of its extras and says how to install it from ``dist/``;
no document tells users to install a FasterAPI distribution from the registry, and every pinned
FasterAPI requirement uses the shared version.
"""

from __future__ import annotations

import re
import tomllib
import zipfile
from pathlib import Path

import pytest

from scripts.build_wheels import build_wheels, distributions, shared_version

ROOT = Path(__file__).resolve().parents[2]
PYPROJECTS = sorted((ROOT / "packages").glob("*/pyproject.toml"))
DOCUMENTS = sorted(
    [ROOT / "README.md", *(ROOT / "docs").rglob("*.md"), *(ROOT / "packages").glob("*/README.md")]
)
# A FasterAPI requirement in a pip command: fasterapi, fasterapi-core[testing]==0.1.0, ...
_REQUIREMENT = re.compile(r"(?<![\w/.-])(fasterapi(?:-[a-z]+)?(?:\[[^\]]*\])?)(==[\w.]+)?")


def _project(pyproject: Path) -> dict[str, object]:
    project: dict[str, object] = tomllib.loads(pyproject.read_text())["project"]
    return project


def _readme(pyproject: Path) -> str:
    readme = _project(pyproject)["readme"]
    assert isinstance(readme, str)
    return " ".join((pyproject.parent / readme).read_text().split())


def _pip_commands(text: str) -> list[str]:
    """``pip install ...`` commands in code blocks and inline code, whitespace normalised."""
    found = re.findall(r"^\s*(pip install[^\n]*)$", text, re.M)
    found += re.findall(r"`(pip install[^`]*)`", text)
    return [" ".join(command.split("#")[0].split()) for command in found]


@pytest.mark.parametrize("pyproject", PYPROJECTS, ids=lambda p: p.parent.name)
def test_readme_names_every_extra(pyproject: Path) -> None:
    name = _project(pyproject)["name"]
    extras = _project(pyproject).get("optional-dependencies", {})
    assert isinstance(extras, dict)
    readme = _readme(pyproject)
    missing = [extra for extra in extras if f"`{name}[{extra}]`" not in readme]
    assert not missing, f"{name}'s README does not mention the extras {missing}"


@pytest.mark.parametrize("pyproject", PYPROJECTS, ids=lambda p: p.parent.name)
def test_readme_installs_from_dist_with_the_shared_version(pyproject: Path) -> None:
    name = _project(pyproject)["name"]
    readme = _readme(pyproject)
    assert "## Install" in readme
    assert "hatch run build-wheels" in readme
    pinned = rf'pip install --find-links dist "{name}(\[[^\]]*\])?=={re.escape(shared_version())}"'
    assert re.search(pinned, readme), f"{name}'s README has no {pinned}"


@pytest.mark.parametrize("pyproject", PYPROJECTS, ids=lambda p: p.parent.name)
def test_readme_points_plugin_authors_to_the_core(pyproject: Path) -> None:
    assert re.search(r"depends? on `fasterapi-core` alone", _readme(pyproject))


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_document_installs_fasterapi_from_the_registry(document: Path) -> None:
    for command in _pip_commands(document.read_text()):
        if _REQUIREMENT.search(command) and ".whl" not in command:
            assert "--find-links" in command, f"{document.name}: {command}"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_pinned_fasterapi_requirements_use_the_shared_version(document: Path) -> None:
    for command in _pip_commands(document.read_text()):
        for requirement, pin in _REQUIREMENT.findall(command):
            assert pin == f"=={shared_version()}", f"{document.name}: {requirement} in {command}"


def test_top_level_install_section_follows_quick_start() -> None:
    headings = re.findall(r"^## (.+)$", (ROOT / "README.md").read_text(), re.M)
    assert headings.index("Install") == headings.index("Quick start") + 1


def test_command_pattern_catches_a_registry_install() -> None:
    commands = _pip_commands(
        'run `pip install "fasterapi[all]"` or\n\npip install fasterapi-core\n'
    )
    assert commands == ["pip install fasterapi-core", 'pip install "fasterapi[all]"']
    assert all(_REQUIREMENT.search(command) for command in commands)
    assert _REQUIREMENT.findall('pip install "dist/fasterapi_core-0.1.0-py3-none-any.whl"') == []


def test_build_wheels_makes_one_wheel_per_distribution(tmp_path: Path) -> None:
    stale = tmp_path / "fasterapi_core-0.0.9-py3-none-any.whl"
    unrelated = tmp_path / "msgspec-0.19.0-cp313-cp313-linux_x86_64.whl"
    stale.write_bytes(b"")
    unrelated.write_bytes(b"")
    wheels = build_wheels(tmp_path)
    assert not stale.exists() and unrelated.exists()
    assert len(wheels) == len(distributions()) == 7
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as archive:
            metadata = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
            text = archive.read(metadata).decode()
        name = re.search(r"^Name: (.+)$", text, re.M)
        assert name is not None and name.group(1) in distributions()
        assert f"\nVersion: {shared_version()}\n" in text
