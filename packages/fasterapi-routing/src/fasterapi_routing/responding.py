"""Turning a handler's return value into a response, prepared once per route."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from typing import Any, TypeVar

from fasterapi_core.background import BackgroundTasks
from fasterapi_core.encoding import jsonable_encoder
from fasterapi_core.json_rules import untyped_encode, untyped_json, untyped_recheck
from fasterapi_core.responses import JSONResponse, Response
from fasterapi_core.validation import ResponseSerializer
from fasterapi_routing.foreign_responses import (
    adopt_foreign_response,
    is_foreign_response,
    is_foreign_response_class,
)

__all__ = [
    "JSON_CONTENT_TYPE",
    "Default",
    "DefaultPlaceholder",
    "ResponsePlan",
    "RouterDefault",
    "inherited_response_class",
    "resolve_response_model",
]

_NO_BODY_STATUSES = frozenset({204, 304})
_PLAIN_RESULTS = frozenset({dict, list, str, int, float, bool, type(None), tuple})
"""Result types that cannot be a Starlette response."""
JSON_CONTENT_TYPE = (b"content-type", b"application/json")
"""The header of the JSON fast path, shared by every response (never mutated)."""


class DefaultPlaceholder:
    """Marks an argument the user did not give, so ``None`` can mean "explicitly none"
    (FastAPI's ``fastapi.datastructures.DefaultPlaceholder``: equal when the values are)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __bool__(self) -> bool:
        return bool(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DefaultPlaceholder) and other.value == self.value

    __hash__ = None  # type: ignore[assignment]  # equal by value, as FastAPI's: not hashable

    def __repr__(self) -> str:
        return f"Default({self.value!r})"


class RouterDefault(DefaultPlaceholder):
    """A route's response class that is its router's (or an ``include_router``'s) explicit
    ``default_response_class``: a router including it later does not replace it."""

    __slots__ = ()


def inherited_response_class(
    response_class: Any, default: type[Response] | DefaultPlaceholder
) -> DefaultPlaceholder | type[Response]:
    """A route's ``response_class``: the one given, else its router's explicit default
    (a :class:`RouterDefault`), else a plain placeholder of the framework's default."""
    if not isinstance(response_class, DefaultPlaceholder) and response_class is not None:
        return typing.cast(type[Response], response_class)
    if isinstance(default, DefaultPlaceholder):
        return DefaultPlaceholder(default.value)
    return RouterDefault(default)


DefaultType = TypeVar("DefaultType")


def Default(value: DefaultType) -> DefaultType:
    """FastAPI's ``Default(value)``: a :class:`DefaultPlaceholder` typed as ``value``, for
    keyword defaults that must tell "not given" from an explicit value."""
    placeholder: Any = DefaultPlaceholder(value)
    return placeholder  # type: ignore[no-any-return]


def given(value: Any, fallback: Any) -> Any:
    """``value`` when the caller gave it (not None, not a :class:`DefaultPlaceholder`), else
    ``fallback``: how route options inherit from their router (FastAPI's order)."""
    return fallback if value is None or isinstance(value, DefaultPlaceholder) else value


def resolve_response_model(response_model: Any, endpoint: Callable[..., Any]) -> Any:
    """FastAPI's rule: an explicit ``response_model`` wins, else the return annotation
    (unless it is a Response class or ``None``; ``Any`` is kept, as FastAPI keeps it: no
    check, a titled schema)."""
    if not isinstance(response_model, DefaultPlaceholder):
        return response_model
    if inspect.isasyncgenfunction(endpoint) or inspect.isgeneratorfunction(endpoint):
        return None  # a generator endpoint: its items are typed (see streamed.py)
    try:
        hints = typing.get_type_hints(endpoint, include_extras=True)
    except Exception:
        return None
    annotation = hints.get("return", inspect.Signature.empty)
    if annotation in (inspect.Signature.empty, None, type(None)):
        return None
    target = typing.get_origin(annotation) or annotation
    if isinstance(target, type) and (
        issubclass(target, Response) or is_foreign_response_class(target)
    ):
        return None
    return annotation  # a union with a Response class is refused (response_checks.py)


def default_status_code(response_class: type[Response]) -> int:
    """The status a response class answers with when the route does not say (FastAPI reads
    it from the class's ``__init__``: 307 for ``RedirectResponse``), else 200."""
    try:
        parameter = inspect.signature(response_class.__init__).parameters.get("status_code")
    except (TypeError, ValueError):
        return 200
    default = getattr(parameter, "default", None)
    return default if isinstance(default, int) and not isinstance(default, bool) else 200


class ResponsePlan:
    """How a route encodes results: status, response class, and the model serializer."""

    __slots__ = (
        "dict_item",
        "encode",
        "encode_exact",
        "encode_fast",
        "exact_dict",
        "exact_type",
        "fast_json",
        "recheck",
        "recheck_untyped",
        "response_class",
        "serializer",
        "status_code",
    )

    def __init__(
        self,
        *,
        status_code: int | None,
        response_class: type[Response],
        response_model: Any,
        include: Any = None,
        exclude: Any = None,
        by_alias: bool = True,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
    ) -> None:
        self.status_code = (
            status_code if status_code is not None else default_status_code(response_class)
        )
        self.response_class = response_class
        self.serializer: ResponseSerializer | None = None
        if response_model is not None:
            self.serializer = ResponseSerializer(
                response_model,
                include=include,
                exclude=exclude,
                exclude_unset=exclude_unset,
                exclude_defaults=exclude_defaults,
                exclude_none=exclude_none,
                by_alias=by_alias,
            )
        self.encode: Callable[[Any], bytes] = (
            self.serializer.serialize if self.serializer is not None else untyped_json
        )
        """The JSON bytes of a result, validated through the response model if there is one."""
        exact = self.serializer.exact_dict if self.serializer is not None else None
        self.exact_dict = exact is not None
        """The response model is ``dict[str, X]`` (see ``ResponseSerializer.exact_dict``): a
        ``dict`` result with ``str`` keys and values exactly ``dict_item`` (any when None) may
        be given to ``encode_exact`` without the model's check."""
        self.dict_item: type | None = exact[0] if exact is not None else None
        self.exact_type = self.serializer.exact_type if self.serializer is not None else None
        """The response model's Struct class (see ``ResponseSerializer.exact_type``): an
        instance of exactly it may be given to ``encode_exact``."""
        self.encode_exact: Callable[[Any], bytes] = (
            self.serializer.encode_exact if self.serializer is not None else untyped_json
        )
        self.encode_fast: Callable[[Any], bytes] = (
            self.serializer.serialize if self.serializer is not None else untyped_encode
        )
        """``encode`` for the route's fast path: msgspec alone for a result of no declared
        type, whose body must then go through ``recheck_untyped`` when it holds an uppercase
        P or Z (``0x50 in body or 0x5A in body``, checked inline: a call less)."""
        self.recheck_untyped = untyped_recheck if self.serializer is None else None
        self.recheck = self.serializer.recheck if self.serializer is not None else None
        """Given ``encode_exact``'s body holding an uppercase P (``0x50 in body``), the body
        by FastAPI's rules (see ``ResponseSerializer.recheck``); None when never needed."""
        self.fast_json = (
            issubclass(response_class, JSONResponse)
            and response_class.render is JSONResponse.render
            and response_class.media_type == JSONResponse.media_type  # the header sent
            and self.status_code >= 200
            and self.status_code not in _NO_BODY_STATUSES
        )

    def build(
        self,
        result: Any,
        sub_response: Response | None,
        background: BackgroundTasks | None,
    ) -> Response:
        """The Response to send for ``result`` (a Response returned by the handler is kept)."""
        if isinstance(result, Response):
            if background is not None and result.background is None:
                result.background = background
            return result
        # PERF: plain JSON data (most results) skips the Starlette check with a set lookup
        # (timeit, 2026-12-07: 12 ns for a dict, is_foreign_response alone 166 ns)
        if type(result) not in _PLAIN_RESULTS and is_foreign_response(result):
            # a Starlette response: sent as it is
            return adopt_foreign_response(result, background)  # type: ignore[no-any-return]
        status = self.status_code
        if sub_response is not None and sub_response.status_code:
            status = sub_response.status_code
        if status < 200 or status in _NO_BODY_STATUSES:
            response = Response(status_code=status)
        elif self.fast_json:
            response = self.response_class(self.encode(result), status_code=status)
        else:
            # what FastAPI gives the response class: the model's JSON data, else
            # jsonable_encoder's (a RedirectResponse's URL, an HTMLResponse's text...)
            serializer = self.serializer
            content = (
                serializer.to_python(result) if serializer is not None else jsonable_encoder(result)
            )
            response = self.response_class(content, status_code=status)
        if sub_response is not None and sub_response.raw_headers:
            _merge_headers(response, sub_response)
        if background is not None:
            response.background = background
        return response


def _merge_headers(response: Response, sub_response: Response) -> None:
    overridden = {name for name, _ in sub_response.raw_headers if name != b"set-cookie"}
    kept = [item for item in response.raw_headers if item[0] not in overridden]
    response.raw_headers[:] = [*kept, *sub_response.raw_headers]
