"""pydantic ``Field(...)`` inside ``Annotated``, beside (or instead of) a FasterAPI marker.

``Annotated[int, Field(alias="item-id"), Query()]`` reads ``item-id``, as in FastAPI, which
merges every ``FieldInfo`` of the annotation into the parameter's. The naming and documenting
keywords (``alias``, ``validation_alias``, ``default_factory``, ``title``...) go to the marker;
the validating ones (``gt``, ``allow_inf_nan``, ``strict``...) stay in the annotation, where
they send the parameter to pydantic (see ``validation.fallback``).
"""

from __future__ import annotations

from typing import Any

from fasterapi_core.params import Param, Required

__all__ = ["is_field_info", "merge_field_infos", "validating_metadata"]

_NAMING = (
    "alias",
    "validation_alias",
    "default_factory",
    "title",
    "description",
    "examples",
    "deprecated",
    "json_schema_extra",
    "validate_default",
)


def is_field_info(item: Any) -> bool:
    """True for a pydantic ``FieldInfo`` that is not one of FasterAPI's own markers."""
    if isinstance(item, Param):
        return False
    cls = type(item)
    return any(c.__name__ == "FieldInfo" and "pydantic" in c.__module__ for c in cls.__mro__)


def merge_field_infos(marker: Param, metadata: list[Any]) -> Param:
    """``marker`` completed with what the ``FieldInfo`` items of ``metadata`` set and the
    marker was not given (a copy; the marker may be shared by several routes)."""
    infos = [item for item in metadata if is_field_info(item)]
    if not infos:
        return marker
    clone = marker.with_default(marker.default)
    for info in infos:
        given = getattr(info, "_attributes_set", {})
        for name in _NAMING:
            if name not in given:
                continue
            value = given[name]
            own = clone.json_schema_extra
            if name == "json_schema_extra" and isinstance(value, dict) and isinstance(own, dict):
                clone.json_schema_extra = {**value, **own}  # merged, the marker's winning
                continue
            if name in marker.explicit:
                continue
            if name == "default_factory":
                if clone.default is Required and clone.default_factory is None:
                    clone.default_factory = value
            elif name == "alias":
                clone.alias = value
            elif name == "validation_alias":
                clone.validation_alias = value
                if isinstance(value, str) and value:
                    clone.alias = value
            else:
                setattr(clone, name, value)
    return clone


def validating_metadata(item: Any) -> list[Any]:
    """What of a ``FieldInfo`` validates (its constraints, ``strict``, ``allow_inf_nan``...),
    as ``Annotated`` metadata; other metadata items are returned as they are."""
    if not is_field_info(item):
        return [item]
    out = list(getattr(item, "metadata", ()))
    discriminator = getattr(item, "discriminator", None)
    if discriminator is not None:
        import pydantic

        out.append(pydantic.Field(discriminator=discriminator))
    return out
