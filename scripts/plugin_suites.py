"""The test suites of FastAPI plugins, run on FasterAPI through the ``fastapi`` stand-in.

    hatch run plugin-suites:check     # fails when the outcomes differ from the expectations
    hatch run plugin-suites:update    # rewrites tests/plugin_suites/<suite>.toml

For each suite (fastapi-users 15.0.5 and its SQLAlchemy adapter 7.0.0, on SQLite: plugins whose
source distribution ships its tests; slowapi and prometheus-fastapi-instrumentator ship none and
are tested differentially in tests/plugins/):

1. Fetches the plugin's source distribution from PyPI, checks it against the sha256 pinned below
   and extracts its ``tests/`` and ``pyproject.toml`` (its pytest configuration) into
   ``.cache/``; the plugin itself is the pinned release installed in ``[envs.plugin-suites]``.
2. Runs them with ``pytest -p FasterAPI.as_fastapi_pytest --as-fastapi-replace-installed``: the
   environment has FastAPI 0.165.0 (the plugin depends on it) and a real Starlette; the stand-in
   replaces ``fastapi`` and keeps Starlette, as an application that installs it would. Each
   test's outcome is recorded by ``fastapi_suite_plugin.py``.
3. Compares with ``tests/plugin_suites/<suite>.toml``, which lists every test that does not pass
   with a one-line reason: the exit status is 1 when a listed test passes, an unlisted one fails
   or a listed one did not run; ``--update`` rewrites the file, keeping the reasons of the
   entries that still fail.

``--suite NAME`` runs one suite; ``--on-fastapi`` runs on the installed FastAPI instead, for
reference (the counts only); arguments after ``--`` go to pytest instead of ``tests`` (the
comparison then covers only the tests that ran). Only the standard library is used here.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sdist_suite import (
    CACHE,
    Outcomes,
    Sdist,
    check_or_update,
    extract,
    fetch,
    read_outcomes,
    summary,
)

ROOT = Path(__file__).resolve().parent.parent
EXPECTATIONS = ROOT / "tests" / "plugin_suites"


@dataclass(frozen=True)
class Suite:
    """A plugin's test suite: where it comes from and how pytest runs it."""

    name: str  #: the expectations file's stem
    sdist: Sdist
    extracted: tuple[str, ...]  #: the sdist's members to take, by prefix
    pytest_args: tuple[str, ...]  #: what pytest runs when no arguments are given
    timeout: int  #: seconds before pytest-timeout ends a test that hangs

    @property
    def expectations(self) -> Path:
        """``tests/plugin_suites/<name>.toml``."""
        return EXPECTATIONS / f"{self.name}.toml"

    @property
    def header(self) -> str:
        """The comment at the top of the expectations file."""
        return (
            f"# Tests of {self.sdist.root} that do not pass on FasterAPI through the fastapi\n"
            "# stand-in (installed with replace_installed; a real Starlette kept). Checked by\n"
            "# `hatch run plugin-suites:check` (scripts/plugin_suites.py); rewritten, keeping the\n"
            "# reasons of the entries that still fail, by `hatch run plugin-suites:update`.\n"
            '# One entry per test (or per test module that fails to import): "node id" = "why".\n'
        )


SUITES = {
    suite.name: suite
    for suite in (
        Suite(
            name="fastapi_users",
            sdist=Sdist(
                "fastapi-users",
                "fastapi_users-15.0.5.tar.gz",
                "097f69701894e650c346df89b1cdb0a09cf139234f4cb9a8ece275af4e98e202",
            ),
            extracted=("tests/", "pyproject.toml"),
            pytest_args=("tests",),
            timeout=60,
        ),
        Suite(  # its tests run the adapter on SQLite (aiosqlite), a file in the suite's folder
            name="fastapi_users_db_sqlalchemy",
            sdist=Sdist(
                "fastapi-users-db-sqlalchemy",
                "fastapi_users_db_sqlalchemy-7.0.0.tar.gz",
                "6823eeedf8a92f819276a2b2210ef1dcfd71fe8b6e37f7b4da8d1c60e3dfd595",
            ),
            extracted=("tests/", "pyproject.toml"),
            pytest_args=("tests",),
            timeout=60,
        ),
    )
}


def check_environment() -> None:
    """The plugins and what they import are installed: this runs in ``[envs.plugin-suites]``."""
    for name in ("fastapi", "starlette", "FasterAPI"):
        if importlib.util.find_spec(name) is None:
            raise SystemExit(f"{name} is not installed: run this in `hatch run plugin-suites:...`")


def run_suite(
    suite: Suite, folder: Path, pytest_args: list[str], on_fastapi: bool = False
) -> tuple[Outcomes, float]:
    """Run ``suite`` (extracted in ``folder``) on FasterAPI, or on the installed FastAPI with
    ``on_fastapi``; its outcomes and the wall time in seconds."""
    outcomes = CACHE / f"plugin-suite-{suite.name}-outcomes.jsonl"
    outcomes.unlink(missing_ok=True)
    stand_in = ("-p", "FasterAPI.as_fastapi_pytest", "--as-fastapi-replace-installed")
    command = [
        *(sys.executable, "-m", "pytest"),
        *(() if on_fastapi else stand_in),
        *("-p", "fastapi_suite_plugin", "-p", "no:randomly", "-p", "no:cacheprovider"),
        *("--continue-on-collection-errors", "-q", "--no-header", "--tb=no", "-rN"),
        *("--timeout-method=thread", f"--timeout={suite.timeout}"),
        *(pytest_args or suite.pytest_args),
    ]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            [str(ROOT / "scripts"), os.environ.get("PYTHONPATH", "")]
        ).rstrip(os.pathsep),
        "FASTAPI_SUITE_OUTCOMES": str(outcomes),
    }
    print(f"== {suite.sdist.root}: pytest {' '.join(pytest_args or suite.pytest_args)}", flush=True)
    started = time.monotonic()
    status = subprocess.run(command, cwd=folder, env=env, check=False).returncode
    if status not in (0, 1, 5) or not outcomes.is_file():  # interrupted, internal, usage error
        raise SystemExit(f"pytest did not complete the run (exit status {status}): see above")
    return read_outcomes(outcomes), time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    """Fetch, run, compare (or ``--update``) each suite; 0 when every one matches."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--update", action="store_true", help="rewrite the expectations files")
    parser.add_argument("--suite", choices=sorted(SUITES), help="run only this suite")
    parser.add_argument(
        "--on-fastapi",
        action="store_true",
        help="run on the installed FastAPI instead, for reference (counts only, no comparison)",
    )
    parser.add_argument("pytest_args", nargs="*", help="after --: what pytest runs instead")
    args = parser.parse_args(argv)
    if args.pytest_args and args.suite is None and len(SUITES) > 1:
        parser.error("pytest arguments need --suite")
    check_environment()
    status = 0
    for suite in SUITES.values():
        if args.suite not in (None, suite.name):
            continue
        folder = extract(fetch(suite.sdist), suite.sdist, suite.extracted, CACHE / suite.sdist.root)
        outcomes, elapsed = run_suite(suite, folder, args.pytest_args, args.on_fastapi)
        framework = "FastAPI" if args.on_fastapi else "FasterAPI"
        print(summary(f"{suite.sdist.root} suite on {framework}", outcomes, elapsed))
        if args.on_fastapi:
            continue
        status |= check_or_update(
            outcomes,
            suite.expectations,
            suite.header,
            update=args.update,
            complete=not args.pytest_args,
            update_command="hatch run plugin-suites:update",
        )
    return status


if __name__ == "__main__":
    sys.exit(main())
