"""fastapi-pagination on FastAPI and on FasterAPI: each scenario of ``scenarios_pagination.py``
must give the same records on both (``differential.py``)."""

from __future__ import annotations

import pytest
from differential import compare, scenario_params

MODULE = "scenarios_pagination"
#: Scenarios that do not pass yet, with why (strict xfail: remove an entry when it passes).
KNOWN_GAPS: dict[str, str] = {
    "explicit_params": (
        "OpenAPI: FasterAPI documents the description of LimitOffsetParams' fields, declared "
        "`= Query(..., description=...)` in the pydantic model; FastAPI's Query is a pydantic "
        "FieldInfo merged into the model's field, and the signature pydantic builds for the "
        "class (which `Depends()` reads) keeps only its constraints. FasterAPI's Query is not "
        "a FieldInfo: pydantic keeps it as the field's default"
    ),
}


@pytest.mark.parametrize("scenario", scenario_params(MODULE, KNOWN_GAPS))
def test_pagination_answers_as_on_fastapi(scenario: str) -> None:
    compare(MODULE, scenario)
