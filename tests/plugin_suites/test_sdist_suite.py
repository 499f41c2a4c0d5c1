"""The expectations logic shared by scripts/fastapi_suite.py and scripts/plugin_suites.py
(scripts/sdist_suite.py): what a check reports, what an update writes, the summary line."""

from __future__ import annotations

from pathlib import Path

from scripts.sdist_suite import (
    Sdist,
    check_or_update,
    compare,
    load_expectations,
    summary,
    updated,
    write_expectations,
)

OUTCOMES = {
    "tests/test_a.py::test_fails": {"outcome": "failed", "reason": "AssertionError: 1 == 2"},
    "tests/test_a.py::test_passes": {"outcome": "passed", "reason": ""},
    "tests/test_a.py::test_skips": {"outcome": "skipped", "reason": ""},
    "tests/test_b.py": {"outcome": "error", "reason": "ImportError: no module"},
}


def test_compare_reports_unlisted_failures_listed_passes_and_listed_tests_not_run() -> None:
    expected = {
        "tests/test_a.py::test_passes": "was failing",
        "tests/test_b.py": "does not import",
        "tests/test_c.py::test_gone": "not run",
    }
    assert compare(OUTCOMES, expected, complete=True) == [
        "fails, not listed: tests/test_a.py::test_fails (failed: AssertionError: 1 == 2)",
        "listed, but passed: tests/test_a.py::test_passes",
        "listed, but did not run: tests/test_c.py::test_gone",
    ]
    assert compare(OUTCOMES, expected, complete=False) == compare(OUTCOMES, expected, True)[:2]


def test_update_keeps_reasons_and_derives_new_ones() -> None:
    expected = {"tests/test_b.py": "kept reason", "tests/test_c.py::test_other": "not run"}
    assert updated(OUTCOMES, expected, complete=True, derive=lambda r: f"new: {r}") == {
        "tests/test_a.py::test_fails": "new: AssertionError: 1 == 2",
        "tests/test_b.py": "kept reason",
    }
    partial = updated(OUTCOMES, expected, complete=False)
    assert partial["tests/test_c.py::test_other"] == "not run"  # not run here: kept


def test_written_expectations_read_back_and_check(tmp_path: Path) -> None:
    path = tmp_path / "suite.toml"
    failing = {"tests/test_a.py::test_fails": 'quote " and \\ backslash'}
    write_expectations(path, "# header\n", failing)
    assert path.read_text().startswith("# header\n\n[failing]\n")
    assert load_expectations(path) == failing
    failing["tests/test_b.py"] = "does not import"
    write_expectations(path, "# header\n", failing)
    common = {"update": False, "complete": True, "update_command": "hatch run x:update"}
    assert check_or_update(OUTCOMES, path, "# header\n", **common) == 0
    assert check_or_update({**OUTCOMES, "t::new": OUTCOMES["tests/test_b.py"]}, path, "", **common)


def test_summary_and_sdist_root() -> None:
    line = summary("Suite", OUTCOMES, 12.4)
    assert line == (
        "Suite: 3 tests run, 1 passed (50.0% of passed+failed+error), 1 failed, 0 error, "
        "1 skipped, 0 xfailed, 0 xpassed; 1 test modules did not import or collect; 12 s"
    )
    assert Sdist("p", "p_q-1.0.tar.gz", "0").root == "p_q-1.0"
