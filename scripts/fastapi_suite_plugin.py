"""pytest plugin of ``scripts/fastapi_suite.py``: every test's outcome, one JSON line each.

Loaded with ``-p fastapi_suite_plugin`` (``scripts/`` on ``PYTHONPATH``); writes to the file
named by ``$FASTAPI_SUITE_OUTCOMES``. Under pytest-xdist only the controller writes (it sees
every worker's reports). A line is ``{"nodeid", "outcome", "reason"}``: the outcome is
``passed``, ``failed``, ``error`` (setup, teardown or collection), ``skipped``, ``xfailed`` or
``xpassed``; the reason, for the ones that did not pass, is the exception type and the first line
of its message (``AssertionError: assert 422 == 200``). It also collects each test's garbage
at its teardown, so that the outcomes do not depend on which tests ran before on a worker.
"""

from __future__ import annotations

import gc
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

__all__ = ["ENV", "failure_reason", "pytest_runtest_teardown"]

ENV = "FASTAPI_SUITE_OUTCOMES"
REASON_LENGTH = 200
_EXCEPTION_LINE = re.compile(r"^E\s+((?:[\w.]+\.)?\w*(?:Error|Exception|Exit|Warning|Failed)\b.*)$")
_ADDRESS = re.compile(r"0x[0-9a-f]{6,}")
_STAND_IN_SUFFIX = " (FasterAPI.as_fastapi; docs/coming-from-fastapi.md)"
_outcomes: dict[str, dict[str, str]] = {}
_collection_errors: dict[str, str] = {}


def failure_reason(longrepr: Any) -> str:
    """``"ExceptionType: first line of its message"`` from a report's ``longrepr`` (memory
    addresses masked, so that the reason of a failure does not change from run to run)."""
    crash = getattr(longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(longrepr)
    lines = [line for line in text.splitlines() if line.strip()]
    if crash is None:
        found = [m.group(1) for m in map(_EXCEPTION_LINE.match, lines) if m]
        lines = found[-1:] or lines[-1:]
    elif len(lines) > 1 and lines[0].endswith("Traceback (most recent call last):"):
        lines = lines[-1:]  # a subprocess's traceback in the message: its last line says it
    reason = lines[0].strip() if lines else "failed without a message"
    if "crashed while running" in reason:  # pytest-xdist's report of a worker that ended
        reason = "hangs: ended by FastAPI's 20 s test timeout (pytest-timeout)"
    reason = _ADDRESS.sub("0x...", reason.replace(_STAND_IN_SUFFIX, ""))
    return reason if len(reason) <= REASON_LENGTH else reason[: REASON_LENGTH - 3] + "..."


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    """Remember whether this process is an xdist worker (which must not write)."""
    config.stash[_WORKER] = _is_worker(config)


_WORKER = pytest.StashKey[bool]()


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    """Collect the test's garbage after its fixtures are torn down and before pytest looks for
    unraisable exceptions (its own ``trylast`` hook, registered earlier, runs after this one):
    an object that fails when collected (a ``yield`` dependency never closed...) then fails the
    test that made it, not whichever test runs when the garbage collector next happens to.
    What survives is frozen (``gc.freeze``): each collection only scans the objects the next
    test creates, a fraction of a millisecond instead of tens."""
    gc.collect()
    gc.freeze()


def pytest_collectreport(report: pytest.CollectReport) -> None:
    """A test module that fails to import (or to collect) is one ``error`` entry."""
    if report.failed:
        _collection_errors.setdefault(report.nodeid, failure_reason(report.longrepr))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Merge the setup, call and teardown reports of each test into one outcome."""
    current = _outcomes.get(report.nodeid)
    if current is not None and current["outcome"] in ("failed", "error"):
        return  # the first failure is the one that counts
    wasxfail = hasattr(report, "wasxfail")
    if report.failed:
        outcome = "failed" if report.when == "call" else "error"
        entry = {"outcome": outcome, "reason": failure_reason(report.longrepr)}
    elif report.skipped:
        entry = {"outcome": "xfailed" if wasxfail else "skipped", "reason": ""}
    elif report.when == "call":
        entry = {"outcome": "xpassed" if wasxfail else "passed", "reason": ""}
    else:
        return  # a passing setup or teardown says nothing new
    if current is not None and current["outcome"] in ("skipped", "xfailed") and not report.failed:
        return
    _outcomes[report.nodeid] = entry


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write every outcome to ``$FASTAPI_SUITE_OUTCOMES`` (the controller only)."""
    target = os.environ.get(ENV)
    if not target or session.config.stash.get(_WORKER, False):
        return
    with Path(target).open("w") as out:
        for nodeid, reason in sorted(_collection_errors.items()):
            out.write(json.dumps({"nodeid": nodeid, "outcome": "error", "reason": reason}) + "\n")
        for nodeid, entry in sorted(_outcomes.items()):
            out.write(json.dumps({"nodeid": nodeid, **entry}) + "\n")
