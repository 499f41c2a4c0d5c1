"""FastAPI 0.165.0's own test suite run on FasterAPI through the ``fastapi`` stand-in.

    hatch run fastapi-suite:check     # fails when the outcomes differ from the expectations
    hatch run fastapi-suite:update    # rewrites tests/fastapi_suite/expectations.toml

1. Fetches FastAPI's source distribution from PyPI (its JSON simple API), checks it against the
   sha256 pinned below, and extracts its ``tests/``, ``docs_src/`` and ``pyproject.toml`` (not the
   ``fastapi`` package: FasterAPI stands in for it) into ``.cache/fastapi-0.165.0/``.
2. Runs that ``tests/`` folder, less the two files that test FastAPI's release scripts, with
   ``pytest -p FasterAPI.as_fastapi_pytest`` (FastAPI's own pytest configuration, pytest-xdist
   ``-n 2`` and ``-p no:randomly``), in an environment without fastapi and starlette
   (``[envs.fastapi-suite]``), recording each test's outcome (``fastapi_suite_plugin.py``).
3. Compares with ``tests/fastapi_suite/expectations.toml``, which lists every test that does not
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
import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERSION = "0.165.0"
SDIST = f"fastapi-{VERSION}.tar.gz"
SHA256 = "dd94d4128319c1e1d50535ab023ab698f850a4d2822f0e181747b46f4ff3c0ab"
INDEX = "https://pypi.org/simple/fastapi/"
CACHE = ROOT / ".cache"
SUITE = CACHE / f"fastapi-{VERSION}"
EXTRACTED = ("tests/", "docs_src/", "pyproject.toml")
#: The files that test FastAPI's release tooling (its ``scripts/``), not the framework.
RELEASE_SCRIPT_TESTS = ("tests/test_prepare_release.py", "tests/test_translate.py")
EXPECTATIONS = ROOT / "tests" / "fastapi_suite" / "expectations.toml"
PASSING = {"passed", "skipped", "xfailed", "xpassed"}
#: Failures that come from FastAPI's internals (its reason then starts with "internals:"): a
#: private name or module, its dependency-injection helpers, a private attribute, or a module
#: attribute the stand-in lacks read (or monkeypatched) by the test.
_INTERNALS = re.compile(
    r"\bfastapi(?:\.\w+)*\._\w+"
    r"|\bfastapi\.dependencies\.\w+\.\w+ is not supported"
    r"|^AttributeError: \S+ is not supported by FasterAPI's"
    r"|has no attribute '_\w+'"
)
HEADER = f"""\
# FastAPI {VERSION}'s tests that do not pass on FasterAPI through the fastapi stand-in.
# Checked by `hatch run fastapi-suite:check` (scripts/fastapi_suite.py); rewritten, keeping the
# reasons of the entries that still fail, by `hatch run fastapi-suite:update`. One entry per test
# (or per test module that fails to import): "node id" = "why". A reason starting with
# "internals:" marks a test of FastAPI's private internals, which the stand-in does not provide.
"""


def fetch() -> Path:
    """The verified sdist, downloaded into ``.cache/`` unless already there."""
    target = CACHE / SDIST
    if not (target.is_file() and _sha256(target) == SHA256):
        request = urllib.request.Request(
            INDEX, headers={"Accept": "application/vnd.pypi.simple.v1+json"}
        )
        with urllib.request.urlopen(request, timeout=60) as answer:
            files = json.load(answer)["files"]
        url = next(f["url"] for f in files if f["filename"] == SDIST)
        CACHE.mkdir(exist_ok=True)
        with urllib.request.urlopen(url, timeout=120) as answer:
            target.write_bytes(answer.read())
        if _sha256(target) != SHA256:
            target.unlink()
            raise SystemExit(f"{SDIST} from {url} does not have the pinned sha256 {SHA256}")
    return target


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def extract(sdist: Path) -> Path:
    """``tests/``, ``docs_src/`` and ``pyproject.toml`` of the sdist, freshly in ``SUITE``
    (some tests write files in the working directory: each run starts from the sdist)."""
    shutil.rmtree(SUITE, ignore_errors=True)
    prefix = f"fastapi-{VERSION}/"
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp, tarfile.open(sdist) as archive:
        members = [
            m for m in archive.getmembers() if m.name.removeprefix(prefix).startswith(EXTRACTED)
        ]
        archive.extractall(tmp, members=members, filter="data")
        Path(tmp, prefix).rename(SUITE)
    return SUITE


#: Two passes: the tests FastAPI groups as sharing the working directory (``workdir_lock``: they
#: write files there) run on one worker, after the others, which run on ``--workers``.
PASSES = (("not xdist_group", None), ("xdist_group", "1"))


def run_suite(
    suite: Path, pytest_args: list[str], workers: str
) -> tuple[dict[str, dict[str, str]], float]:
    """Run the suite; ``{nodeid: {"outcome", "reason"}}`` and the wall time in seconds."""
    for name in ("fastapi", "starlette"):
        if importlib.util.find_spec(name) is not None:
            raise SystemExit(f"{name} is installed here: run this in `hatch run fastapi-suite:...`")
    found: dict[str, dict[str, str]] = {}
    started = time.monotonic()
    for marks, pass_workers in PASSES:
        found.update(_run_pass(suite, pytest_args, marks, pass_workers or workers))
    return found, time.monotonic() - started


def _run_pass(
    suite: Path, pytest_args: list[str], marks: str, workers: str
) -> dict[str, dict[str, str]]:
    outcomes = CACHE / "fastapi-suite-outcomes.jsonl"
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
            [str(ROOT / "scripts"), str(suite / "docs_src"), os.environ.get("PYTHONPATH", "")]
        ).rstrip(os.pathsep),
        "FASTAPI_SUITE_OUTCOMES": str(outcomes),
    }
    print(f"== pytest -m {marks!r} -n {workers}", flush=True)
    status = subprocess.run(command, cwd=suite, env=env, check=False).returncode
    if status not in (0, 1, 5) or not outcomes.is_file():  # interrupted, internal, usage error
        raise SystemExit(f"pytest did not complete the run (exit status {status}): see above")
    found = {}
    for line in outcomes.read_text().splitlines():
        entry = json.loads(line)
        found[entry.pop("nodeid")] = entry
    return found


def load_expectations() -> dict[str, str]:
    """``{nodeid: reason}`` of the committed expectations (empty if there are none yet)."""
    if not EXPECTATIONS.is_file():
        return {}
    failing: dict[str, str] = tomllib.loads(EXPECTATIONS.read_text()).get("failing", {})
    return failing


def write_expectations(failing: dict[str, str]) -> None:
    """Rewrite the expectations file, entries sorted by node id."""
    lines = [HEADER, "[failing]"]
    lines += [
        f"{json.dumps(nodeid)} = {json.dumps(reason)}" for nodeid, reason in sorted(failing.items())
    ]
    EXPECTATIONS.parent.mkdir(parents=True, exist_ok=True)
    EXPECTATIONS.write_text("\n".join(lines) + "\n")


def derived_reason(reason: str) -> str:
    """A new entry's reason: the failure's, marked ``internals:`` when it comes from FastAPI's
    internals."""
    if reason.startswith("internals: ") or not _INTERNALS.search(reason):
        return reason
    return f"internals: {reason}"


def compare(
    outcomes: dict[str, dict[str, str]], expected: dict[str, str], complete: bool
) -> list[str]:
    """Every difference between the outcomes and the expectations, one line each."""
    problems = []
    for nodeid, entry in sorted(outcomes.items()):
        failed = entry["outcome"] not in PASSING
        if failed and nodeid not in expected:
            problems.append(f"fails, not listed: {nodeid} ({entry['outcome']}: {entry['reason']})")
        elif not failed and nodeid in expected:
            problems.append(f"listed, but {entry['outcome']}: {nodeid}")
    if complete:
        for nodeid in sorted(set(expected) - set(outcomes)):
            problems.append(f"listed, but did not run: {nodeid}")
    return problems


def updated(
    outcomes: dict[str, dict[str, str]], expected: dict[str, str], complete: bool
) -> dict[str, str]:
    """The expectations after this run: failing tests keep their reason or get a derived one."""
    failing = {} if complete else {k: v for k, v in expected.items() if k not in outcomes}
    for nodeid, entry in outcomes.items():
        if entry["outcome"] not in PASSING:
            failing[nodeid] = expected.get(nodeid) or derived_reason(entry["reason"])
    return failing


def summary(outcomes: dict[str, dict[str, str]], elapsed: float) -> str:
    """One line: tests run, passed (with the rate), failed...; modules that did not import."""
    modules = [n for n in outcomes if "::" not in n]
    counts = Counter(e["outcome"] for n, e in outcomes.items() if "::" in n)
    run = sum(counts.values())
    judged = counts["passed"] + counts["failed"] + counts["error"]
    rate = 100 * counts["passed"] / judged if judged else 0.0
    parts = ", ".join(
        f"{counts[k]} {k}" for k in ("failed", "error", "skipped", "xfailed", "xpassed")
    )
    return (
        f"FastAPI {VERSION} suite on FasterAPI: {run} tests run, {counts['passed']} passed "
        f"({rate:.1f}% of passed+failed+error), {parts}; {len(modules)} test modules did not "
        f"import or collect; {elapsed:.0f} s"
    )


def main(argv: list[str] | None = None) -> int:
    """Fetch, run, compare (or ``--update``); 0 when the outcomes match the expectations."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--update", action="store_true", help="rewrite the expectations file")
    parser.add_argument("--workers", default="2", help="pytest-xdist workers (at least 1)")
    parser.add_argument("pytest_args", nargs="*", help="after --: what pytest runs instead")
    args = parser.parse_args(argv)
    if not args.workers.isdigit() or int(args.workers) < 1:
        parser.error("--workers must be at least 1 (a test that hangs ends its worker)")
    suite = extract(fetch())
    outcomes, elapsed = run_suite(suite, args.pytest_args, args.workers)
    complete = not args.pytest_args
    expected = load_expectations()
    print(summary(outcomes, elapsed))
    if args.update:
        failing = updated(outcomes, expected, complete)
        write_expectations(failing)
        print(f"wrote {len(failing)} entries to {EXPECTATIONS.relative_to(ROOT)}")
        return 0
    problems = compare(outcomes, expected, complete)
    for problem in problems:
        print(problem)
    if problems:
        print(
            f"{len(problems)} differences from {EXPECTATIONS.relative_to(ROOT)}; "
            "fix them or run `hatch run fastapi-suite:update` and review the diff"
        )
        return 1
    print(f"outcomes match {EXPECTATIONS.relative_to(ROOT)} ({len(expected)} listed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
