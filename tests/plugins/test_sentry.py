"""sentry-sdk on FastAPI and on FasterAPI: each scenario of ``scenarios_sentry.py`` must give the
same records on both (``differential.py``)."""

from __future__ import annotations

import pytest
from differential import compare, scenario_params

MODULE = "scenarios_sentry"
#: Scenarios that do not pass yet, with why (strict xfail: remove an entry when it passes).
KNOWN_GAPS: dict[str, str] = {
    "errors_and_transactions": (
        "sentry_sdk.init raises: its FastAPI integration, enabled by default, patches "
        "fastapi.routing.get_request_handler, which the stand-in does not provide"
    ),
    "without_the_fastapi_integration": (
        "no error is captured: sentry's Starlette integration patches Starlette's "
        "ServerErrorMiddleware and ExceptionMiddleware, which a FasterAPI app does not run"
    ),
}


@pytest.mark.parametrize("scenario", scenario_params(MODULE, KNOWN_GAPS))
def test_sentry_answers_as_on_fastapi(scenario: str) -> None:
    compare(MODULE, scenario)
