"""The differential plugin tests' harness (``differential.py``) can fail: a difference between
the sides, a scenario that fails on FastAPI, and a known gap naming no scenario are each
reported; known gaps become strict xfails."""

from __future__ import annotations

from typing import Any

import differential
import pytest
from differential import compare, scenario_params

MODULE = "scenarios_slowapi"  # any module of scenarios: only its names are read here


def _with_records(monkeypatch: pytest.MonkeyPatch, theirs: Any, ours: Any) -> None:
    recorded = {"fastapi": {MODULE: {"s": theirs}}, "fasterapi": {MODULE: {"s": ours}}}
    monkeypatch.setattr(differential, "records", lambda: recorded)


def test_equal_records_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    _with_records(monkeypatch, [{"status": 200}], [{"status": 200}])
    compare(MODULE, "s")


def test_a_difference_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    _with_records(monkeypatch, [{"status": 200}], [{"status": 500}])
    with pytest.raises(AssertionError):
        compare(MODULE, "s")


def test_a_scenario_failing_on_fastapi_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    raised = {"raised": "TypeError: wrong"}
    _with_records(monkeypatch, raised, raised)
    with pytest.raises(AssertionError, match="the scenario fails on FastAPI: TypeError: wrong"):
        compare(MODULE, "s")


def test_known_gaps_are_strict_xfails_of_existing_scenarios() -> None:
    params = scenario_params(MODULE, {"shared_limit": "why"})
    marked = {p.values[0]: p.marks for p in params}
    assert "limit_per_route" in marked and marked["limit_per_route"] == []
    (mark,) = marked["shared_limit"]
    assert (mark.name, mark.kwargs) == ("xfail", {"strict": True, "reason": "why"})
    with pytest.raises(AssertionError, match="no_such_scenario"):
        scenario_params(MODULE, {"no_such_scenario": "why"})
