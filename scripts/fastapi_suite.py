"""FastAPI 0.165.0's own test suite run on FasterAPI through the ``fastapi`` stand-in.

    hatch run fastapi-suite:check     # fails when the outcomes differ from the expectations
    hatch run fastapi-suite:update    # rewrites tests/fastapi_suite/expectations.toml
    hatch run fastapi-suite-starlette:check    # the same with a real Starlette installed
    hatch run fastapi-suite-starlette:update   # rewrites .../expectations-starlette.toml

1. Fetches FastAPI's source distribution from PyPI (its JSON simple API), checks it against the
   sha256 pinned below, and extracts its ``tests/``, ``docs_src/`` and ``pyproject.toml`` (not the
   ``fastapi`` package: FasterAPI stands in for it) into ``.cache/fastapi-0.165.0/`` (or
   ``.cache/fastapi-0.165.0-starlette/``: the two configurations never share a working tree).
2. Runs that ``tests/`` folder, less the two files that test FastAPI's release scripts, with
   ``pytest -p FasterAPI.as_fastapi_pytest`` (FastAPI's own pytest configuration, pytest-xdist
   ``-n 2`` and ``-p no:randomly``), in an environment without fastapi and starlette
   (``[envs.fastapi-suite]``), recording each test's outcome (``fastapi_suite_plugin.py``).
   ``--with-starlette`` runs it where Starlette 1.10.0 is installed, as most of FastAPI's users
   have it (``[envs.fastapi-suite-starlette]``): the stand-in serves ``fastapi``, keeps Starlette.
3. Compares with ``tests/fastapi_suite/expectations.toml`` (``expectations-starlette.toml``
   with ``--with-starlette``), which lists every test that does not
   pass with a one-line reason. The exit status is 1 when a listed test passes (take it off the
   list), an unlisted test fails, or a listed test did not run, each printed; ``--update``
   rewrites the file instead, keeping the reasons of the entries that still fail and giving new
   ones the failure's exception and first line, for a human to refine. Tests of FastAPI's private
   internals are marked ``internals:``.

Arguments after ``--`` go to pytest instead of ``tests`` (``-- --tb=short tests/test_sse.py``);
the comparison then covers only the tests that ran. Only the standard library is used here.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sdist_suite import CACHE, Outcomes, Sdist, check_or_update, extract, fetch, read_outcomes
from sdist_suite import summary as suite_summary

ROOT = Path(__file__).resolve().parent.parent
VERSION = "0.165.0"
SDIST = Sdist(
    "fastapi",
    f"fastapi-{VERSION}.tar.gz",
    "dd94d4128319c1e1d50535ab023ab698f850a4d2822f0e181747b46f4ff3c0ab",
)
EXTRACTED = ("tests/", "docs_src/", "pyproject.toml")
#: The files that test FastAPI's release tooling (its ``scripts/``), not the framework.
RELEASE_SCRIPT_TESTS = ("tests/test_prepare_release.py", "tests/test_translate.py")
#: Failures that come from FastAPI's internals (its reason then starts with "internals:"): a
#: private name or module, its dependency-injection helpers, a private attribute, or a module
#: attribute the stand-in lacks read (or monkeypatched) by the test.
_INTERNALS = re.compile(
    r"\bfastapi(?:\.\w+)*\._\w+"
    r"|\bfastapi\.dependencies\.\w+\.\w+ is not supported"
    r"|^AttributeError: \S+ is not supported by FasterAPI's"
    r"|has no attribute '_\w+'"
)


@dataclass(frozen=True)
class Configuration:
    """Where the suite runs: without Starlette (the stand-in serves both ``fastapi`` and
    ``starlette``) or with a real Starlette installed (kept; the stand-in serves ``fastapi``)."""

    with_starlette: bool

    @property
    def env(self) -> str:
        """The hatch environment that has this configuration's packages."""
        return "fastapi-suite-starlette" if self.with_starlette else "fastapi-suite"

    @property
    def suite(self) -> Path:
        """The folder the sdist's tests are extracted into and run from (one per configuration:
        the tests write files in their working directory)."""
        return CACHE / f"fastapi-{VERSION}{'-starlette' if self.with_starlette else ''}"

    @property
    def expectations(self) -> Path:
        """The expectations file of this configuration."""
        name = "expectations-starlette.toml" if self.with_starlette else "expectations.toml"
        return ROOT / "tests" / "fastapi_suite" / name

    @property
    def header(self) -> str:
        """The comment at the top of the expectations file."""
        where = "\n# With a real Starlette installed (kept by the stand-in)."
        where = where if self.with_starlette else ""
        return f"""\
# FastAPI {VERSION}'s tests that do not pass on FasterAPI through the fastapi stand-in.{where}
# Checked by `hatch run {self.env}:check` (scripts/fastapi_suite.py); rewritten, keeping the
# reasons of the entries that still fail, by `hatch run {self.env}:update`. One entry per test
# (or per test module that fails to import): "node id" = "why". A reason starting with
# "internals:" marks a test of FastAPI's private internals, which the stand-in does not provide.
"""

    def check_installed(self) -> None:
        """Exit unless this environment has exactly the packages of the configuration."""
        for name, wanted in (("fastapi", False), ("starlette", self.with_starlette)):
            if (importlib.util.find_spec(name) is not None) != wanted:
                state = "is installed" if not wanted else "is not installed"
                raise SystemExit(f"{name} {state} here: run this in `hatch run {self.env}:...`")


