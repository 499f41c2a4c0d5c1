"""A route's description stops at the first form feed (``\\f``), as in FastAPI: what follows
is for the code's readers (Sphinx fields...), not for the API's."""

from typing import Any

import fastapi

import FasterAPI


def build(app_cls: Any) -> Any:
    app = app_cls()

    @app.get("/doc")
    def from_docstring() -> None:
        """Read an item.

        More text.
        \f
        :param item_id: internal
        """

    @app.get("/explicit", description="Shown\fhidden")
    def explicit() -> None:
        """Not used."""

    return app


def test_descriptions_match_fastapi() -> None:
    ours = build(FasterAPI.Faster).openapi()["paths"]
    theirs = build(fastapi.FastAPI).openapi()["paths"]
    assert ours == theirs
    assert ours["/doc"]["get"]["description"] == "Read an item.\n\nMore text."
    assert ours["/explicit"]["get"]["description"] == "Shown"
