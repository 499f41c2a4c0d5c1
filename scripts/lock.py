"""Lock what every hatch environment installs: ``hatch run lock:refresh`` (or ``lock:check``).

Each environment of ``hatch.toml`` gets one universal lock under ``locks/`` (Python 3.11 and
newer, every platform, with hashes), which hatch applies as a uv constraints file
(``UV_CONSTRAINT`` in the environment's ``env-vars``); ``locks/build.txt`` pins the build
backend (``UV_BUILD_CONSTRAINT``) and ``locks/ci.txt`` the tools ``.ci/run`` installs (hatch, uv).
The workspace's own distributions are resolved from ``packages/`` and left out of the locks.

``--check`` resolves again against the existing locks (uv keeps a locked version unless the
inputs exclude it) and fails when a lock would change: the inputs in ``hatch.toml`` and the locks
disagree. ``--upgrade`` moves every pin to the newest release the inputs allow.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCKS = ROOT / "locks"
PYTHON_FLOOR = "3.11"
REFRESH_COMMAND = "hatch run lock:refresh"

#: lock file stem -> the hatch environments whose dependencies it pins.
ENVIRONMENTS: dict[str, tuple[str, ...]] = {
    "default": ("default",),
    "test": ("hatch-test.py3.13", "hatch-test.py3.11"),
    "lint": ("lint",),
    "docs": ("docs",),
    "bench": ("bench",),
    "fastapi-suite": ("fastapi-suite",),
    "fastapi-suite-starlette": ("fastapi-suite-starlette",),
    "plugin-suites": ("plugin-suites",),
    "autobahn": ("autobahn",),
}

#: lock file stem -> requirements that are not a hatch environment's.
TOOLS: dict[str, tuple[str, ...]] = {
    "build": ("hatchling>=1.26",),  # the build backend of every distribution in packages/
    "ci": ("hatch==1.18.2", "uv==0.13.9"),  # what .ci/run installs before anything else
}


def workspace_members() -> dict[str, str]:
    """``{distribution name: path relative to the root}`` of every package in ``packages/``."""
    members = {}
    for pyproject in sorted(ROOT.glob("packages/*/pyproject.toml")):
        name = tomllib.loads(pyproject.read_text())["project"]["name"]
        members[name] = "./" + pyproject.parent.relative_to(ROOT).as_posix()
    return members


def environment_requirements() -> dict[str, list[str]]:
    """``{lock stem: requirements}``: each environment's dependencies as hatch reports them."""
    shown = subprocess.run(
        ["hatch", "env", "show", "--json"], cwd=ROOT, check=True, capture_output=True, text=True
    )
    config = json.loads(shown.stdout)
    requirements: dict[str, list[str]] = {}
    for stem, names in ENVIRONMENTS.items():
        merged: list[str] = []
        for name in names:
            if name not in config:
                raise SystemExit(f"hatch has no environment {name!r}: update ENVIRONMENTS")
            env = config[name]
            for requirement in [*env.get("dependencies", []), *env.get("extra-dependencies", [])]:
                if requirement not in merged:
                    merged.append(requirement)
        requirements[stem] = merged
    return requirements


def uv_executable() -> str:
    """The uv this environment pins (``[envs.lock]``), else the one on ``PATH``."""
    local = Path(sys.executable).parent / "uv"
    found = str(local) if local.is_file() else shutil.which("uv")
    if found is None:
        raise SystemExit("uv not found: run this script as `hatch run lock:refresh`")
    return found


def compile_lock(
    stem: str, requirements: list[str], output: Path, members: dict[str, str], upgrade: bool
) -> None:
    """Resolve ``requirements`` into ``output``; an environment's lock takes the workspace
    members from their folders (they are not on the registry)."""
    lines = [*(members.values() if stem in ENVIRONMENTS else ()), *requirements]
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"{stem}.in"
        source.write_text("\n".join(lines) + "\n")
        command = [
            uv_executable(),
            "pip",
            "compile",
            str(source),
            "--universal",
            "--python-version",
            PYTHON_FLOOR,
            "--generate-hashes",
            "--no-header",
            "--annotation-style",
            "line",
            "--quiet",
            "--output-file",
            str(output),
        ]
        for name in members:
            command += ["--no-emit-package", name]
        if upgrade:
            command.append("--upgrade")
        env = {k: v for k, v in os.environ.items() if not k.startswith("UV_")}
        subprocess.run(command, cwd=ROOT, check=True, env=env)
    body = output.read_text().replace(str(source), f"{stem}.in")
    header = (
        f"# Lock of {', '.join(ENVIRONMENTS.get(stem, (stem,)))}: do not edit; "
        f"`{REFRESH_COMMAND}` rewrites it\n"
        f"# from hatch.toml (`-- --upgrade` moves every pin to the newest allowed release).\n"
    )
    output.write_text(header + body)


def main(argv: list[str] | None = None) -> int:
    """Write (or ``--check``) every lock; the exit status is 1 when a check finds a change."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a lock is out of date")
    parser.add_argument("--upgrade", action="store_true", help="upgrade every pin")
    parser.add_argument("only", nargs="*", help="lock stems to refresh (default: all)")
    args = parser.parse_args(argv)
    members = workspace_members()
    wanted = {**environment_requirements(), **{k: list(v) for k, v in TOOLS.items()}}
    if args.only:
        wanted = {stem: reqs for stem, reqs in wanted.items() if stem in args.only}
    LOCKS.mkdir(exist_ok=True)
    stale = []
    for stem, requirements in wanted.items():
        target = LOCKS / f"{stem}.txt"
        if not args.check:
            compile_lock(stem, requirements, target, members, args.upgrade)
            print(f"locked {target.relative_to(ROOT)}")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / target.name
            if target.is_file():
                shutil.copyfile(target, fresh)
            compile_lock(stem, requirements, fresh, members, upgrade=False)
            old = target.read_text().splitlines() if target.is_file() else []
            new = fresh.read_text().splitlines()
        if old != new:
            stale.append(stem)
            diff = difflib.unified_diff(old, new, str(target), "resolved now", lineterm="", n=0)
            print("\n".join(diff))
    if stale:
        print(f"out of date: {', '.join(stale)}; run `{REFRESH_COMMAND}` and commit locks/")
        return 1
    if args.check:
        print(f"locks up to date: {', '.join(wanted)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
