"""sentry-sdk on FastAPI and on FasterAPI: each scenario of ``scenarios_sentry.py`` must give the
same records on both (``differential.py``)."""

from __future__ import annotations

import pytest
from differential import compare, scenario_params

MODULE = "scenarios_sentry"
#: Scenarios that do not pass yet, with why (strict xfail: remove an entry when it passes).
KNOWN_GAPS: dict[str, str] = {}


@pytest.mark.parametrize("scenario", scenario_params(MODULE, KNOWN_GAPS))
def test_sentry_answers_as_on_fastapi(scenario: str) -> None:
    compare(MODULE, scenario)
