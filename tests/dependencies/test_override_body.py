"""The body parameters of a dependency an override replaces are not read (FastAPI reads each
solved dependency's own): a request made for the replacement is not refused for what the
original needed. JSON and form bodies, compared with FastAPI."""

from types import ModuleType
from typing import Annotated, Any

import pytest
from fidelity import Pair


def make_app(fw: ModuleType) -> Any:
    app = fw.FastAPI()

    def original(token: Annotated[int, fw.Body()]) -> str:
        return f"original {token}"

    def replacement(page: Annotated[int, fw.Body()] = 1) -> str:
        return f"replacement {page}"

    def form_original(secret: Annotated[str, fw.Form()]) -> str:
        return secret

    def form_replacement(page: Annotated[int, fw.Form()]) -> str:
        return f"page {page}"

    @app.post("/json")
    def json_route(
        value: Annotated[str, fw.Depends(original)], note: Annotated[str, fw.Body()] = "-"
    ) -> dict[str, str]:
        return {"value": value, "note": note}

    @app.post("/form")
    def form_route(
        value: Annotated[str, fw.Depends(form_original)], name: Annotated[str, fw.Form()]
    ) -> dict[str, str]:
        return {"value": value, "name": name}

    app.dependency_overrides[original] = replacement
    app.dependency_overrides[form_original] = form_replacement
    return app


@pytest.fixture(scope="module")
def pair() -> Pair:
    return Pair(make_app)


@pytest.mark.parametrize(
    "body", [{}, {"note": "n"}, {"page": 3}, {"token": "x", "page": 2}, {"page": "x"}]
)
def test_json_body_of_the_replacement_only(pair: Pair, body: dict[str, Any]) -> None:
    pair.post("/json", json=body)


@pytest.mark.parametrize(
    "data", [{"name": "a"}, {"name": "a", "page": "2"}, {"page": "2"}, {"secret": "s"}]
)
def test_form_fields_of_the_replacement_only(pair: Pair, data: dict[str, str]) -> None:
    pair.post("/form", data=data)
