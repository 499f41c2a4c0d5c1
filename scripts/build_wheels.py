"""Build the wheel of every FasterAPI distribution into ``dist/`` (``hatch run build-wheels``).

    hatch run build-wheels                  # or: python scripts/build_wheels.py [--dist DIR]

Each ``packages/*`` project is built by ``hatch build --target wheel`` (hatch is the one tool a
fresh machine needs). Older wheels of the same distributions are removed from the directory
first, so it holds exactly one version of each. Then, in any virtual environment:

    pip install --find-links dist "fasterapi[all]==0.1.0"
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

__all__ = ["ROOT", "build_wheels", "distributions", "main", "shared_version"]


def shared_version() -> str:
    """The version every distribution shares (``version.py``)."""
    match = re.search(r'^__version__ = "([^"]+)"', (ROOT / "version.py").read_text(), re.M)
    if match is None:
        raise RuntimeError("no __version__ in version.py")
    return match.group(1)


def distributions() -> dict[str, Path]:
    """Distribution name -> project directory, for every ``packages/*/pyproject.toml``."""
    found: dict[str, Path] = {}
    for pyproject in sorted((ROOT / "packages").glob("*/pyproject.toml")):
        found[tomllib.loads(pyproject.read_text())["project"]["name"]] = pyproject.parent
    return found


def build_wheels(dist: Path) -> list[Path]:
    """Build one wheel per distribution into ``dist``; return the wheels' paths."""
    hatch = shutil.which("hatch")
    if hatch is None:
        raise RuntimeError("hatch is not on PATH: pip install 'hatch>=1.16'")
    dist = dist.resolve()
    dist.mkdir(parents=True, exist_ok=True)
    projects = distributions()
    # Wheel file names spell the distribution with underscores: fasterapi_core-0.1.0-....whl
    stems = [name.replace("-", "_") for name in projects]
    for stem in stems:
        for old in dist.glob(f"{stem}-*.whl"):
            old.unlink()
    # Run from inside a hatch environment (``hatch run``, ``hatch test``), hatch would build in
    # that environment and refuse: each project builds in its own build environment instead.
    env = {k: v for k, v in os.environ.items() if k not in ("HATCH_ENV_ACTIVE", "VIRTUAL_ENV")}
    for directory in projects.values():
        command = [hatch, "build", "--target", "wheel", str(dist)]
        subprocess.run(command, cwd=directory, env=env, check=True)
    version = shared_version()
    wheels = [w for stem in stems for w in dist.glob(f"{stem}-{version}-*.whl")]
    if len(wheels) != len(projects):
        raise RuntimeError(f"expected {len(projects)} wheels in {dist}, found {len(wheels)}")
    return sorted(wheels)


def main(argv: list[str] | None = None) -> int:
    """Command line: build the wheels, print them and the install command."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output directory")
    args = parser.parse_args(argv)
    try:
        wheels = build_wheels(args.dist)
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        print(f"build-wheels: {exc}", file=sys.stderr)
        return 1
    for wheel in wheels:
        print(wheel)
    print(f'\npip install --find-links {args.dist} "fasterapi[all]=={shared_version()}"')
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
