"""The refusal of ``pydantic.v1`` models, as FastAPI 0.165 refuses them.

A ``pydantic.v1`` model given as a parameter, body, response model, model of an additional
response (also inside a union or a sequence) raises :class:`PydanticV1NotSupportedError` at
registration, and so does one given to ``jsonable_encoder``. Nothing is looked at unless the
application imported ``pydantic.v1``.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, NoReturn, Union, get_args, get_origin

from fasterapi_core.exceptions import PydanticV1NotSupportedError

__all__ = ["PydanticV1Refusal", "annotation_has_pydantic_v1", "refuse_pydantic_v1_instance"]


def _v1_base() -> type | None:
    """``pydantic.v1.BaseModel`` when the application imported it, else None."""
    v1 = sys.modules.get("pydantic.v1")
    base = getattr(v1, "BaseModel", None)
    return base if isinstance(base, type) else None


def _is_v1_class(candidate: Any, base: type) -> bool:
    return isinstance(candidate, type) and issubclass(candidate, base)


def _contains(annotation: Any, base: type) -> bool:
    if _is_v1_class(annotation, base):
        return True
    origin = get_origin(annotation)
    if origin is Annotated:
        return _contains(get_args(annotation)[0], base)
    if origin in (Union, types.UnionType) or (
        isinstance(origin, type) and issubclass(origin, Sequence | Mapping | set | frozenset)
    ):
        return any(_contains(arg, base) for arg in get_args(annotation))
    return False


def annotation_has_pydantic_v1(annotation: Any) -> bool:
    """True when ``annotation`` is a ``pydantic.v1`` model, or one inside a union, an
    ``Annotated``, a sequence or a mapping."""
    base = _v1_base()
    return base is not None and _contains(annotation, base)


def _refuse(what: Any, kind: str) -> NoReturn:
    raise PydanticV1NotSupportedError(
        f"pydantic.v1 models are no longer supported by FasterAPI (nor FastAPI)."
        f" Please update the {kind} {what!r} to a pydantic v2 model."
    )


def refuse_pydantic_v1_instance(obj: Any) -> None:
    """Raise :class:`PydanticV1NotSupportedError` when ``obj`` is a ``pydantic.v1`` model."""
    base = _v1_base()
    if base is not None and isinstance(obj, base):
        _refuse(obj, "model")


class PydanticV1Refusal:
    """A model adapter that claims no annotation but refuses those holding a ``pydantic.v1``
    model: every registration path (parameters, bodies, response models, the OpenAPI models of
    additional responses) asks the adapters about its annotations."""

    def matches(self, annotation: Any) -> bool:
        """False, or :class:`PydanticV1NotSupportedError` for a ``pydantic.v1`` model."""
        if annotation_has_pydantic_v1(annotation):
            _refuse(annotation, "model")
        return False

    def body_validator(self, annotation: Any, constraints: Any, loc: Any) -> NoReturn:
        """Never called: :meth:`matches` claims nothing."""
        _refuse(annotation, "model")

    def serializer(self, annotation: Any, options: Any) -> NoReturn:
        """Never called: :meth:`matches` claims nothing."""
        _refuse(annotation, "model")

    def json_schema(self, annotation: Any, ref_template: str) -> NoReturn:
        """Never called: :meth:`matches` claims nothing."""
        _refuse(annotation, "model")
