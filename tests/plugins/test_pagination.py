"""fastapi-pagination on FastAPI and on FasterAPI: each scenario of ``scenarios_pagination.py``
must give the same records on both (``differential.py``)."""

from __future__ import annotations

import pytest
from differential import compare, scenario_params

MODULE = "scenarios_pagination"
#: Scenarios that do not pass yet, with why (strict xfail: remove an entry when it passes).
KNOWN_GAPS: dict[str, str] = dict.fromkeys(
    (
        "page_with_add_pagination",
        "explicit_params",
        "pagination_context_dependency",
        "customized_page",
    ),
    "fastapi_pagination does not import: its api module imports FastAPI's internals "
    "(fastapi.dependencies.utils._get_body_field, fastapi.routing._IncludedRouter) to rewrite "
    "routes in add_pagination",
)


@pytest.mark.parametrize("scenario", scenario_params(MODULE, KNOWN_GAPS))
def test_pagination_answers_as_on_fastapi(scenario: str) -> None:
    compare(MODULE, scenario)
