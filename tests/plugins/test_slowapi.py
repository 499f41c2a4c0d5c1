"""slowapi on FastAPI and on FasterAPI: each scenario of ``scenarios_slowapi.py`` must give the
same statuses, rate-limit headers and bodies on both (``differential.py``)."""

from __future__ import annotations

import pytest
from differential import compare, scenario_params

MODULE = "scenarios_slowapi"
_REQUEST = (
    "slowapi's limit decorator checks isinstance(request, starlette.requests.Request): FasterAPI "
    "passes its own Request to endpoints"
)
#: Scenarios that do not pass yet, with why (strict xfail: remove an entry when it passes).
KNOWN_GAPS: dict[str, str] = {
    name: _REQUEST
    for name in (
        "limit_per_route",
        "limit_per_key_with_a_custom_key_function",
        "limit_keyed_per_route_call",
        "default_limits_and_exempt_routes_with_the_middleware",
        "shared_limit",
        "error_message_cost_and_methods",
        "exempt_when",
        "custom_error_handler",
        "rate_limit_headers",
    )
}


@pytest.mark.parametrize("scenario", scenario_params(MODULE, KNOWN_GAPS))
def test_slowapi_answers_as_on_fastapi(scenario: str) -> None:
    compare(MODULE, scenario)
