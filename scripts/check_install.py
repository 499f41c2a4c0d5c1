#!/usr/bin/env python3
"""Install FasterAPI from freshly built wheels into fresh virtual environments, as a user would.

    python3 scripts/check_install.py [--python python3.13 --python python3.11] [--skip-build]

1. ``hatch run build-wheels``: every distribution's wheel into ``dist/`` (the README's command).
2. For each Python, in a new venv in a temporary directory:
   ``pip install --find-links dist "fasterapi[all]==<version>"``; every installed ``fasterapi*``
   distribution must be the wheel in ``dist/`` (its RECORD hashes: PyPI's unrelated ``fasterapi``
   must not win), every dependency of ``all`` must import, a small app answers through
   ``TestClient`` (a GET, a valid POST, an invalid POST -> 422) and ``fasterapi --help`` runs.
3. For each Python, in a second venv: ``fasterapi-core==<version>`` alone. Importing
   ``fasterapi_core.testclient`` raises ImportError naming ``fasterapi-core[testing]``; after
   ``pip install "fasterapi-core[testing]==<version>"`` it imports.
4. On the first Python, the README's index-proof form: the seven wheel files named on the
   command line (``dist/fasterapi-<version>-py3-none-any.whl[all]`` and the six others).

Only the standard library is used. Exit status 0 when every check passed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DISTRIBUTIONS = (
    "fasterapi",
    "fasterapi-core",
    "fasterapi-routing",
    "fasterapi-security",
    "fasterapi-middleware",
    "fasterapi-extras",
    "fasterapi-server",
)
# What `fasterapi[all]` must bring, besides the FasterAPI packages themselves.
ALL_EXTRA_MODULES = (
    "httpx",
    "pydantic",
    "redis",
    "sqlalchemy",
    "aiosqlite",
    "structlog",
    "jinja2",
    "itsdangerous",
    "watchfiles",
    "granian",
    "uvicorn",
)

__all__ = ["CheckFailed", "check_core_alone", "check_full_install", "check_wheel_files", "main"]

# Printed as JSON by the venv's Python: what is installed, from where.
_INSTALLED = """
import importlib.metadata, json, sys
import FasterAPI
found = {}
for name in sys.argv[1:]:
    dist = importlib.metadata.distribution(name)
    found[name] = {"version": dist.version, "record": dist.read_text("RECORD") or ""}
print(json.dumps({"dists": found, "file": FasterAPI.__file__, "prefix": sys.prefix}))
"""

_SMOKE = """
import importlib, sys
import msgspec, pydantic
from FasterAPI import Faster, TestClient

for module in sys.argv[1:]:
    importlib.import_module(module)


class Item(msgspec.Struct):
    name: str
    price: float


class User(pydantic.BaseModel):
    name: str
    age: int


app = Faster()


@app.get("/items/{item_id}")
async def read(item_id: int, q: str = "") -> dict[str, object]:
    return {"item_id": item_id, "q": q}


@app.post("/items")
async def create(item: Item) -> Item:
    return item


@app.post("/users")
async def create_user(user: User) -> User:
    return user


