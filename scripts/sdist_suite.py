"""A project's own test suite, taken from its source distribution, run on FasterAPI and compared
with an expectations file: the parts ``fastapi_suite.py`` and ``plugin_suites.py`` share.

* :func:`fetch` downloads a source distribution from PyPI (its JSON simple API) into ``.cache/``
  and checks it against a pinned sha256; :func:`extract` takes the test files out of it.
* :func:`read_outcomes` reads what ``fastapi_suite_plugin.py`` recorded (one JSON line a test).
* An expectations file lists every test that does not pass, ``"node id" = "why"`` under
  ``[failing]``: :func:`compare` tells every difference from a run, :func:`updated` gives the
  list after a run (the reasons of entries that still fail kept), :func:`write_expectations`
  writes it.

Only the standard library is used here.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tarfile
import tempfile
import tomllib
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache"
#: The outcomes that count as passing (a skip or an xfail is the suite's own decision).
PASSING = frozenset({"passed", "skipped", "xfailed", "xpassed"})

Outcomes = dict[str, dict[str, str]]


@dataclass(frozen=True)
class Sdist:
    """One source distribution on PyPI, pinned by its sha256."""

    project: str  #: the PyPI project name (``fastapi-users``)
    filename: str  #: ``fastapi_users-15.0.5.tar.gz``
    sha256: str

    @property
    def root(self) -> str:
        """The folder every member of the archive is under (``fastapi_users-15.0.5``)."""
        return self.filename.removesuffix(".tar.gz")


def sha256(path: Path) -> str:
    """The hex sha256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch(sdist: Sdist) -> Path:
    """The verified sdist, downloaded into ``.cache/`` unless already there."""
    target = CACHE / sdist.filename
    if target.is_file() and sha256(target) == sdist.sha256:
        return target
    request = urllib.request.Request(
        f"https://pypi.org/simple/{sdist.project}/",
        headers={"Accept": "application/vnd.pypi.simple.v1+json"},
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        files = json.load(answer)["files"]
    url = next(f["url"] for f in files if f["filename"] == sdist.filename)
    CACHE.mkdir(exist_ok=True)
    with urllib.request.urlopen(url, timeout=120) as answer:
        body = answer.read()
    if hashlib.sha256(body).hexdigest() != sdist.sha256:
        raise SystemExit(f"{sdist.filename} from {url} does not have the pinned sha256")
    # Written aside, then renamed: a run started meanwhile never reads half an archive.
    with tempfile.NamedTemporaryFile(dir=CACHE, suffix=".part", delete=False) as part:
        part.write(body)
    Path(part.name).replace(target)
    return target


def extract(archive: Path, sdist: Sdist, wanted: tuple[str, ...], target: Path) -> Path:
    """The members of ``archive`` under the ``wanted`` prefixes (``tests/``, ``pyproject.toml``),
    freshly in ``target`` (some tests write files in the working directory: each run starts
    from the sdist)."""
    shutil.rmtree(target, ignore_errors=True)
    prefix = f"{sdist.root}/"
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp, tarfile.open(archive) as opened:
        members = [m for m in opened.getmembers() if m.name.removeprefix(prefix).startswith(wanted)]
        opened.extractall(tmp, members=members, filter="data")
        Path(tmp, prefix).rename(target)
    return target


def read_outcomes(path: Path) -> Outcomes:
    """``{nodeid: {"outcome", "reason"}}`` from the JSON lines ``fastapi_suite_plugin`` wrote."""
    found = {}
    for line in path.read_text().splitlines():
        entry = json.loads(line)
        found[entry.pop("nodeid")] = entry
    return found


def load_expectations(path: Path) -> dict[str, str]:
    """``{nodeid: reason}`` of an expectations file (empty if there is none yet)."""
    if not path.is_file():
        return {}
    failing: dict[str, str] = tomllib.loads(path.read_text()).get("failing", {})
    return failing


def write_expectations(path: Path, header: str, failing: dict[str, str]) -> None:
    """Rewrite an expectations file: ``header`` (comment lines), then the entries by node id."""
    lines = [header, "[failing]"]
    lines += [
        f"{json.dumps(nodeid)} = {json.dumps(reason)}" for nodeid, reason in sorted(failing.items())
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")


def compare(outcomes: Outcomes, expected: dict[str, str], complete: bool) -> list[str]:
    """Every difference between the outcomes and the expectations, one line each; ``complete``
    when the whole suite ran (a listed test that did not run is then a difference too)."""
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
    outcomes: Outcomes,
    expected: dict[str, str],
    complete: bool,
    derive: Callable[[str], str] = str,
) -> dict[str, str]:
    """The expectations after this run: failing tests keep their reason or get
    ``derive(failure reason)``."""
    failing = {} if complete else {k: v for k, v in expected.items() if k not in outcomes}
    for nodeid, entry in outcomes.items():
        if entry["outcome"] not in PASSING:
            failing[nodeid] = expected.get(nodeid) or derive(entry["reason"])
    return failing


def summary(label: str, outcomes: Outcomes, elapsed: float) -> str:
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
        f"{label}: {run} tests run, {counts['passed']} passed "
        f"({rate:.1f}% of passed+failed+error), {parts}; {len(modules)} test modules did not "
        f"import or collect; {elapsed:.0f} s"
    )


def check_or_update(
    outcomes: Outcomes,
    expectations: Path,
    header: str,
    *,
    update: bool,
    complete: bool,
    update_command: str,
    derive: Callable[[str], str] = str,
) -> int:
    """Rewrite ``expectations`` (``update``) or print every difference from it; the exit
    status: 1 when a check finds a difference."""
    expected = load_expectations(expectations)
    shown = expectations.relative_to(ROOT) if expectations.is_relative_to(ROOT) else expectations
    if update:
        failing = updated(outcomes, expected, complete, derive)
        write_expectations(expectations, header, failing)
        print(f"wrote {len(failing)} entries to {shown}")
        return 0
    problems = compare(outcomes, expected, complete)
    for problem in problems:
        print(problem)
    if problems:
        print(
            f"{len(problems)} differences from {shown}; "
            f"fix them or run `{update_command}` and review the diff"
        )
        return 1
    print(f"outcomes match {shown} ({len(expected)} listed)")
    return 0
