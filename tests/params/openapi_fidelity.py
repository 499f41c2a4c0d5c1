"""Compare the OpenAPI documents of a :class:`~fidelity.Pair` (all but ``info``, whose default
title differs by design)."""

from typing import Any

from fidelity import Pair

__all__ = ["same_openapi"]


def same_openapi(both: Pair) -> dict[str, Any]:
    """Assert both documents have the same paths and components; return ours."""
    ours = both.ours.get("/openapi.json").json()
    theirs = both.theirs.get("/openapi.json").json()
    assert ours["paths"] == theirs["paths"]
    assert ours.get("components") == theirs.get("components")
    return dict(ours)
