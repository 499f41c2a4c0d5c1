"""Property-based run of schemathesis against the example app: no input makes it answer 5xx.

The cases come from the app's own OpenAPI document; the app runs under uvicorn on 127.0.0.1
(so its lifespan runs, as in production). Bounded: 25 examples per operation.
"""

from collections.abc import Iterator

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from examples.notes.app import app as notes_app

schema = schemathesis.openapi.from_dict(notes_app.openapi())


@pytest.fixture(scope="module")
def session() -> Iterator[requests.Session]:
    with requests.Session() as http:
        http.trust_env = False  # never through a proxy: the server is on 127.0.0.1
        yield http


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
def test_no_server_errors(case: schemathesis.Case, notes_server: str, session: requests.Session) -> None:
    case.call_and_validate(base_url=notes_server, session=session, checks=[not_a_server_error])
