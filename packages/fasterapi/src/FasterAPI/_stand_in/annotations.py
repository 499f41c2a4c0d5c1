"""The annotation helpers of ``fastapi._compat`` that plugins import, with FasterAPI's
:class:`~fasterapi_core.datastructures.UploadFile`.

They answer questions about type annotations ("is this a sequence of bytes?") the way FastAPI
does; ``PYDANTIC_VERSION_MINOR_TUPLE`` is in :mod:`.pydantic_version` (it needs pydantic).
"""

from __future__ import annotations

import types
import typing
from collections import deque
from collections.abc import Sequence
from typing import Annotated, Any, TypeGuard, TypeVar, Union, get_args, get_origin

from fasterapi_core.datastructures import UploadFile

__all__ = [
    "field_annotation_is_sequence",
    "is_bytes_or_nonable_bytes_annotation",
    "is_bytes_sequence_annotation",
    "is_uploadfile_or_nonable_uploadfile_annotation",
    "is_uploadfile_sequence_annotation",
    "lenient_issubclass",
    "sequence_types",
    "value_is_sequence",
]

_T = TypeVar("_T")
_UNIONS: tuple[Any, ...] = (Union, types.UnionType)
_GENERIC_ALIASES: tuple[type[Any], ...] = (
    typing._GenericAlias,  # type: ignore[attr-defined]
    types.GenericAlias,
    types.UnionType,
)

sequence_types: tuple[type[Any], ...] = (Sequence, list, tuple, set, frozenset, deque)
"""The classes whose annotations FastAPI treats as sequences (repeated query values...)."""


def lenient_issubclass(
    cls: Any, class_or_tuple: type[_T] | tuple[type[_T], ...]
) -> TypeGuard[type[_T]]:
    """``issubclass`` that answers False for anything that is not a class."""
    try:
        return isinstance(cls, type) and issubclass(cls, class_or_tuple)
    except TypeError:
        if isinstance(cls, _GENERIC_ALIASES):
            return False
        raise


def _annotation_is_sequence(annotation: object) -> bool:
    if lenient_issubclass(annotation, (str, bytes)):
        return False
    return lenient_issubclass(annotation, sequence_types)


def field_annotation_is_sequence(annotation: object) -> bool:
    """True for ``list[int]``, ``tuple[str, ...]``, ``Optional[set[str]]``... (not ``str``)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return field_annotation_is_sequence(get_args(annotation)[0])
    if origin in _UNIONS:
        return any(field_annotation_is_sequence(arg) for arg in get_args(annotation))
    return _annotation_is_sequence(annotation) or _annotation_is_sequence(origin)


def value_is_sequence(value: Any) -> bool:
    """True for a list, tuple, set... value; False for ``str`` and ``bytes``."""
    return isinstance(value, sequence_types) and not isinstance(value, str | bytes)


def _is_or_nonable(annotation: Any, cls: type[Any]) -> bool:
    if lenient_issubclass(annotation, cls):
        return True
    if get_origin(annotation) in _UNIONS:
        return any(lenient_issubclass(arg, cls) for arg in get_args(annotation))
    return False


def is_bytes_or_nonable_bytes_annotation(annotation: Any) -> bool:
    """True for ``bytes`` and unions containing it (``bytes | None``)."""
    return _is_or_nonable(annotation, bytes)


def is_uploadfile_or_nonable_uploadfile_annotation(annotation: Any) -> bool:
    """True for ``UploadFile`` and unions containing it (``UploadFile | None``)."""
    return _is_or_nonable(annotation, UploadFile)


def _sequence_of(annotation: Any, cls: type[Any]) -> bool:
    if get_origin(annotation) in _UNIONS:
        return any(_sequence_of(arg, cls) for arg in get_args(annotation))
    return field_annotation_is_sequence(annotation) and all(
        _is_or_nonable(arg, cls) for arg in get_args(annotation)
    )


def is_bytes_sequence_annotation(annotation: Any) -> bool:
    """True for ``list[bytes]`` and the like (also inside a union)."""
    return _sequence_of(annotation, bytes)


def is_uploadfile_sequence_annotation(annotation: Any) -> bool:
    """True for ``list[UploadFile]`` and the like (also inside a union)."""
    return _sequence_of(annotation, UploadFile)