#: Two passes: the tests FastAPI groups as sharing the working directory (``workdir_lock``: they
#: write files there) run on one worker, after the others, which run on ``--workers``.
PASSES = (("not xdist_group", None), ("xdist_group", "1"))


def run_suite(suite: Path, pytest_args: list[str], workers: str) -> tuple[Outcomes, float]:
    """Run the suite; ``{nodeid: {"outcome", "reason"}}`` and the wall time in seconds."""
    found: Outcomes = {}
    started = time.monotonic()
    for marks, pass_workers in PASSES:
        found.update(_run_pass(suite, pytest_args, marks, pass_workers or workers))
    return found, time.monotonic() - started


def _run_pass(suite: Path, pytest_args: list[str], marks: str, workers: str) -> Outcomes:
    outcomes = suite.with_name(f"{suite.name}-outcomes.jsonl")  # one per configuration
    outcomes.unlink(missing_ok=True)
    command = [
        *(sys.executable, "-m", "pytest", "-p", "FasterAPI.as_fastapi_pytest"),
        *("-p", "fastapi_suite_plugin", "-p", "no:randomly", "-p", "no:sugar"),
        *("-p", "no:cacheprovider", "--continue-on-collection-errors", "-q", "--no-header"),
        *("--tb=no", "-rN"),  # the outcomes say why; `-- --tb=short tests/...` shows tracebacks
        # A test that hangs is ended by pytest-timeout (FastAPI's configured 20 s). The thread
        # method ends even a hang that swallows the signal, by ending the worker process, which
        # pytest-xdist reports as that test's failure and replaces.
        *("--timeout-method=thread", "-n", workers, "--max-worker-restart=1000", "-m", marks),
        *[f"--ignore={path}" for path in RELEASE_SCRIPT_TESTS],
        *(pytest_args or ["tests"]),
    ]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            [
                str(ROOT / "scripts"),
                str(ROOT / "scripts" / "stand_in_site"),  # subprocesses get the stand-in too
                str(suite / "docs_src"),
                os.environ.get("PYTHONPATH", ""),
            ]
        ).rstrip(os.pathsep),
        "FASTAPI_SUITE_OUTCOMES": str(outcomes),
    }
    print(f"== pytest -m {marks!r} -n {workers}", flush=True)
    status = subprocess.run(command, cwd=suite, env=env, check=False).returncode
    if status not in (0, 1, 5) or not outcomes.is_file():  # interrupted, internal, usage error
        raise SystemExit(f"pytest did not complete the run (exit status {status}): see above")
    return read_outcomes(outcomes)


def derived_reason(reason: str) -> str:
    """A new entry's reason: the failure's, marked ``internals:`` when it comes from FastAPI's
    internals."""
    if reason.startswith("internals: ") or not _INTERNALS.search(reason):
        return reason
    return f"internals: {reason}"


def summary(outcomes: Outcomes, elapsed: float, with_starlette: bool = False) -> str:
    """One line: tests run, passed (with the rate), failed...; modules that did not import."""
    where = " (Starlette installed)" if with_starlette else ""
    return suite_summary(f"FastAPI {VERSION} suite on FasterAPI{where}", outcomes, elapsed)


def main(argv: list[str] | None = None) -> int:
    """Fetch, run, compare (or ``--update``); 0 when the outcomes match the expectations."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--update", action="store_true", help="rewrite the expectations file")
    parser.add_argument("--workers", default="2", help="pytest-xdist workers (at least 1)")
    parser.add_argument(
        "--with-starlette",
        action="store_true",
        help="where Starlette is installed (kept by the stand-in): expectations-starlette.toml",
    )
    parser.add_argument("pytest_args", nargs="*", help="after --: what pytest runs instead")
    args = parser.parse_args(argv)
    if not args.workers.isdigit() or int(args.workers) < 1:
        parser.error("--workers must be at least 1 (a test that hangs ends its worker)")
    configuration = Configuration(args.with_starlette)
    configuration.check_installed()
    suite = extract(fetch(SDIST), SDIST, EXTRACTED, configuration.suite)
    outcomes, elapsed = run_suite(suite, args.pytest_args, args.workers)
    print(summary(outcomes, elapsed, args.with_starlette))
    return check_or_update(
        outcomes,
        configuration.expectations,
        configuration.header,
        update=args.update,
        complete=not args.pytest_args,
        update_command=f"hatch run {configuration.env}:update",
        derive=derived_reason,
    )


if __name__ == "__main__":
    sys.exit(main())
