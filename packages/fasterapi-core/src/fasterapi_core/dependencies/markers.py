"""The marker a parameter declares in ``Annotated``, with FastAPI's rules for combining and
refusing them (its ``AssertionError`` messages, raised when the route is defined).

``Annotated[int, Query(gt=2), Query(lt=10)]`` applies both constraints (pydantic merges the
``FieldInfo`` items, later ones winning); a default goes after ``=``, not into the marker; a
marker is given once, in ``Annotated`` or as the default.
"""

from __future__ import annotations

import inspect
from typing import Any

from fasterapi_core.params import Depends, Param, Path, Required

__all__ = ["ambiguous_marker", "annotated_marker"]

_CONSTRAINTS = (
    "gt",
    "ge",
    "lt",
    "le",
    "multiple_of",
    "min_length",
    "max_length",
    "pattern",
    "max_digits",
    "decimal_places",
)


def annotated_marker(name: str, metadata: list[Any], default: Any) -> Param | Depends | None:
    """The last marker of ``metadata`` (None without one); several ``Param`` markers are
    combined. ``default`` is the parameter's own default (``inspect.Parameter.empty`` for
    none)."""
    markers = [item for item in metadata if isinstance(item, (Param, Depends))]
    if not markers:
        return None
    last = markers[-1]
    if isinstance(last, Depends):
        return last
    assert last.default is Required, (
        f"`{type(last).__name__}` default value cannot be set in `Annotated` for {name!r}. "
        "Set the default value with `=` instead."
    )
    if isinstance(last, Path) and default is not inspect.Parameter.empty:
        raise AssertionError("Path parameters cannot have default values")
    earlier = [item for item in markers[:-1] if isinstance(item, Param)]
    if not earlier:
        return last
    combined = last.with_default(last.default)
    for marker in reversed(earlier):  # the nearest earlier marker first
        for attribute in _CONSTRAINTS:
            if getattr(combined, attribute) is None:
                setattr(combined, attribute, getattr(marker, attribute))
        combined.pydantic_options = {**marker.pydantic_options, **combined.pydantic_options}
    return combined


def ambiguous_marker(name: str, annotated: Param | Depends, default: Param | Depends) -> Exception:
    """The error for a parameter with a marker both in ``Annotated`` and as its default."""
    if isinstance(default, Depends):
        if isinstance(annotated, Depends):
            return AssertionError(
                f"Cannot specify `Depends` in `Annotated` and default value together for {name!r}"
            )
        return AssertionError(
            "Cannot specify a FastAPI annotation in `Annotated` and `Depends` as a default "
            f"value together for {name!r}"
        )
    return AssertionError(
        f"Cannot specify FastAPI annotations in `Annotated` and default value together for {name!r}"
    )
