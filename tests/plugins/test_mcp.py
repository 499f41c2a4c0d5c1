"""fastapi-mcp on FastAPI and on FasterAPI: each scenario of ``scenarios_mcp.py`` must give the
same records on both (``differential.py``)."""

from __future__ import annotations

import pytest
from differential import compare, scenario_params

MODULE = "scenarios_mcp"
#: Scenarios that do not pass yet, with why (strict xfail: remove an entry when it passes).
KNOWN_GAPS: dict[str, str] = {
    "full_response_schemas": (
        "FasterAPI's OpenAPI orders a schema's keys otherwise than FastAPI (pydantic): a model's "
        "properties, required, title, type (FastAPI: properties, type, required, title), a "
        "field's title before its type; describe_full_response_schema copies the schemas into "
        "tool descriptions as JSON text"
    ),
}


@pytest.mark.parametrize("scenario", scenario_params(MODULE, KNOWN_GAPS))
def test_mcp_answers_as_on_fastapi(scenario: str) -> None:
    compare(MODULE, scenario)
