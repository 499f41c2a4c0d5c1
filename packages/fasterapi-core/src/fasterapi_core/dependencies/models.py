"""The compiled form of a handler or dependency signature."""

from __future__ import annotations

import copy
import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fasterapi_core.params import Param, ParamSource

__all__ = ["Dependant", "ParamField", "SpecialKind", "unique_params"]

_IMMUTABLE = (type(None), bool, int, float, complex, str, bytes, frozenset, enum.Enum)


class SpecialKind:
    """Names of the framework objects a parameter can ask for by annotation."""

    REQUEST = "request"
    WEBSOCKET = "websocket"
    CONNECTION = "connection"
    BACKGROUND_TASKS = "background_tasks"
    RESPONSE = "response"
    SECURITY_SCOPES = "security_scopes"


@dataclass(slots=True, eq=False)
class ParamField:
    """One parameter read from the request, with its validator prepared at registration."""

    name: str
    key: str
    source: ParamSource
    annotation: Any
    marker: Param
    required: bool
    default: Any
    default_factory: Callable[[], Any] | None
    validator: Any
    is_sequence: bool = False
    is_file: bool = False
    file_as_bytes: bool = False
    members: list[ParamField] | None = None
    """For a query/header/cookie parameter model: its fields, read one by one (the
    validator then takes the dict of them, see ``param_models``)."""
    choices: tuple[tuple[str, str, Any], ...] | None = None
    """``validation_alias=AliasChoices(...)``: ``(name, request key, validator)`` per choice,
    in order; the first one the request carries is read (see ``aliases``)."""
    read: Callable[..., tuple[Any, Any]] | None = None
    """How a query/header/cookie parameter that is not one plain key is read (a parameter
    model, alias choices): ``read(field, getter, list_getter) -> (value, errors or None)``."""
    branches: list[tuple[Any, list[ParamField]]] | None = None
    """A union of form models: ``(model, its member fields)`` per branch (``form_unions``)."""
    optional_model: bool = False
    """A parameter model annotated ``Model | None``: None when none of its fields is sent."""
    extra_policy: bool = False
    """A parameter model with ``extra="forbid"``/``"allow"``."""

    mutable_default: bool = field(init=False, default=False)
    """The default is a list, dict, model...: each request gets a deep copy, as in FastAPI."""

    body_key: str = field(init=False, default="")
    """Where a body parameter's value is kept for the request (its name; another key for a
    same-named parameter of another type in another dependency, see ``RequestPlan``)."""

    def __post_init__(self) -> None:
        self.mutable_default = not isinstance(self.default, _IMMUTABLE)
        self.body_key = self.name

    def absent_value(self) -> tuple[Any, list[dict[str, Any]] | None]:
        """``(default, None)`` when the request does not carry this parameter; with
        ``validate_default=True`` the default is validated first (``(None, errors)``)."""
        value = self.default_value()
        if not self.marker.validate_default:
            return value, None
        check = getattr(self.validator, "validate_python", None) or self.validator.validate
        result: tuple[Any, list[dict[str, Any]] | None] = check(value)
        return result

    def default_value(self) -> Any:
        """The value used when the request does not carry this parameter (a deep copy of a
        mutable default: a handler changing it does not change the next request's)."""
        if self.default_factory is not None:
            return self.default_factory()
        if self.mutable_default:
            return copy.deepcopy(self.default)
        return self.default


@dataclass(slots=True, eq=False)
class Dependant:
    """A callable (handler or dependency) and everything its signature asks for."""

    call: Callable[..., Any]
    name: str | None = None
    path_params: list[ParamField] = field(default_factory=list)
    query_params: list[ParamField] = field(default_factory=list)
    header_params: list[ParamField] = field(default_factory=list)
    cookie_params: list[ParamField] = field(default_factory=list)
    body_params: list[ParamField] = field(default_factory=list)
    dependencies: list[Dependant] = field(default_factory=list)
    specials: list[tuple[str, str]] = field(default_factory=list)
    security_scopes: list[str] = field(default_factory=list)
    own_scopes: list[str] = field(default_factory=list)
    use_cache: bool = True
    is_security: bool = False
    is_coroutine: bool = False
    is_async_gen: bool = False
    is_sync_gen: bool = False
    cache_key: tuple[Any, ...] = ()
    scope: str | None = None
    limit: Any = None
    """``Depends(max_concurrency=...)``'s ``ConcurrencyLimit``, else None."""
    """``Depends(scope=...)``: ``"function"`` tears a ``yield`` dependency down when the
    endpoint returns, ``"request"`` (what ``None`` means for one) after the response."""
    is_leaf: bool = False
    """Takes nothing from the request and has no dependencies: called without arguments."""
    context_factory: Callable[..., Any] | None = None
    """A ``yield`` dependency's callable made a context manager factory
    (``contextlib.asynccontextmanager``/``contextmanager``), on its first request."""

    @property
    def is_generator(self) -> bool:
        """True for dependencies written with ``yield``."""
        return self.is_async_gen or self.is_sync_gen

    def walk(self) -> list[Dependant]:
        """This dependant and every sub-dependency, depth first, parents after children."""
        out: list[Dependant] = []
        for sub in self.dependencies:
            out.extend(sub.walk())
        out.append(self)
        return out


def unique_params(dependants: list[Dependant]) -> list[ParamField]:
    """The path, query, header and cookie parameters of ``dependants`` (a parameter model's
    fields in its place), one per source and key, as FastAPI documents them: in order of
    first appearance, the last declaration of a name kept, a required one over an optional
    one, a shown one over one hidden by ``include_in_schema=False``."""
    chosen: dict[tuple[str, str], ParamField] = {}
    for item in dependants:
        for param in (
            *item.path_params,
            *item.query_params,
            *item.header_params,
            *item.cookie_params,
        ):
            for member in param.members or (param,):
                ident = (member.source.value, member.key)
                previous = chosen.get(ident)
                if previous is not None and (
                    (previous.required and not member.required)
                    or (previous.marker.include_in_schema and not member.marker.include_in_schema)
                ):
                    continue
                chosen[ident] = member
    return list(chosen.values())