with TestClient(app) as client:
    r = client.get("/items/3", params={"q": "x"})
    assert r.status_code == 200 and r.json() == {"item_id": 3, "q": "x"}, r.text
    r = client.post("/items", json={"name": "pen", "price": 1.5})
    assert r.status_code == 200 and r.json() == {"name": "pen", "price": 1.5}, r.text
    r = client.post("/items", json={"name": "pen", "price": "free"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "price"], r.text
    r = client.post("/users", json={"name": "ann", "age": "old"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "age"], r.text
print("smoke: GET 200, POST 200, POST 422 (msgspec), POST 422 (pydantic)")
"""

_CORE_ALONE = """
import importlib.util
assert importlib.util.find_spec("httpx") is None, "httpx is installed: this proves nothing"
import fasterapi_core
try:
    from fasterapi_core.testclient import TestClient
except ImportError as exc:
    assert "fasterapi-core[testing]" in str(exc), f"the error does not name the extra: {exc}"
    print(f"ImportError: {exc}")
else:
    raise AssertionError("fasterapi_core.testclient imported without httpx")
"""


class CheckFailed(Exception):
    """A step failed; the message holds the command and the end of its output."""


def _clean_env() -> dict[str, str]:
    """This process's environment without what would leak the workspace into a venv."""
    dropped = {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "HATCH_ENV_ACTIVE"}
    return {k: v for k, v in os.environ.items() if k not in dropped}


def _run(command: Sequence[str | Path], cwd: Path) -> str:
    """Run ``command``; return its output, raise :class:`CheckFailed` on a non-zero status."""
    argv = [str(part) for part in command]
    done = subprocess.run(
        argv, cwd=cwd, env=_clean_env(), capture_output=True, text=True, check=False
    )
    output = done.stdout + done.stderr
    if done.returncode != 0:
        tail = "\n".join(output.splitlines()[-40:])
        raise CheckFailed(f"exit {done.returncode}: {' '.join(argv)}\n{tail}")
    return done.stdout


def _venv(python: str, directory: Path) -> Path:
    """A new virtual environment made by ``python``; return its interpreter."""
    _run([python, "-m", "venv", directory], cwd=directory.parent)
    return directory / "bin" / "python"


def _pip_install(venv_python: Path, dist: Path, *requirements: str) -> None:
    _run(
        [venv_python, "-m", "pip", "install", "--quiet", "--find-links", dist, *requirements],
        cwd=venv_python.parents[2],
    )


def _wheel_record(wheel: Path) -> set[str]:
    """The hashed RECORD lines of ``wheel`` (RECORD itself has no hash)."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/RECORD"))
        lines = archive.read(name).decode().splitlines()
    return {line for line in lines if line.split(",")[1:2] not in ([""], [])}


def _wheel_for(dist: Path, name: str, version: str) -> Path:
    matches = sorted(dist.glob(f"{name.replace('-', '_')}-{version}-*.whl"))
    if len(matches) != 1:
        raise CheckFailed(f"expected one {name} {version} wheel in {dist}, found {matches}")
    return matches[0]


def _check_provenance(venv_python: Path, dist: Path, version: str) -> None:
    """Every installed FasterAPI distribution is byte for byte the wheel in ``dist``."""
    command: list[str | Path] = [venv_python, "-c", _INSTALLED, *DISTRIBUTIONS]
    report = json.loads(_run(command, venv_python.parents[2]))
    for name in DISTRIBUTIONS:
        installed = report["dists"][name]
        if installed["version"] != version:
            raise CheckFailed(f"{name} {installed['version']} installed, not {version}")
        missing = _wheel_record(_wheel_for(dist, name, version)) - set(
            installed["record"].splitlines()
        )
        if missing:
            raise CheckFailed(f"{name} is not the wheel from {dist}: {sorted(missing)[:3]}")
    if not Path(report["file"]).resolve().is_relative_to(Path(report["prefix"]).resolve()):
        raise CheckFailed(f"FasterAPI imported from {report['file']}, outside the venv")


def check_full_install(python: str, dist: Path, version: str, workdir: Path) -> None:
    """``fasterapi[all]==version`` from ``dist`` in a new venv: provenance, smoke, CLI."""
    venv_python = _venv(python, workdir / "full")
    _pip_install(venv_python, dist, f"fasterapi[all]=={version}")
    _check_provenance(venv_python, dist, version)
    print("   ", _run([venv_python, "-c", _SMOKE, *ALL_EXTRA_MODULES], workdir).strip())
    for command in ("fasterapi", "fasterapi-server"):
        help_text = _run([str(venv_python.parent / command), "--help"], workdir)
        if "usage:" not in help_text:
            raise CheckFailed(f"{command} --help printed no usage:\n{help_text}")
    print("    fasterapi --help, fasterapi-server --help: ok")


def check_core_alone(python: str, dist: Path, version: str, workdir: Path) -> None:
    """``fasterapi-core==version`` alone: TestClient's ImportError names the testing extra."""
    venv_python = _venv(python, workdir / "core")
    _pip_install(venv_python, dist, f"fasterapi-core=={version}")
    print("   ", _run([venv_python, "-c", _CORE_ALONE], workdir).strip())
    _pip_install(venv_python, dist, f"fasterapi-core[testing]=={version}")
    _run([venv_python, "-c", "from fasterapi_core.testclient import TestClient"], workdir)
    print("    with fasterapi-core[testing]: TestClient imports")


def check_wheel_files(python: str, dist: Path, version: str, workdir: Path) -> None:
    """The wheel files named on the command line (the index cannot win): provenance."""
    venv_python = _venv(python, workdir / "files")
    meta = _wheel_for(dist, "fasterapi", version)
    siblings = [_wheel_for(dist, name, version) for name in DISTRIBUTIONS if name != "fasterapi"]
    command: list[str | Path] = [venv_python, "-m", "pip", "install", "--quiet"]
    _run([*command, f"{meta}[all]", *siblings], workdir)
    _check_provenance(venv_python, dist, version)
    print(f"    pip install {meta.name}[all] + {len(siblings)} wheel files: ours")


def _shared_version() -> str:
    match = re.search(r'^__version__ = "([^"]+)"', (ROOT / "version.py").read_text(), re.M)
    if match is None:
        raise CheckFailed("no __version__ in version.py")
    return match.group(1)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--python", action="append", help="interpreter to check (default: python3.13, python3.11)"
    )
    parser.add_argument("--skip-build", action="store_true", help="use the wheels in dist/")
    args = parser.parse_args(argv)
    pythons: list[str] = args.python or ["python3.13", "python3.11"]
    dist = ROOT / "dist"
    started = time.monotonic()
    failures = 0
    try:
        version = _shared_version()
        if not args.skip_build:
            print("== hatch run build-wheels", flush=True)
            _run(["hatch", "run", "build-wheels"], ROOT)
            print(f"    ok ({time.monotonic() - started:.0f} s)", flush=True)
        for python in pythons:
            if shutil.which(python) is None:
                raise CheckFailed(f"{python} is not on PATH")
    except (CheckFailed, FileNotFoundError) as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    for index, python in enumerate(pythons):
        checks = [
            (f'pip install --find-links dist "fasterapi[all]=={version}"', check_full_install),
            (f'pip install --find-links dist "fasterapi-core=={version}"', check_core_alone),
        ]
        if index == 0:  # the same resolution on every Python: once is enough
            checks.append(("pip install <the seven wheel files>", check_wheel_files))
        for label, check in checks:
            step = time.monotonic()
            print(f"== {python}: {label}", flush=True)
            with tempfile.TemporaryDirectory(prefix="fasterapi-install-") as workdir:
                try:
                    check(python, dist, version, Path(workdir))
                except CheckFailed as exc:
                    failures += 1
                    print(f"FAILED: {exc}", file=sys.stderr)
                    continue
            print(f"    ok ({time.monotonic() - step:.0f} s)", flush=True)
    verdict = "FAILED" if failures else "passed"
    print(f"== install check {verdict} in {time.monotonic() - started:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
