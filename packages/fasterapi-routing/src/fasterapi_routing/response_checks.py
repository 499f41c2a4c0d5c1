"""Checks of a route's response declarations, made when the route is registered, where FastAPI
makes them: a response model nothing can validate or serialise (a ``Response`` class in a
union, a plain class) raises :class:`~fasterapi_core.exceptions.FastAPIError` with FastAPI's
message; a model on a status code that has no body raises FastAPI's ``AssertionError``."""

from __future__ import annotations

import importlib.util
import typing
from collections.abc import Iterator, Mapping
from typing import Any

import msgspec

from fasterapi_core.exceptions import FastAPIError
from fasterapi_core.responses import Response
from fasterapi_core.validation.adapters import find_adapter

__all__ = ["check_response_declarations", "is_body_allowed_for_status_code"]

_INVALID = (
    "Invalid args for response field! Hint: check that {type_} is a valid Pydantic field type. "
    "If you are using a return type annotation that is not a valid Pydantic field (e.g. "
    "Union[Response, dict, None]) you can disable generating the response model from the type "
    "annotation with the path operation decorator parameter response_model=None. Read more: "
    "https://fastapi.tiangolo.com/tutorial/response-model/"
)


def is_body_allowed_for_status_code(status_code: int | str | None) -> bool:
    """FastAPI's rule: no body for 1xx, 204, 205 and 304 (``"default"``, ``"2XX"``: allowed)."""
    if status_code is None or status_code == "default" or str(status_code)[1:] == "XX":
        return True
    code = int(status_code)
    return not (code < 200 or code in (204, 205, 304))


def _classes(annotation: Any) -> Iterator[type]:
    """Every class in ``annotation`` and its type arguments."""
    if isinstance(annotation, type):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _classes(arg)


def _custom_classes(node: Any, seen: set[int]) -> Iterator[type]:
    """The classes msgspec knows nothing about, anywhere in the type tree ``node``."""
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, msgspec.inspect.CustomType):
        yield node.cls
        return
    for name in node.__struct_fields__:
        value = getattr(node, name)
        for item in value if isinstance(value, tuple) else (value,):
            child = item.type if isinstance(item, msgspec.inspect.Field) else item
            if isinstance(child, msgspec.inspect.Type):
                yield from _custom_classes(child, seen)


def _unknown_classes(model: Any) -> Iterator[type]:
    """The classes of ``model`` msgspec cannot validate (each part of a union it refuses)."""
    try:
        info = msgspec.inspect.type_info(model)
    except (TypeError, ValueError):  # e.g. a union msgspec cannot decode: each part alone
        parts = [cls for cls in _classes(model) if cls is not model]
        if not parts:
            yield model
        for part in parts:
            yield from _unknown_classes(part)
        return
    yield from _custom_classes(info, set())


def _pydantic_accepts(cls: type) -> bool:
    """Whether pydantic (which FasterAPI uses for such types, as FastAPI does) handles ``cls``."""
    if cls is object or hasattr(cls, "__get_pydantic_core_schema__"):
        return True  # any value; pydantic models and types that describe themselves
    if find_adapter(cls) is not None:
        return True
    if importlib.util.find_spec("pydantic") is None:
        return False
    import pydantic

    try:
        pydantic.TypeAdapter(cls)
    except pydantic.PydanticSchemaGenerationError:
        return False
    return True


def _check_model(model: Any) -> None:
    if any(issubclass(cls, Response) for cls in _classes(model)) or not all(
        _pydantic_accepts(cls) for cls in _unknown_classes(model)
    ):
        raise FastAPIError(_INVALID.format(type_=model))


def check_response_declarations(
    response_model: Any, status_code: int | None, responses: Mapping[int | str, Any]
) -> None:
    """Refuse, as FastAPI does at registration, a response model nothing can serialise and a
    response model on a status code without a body (in ``responses=`` too)."""
    for code, response in responses.items():
        if not isinstance(response, Mapping):
            raise AssertionError("An additional response must be a dict")
        model = response.get("model")
        if model:
            if not is_body_allowed_for_status_code(code):
                raise AssertionError(f"Status code {code} must not have a response body")
            _check_model(model)
    if response_model:
        if not is_body_allowed_for_status_code(status_code):
            raise AssertionError(f"Status code {status_code} must not have a response body")
        _check_model(response_model)
