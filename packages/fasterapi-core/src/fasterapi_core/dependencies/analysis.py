"""Turn a handler or dependency signature into a :class:`Dependant`, once, at registration."""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from typing import Annotated, Any

from fasterapi_core.background import BackgroundTasks
from fasterapi_core.dependencies.callables import (
    is_async_gen_callable,
    is_coroutine_callable,
    is_gen_callable,
)
from fasterapi_core.dependencies.field_info import (
    is_field_info,
    merge_field_infos,
    validating_metadata,
)
from fasterapi_core.dependencies.fields import (
    file_shape,
    make_field,
    path_choice,
    strip_optional,
)
from fasterapi_core.dependencies.markers import ambiguous_marker, annotated_marker
from fasterapi_core.dependencies.models import Dependant, ParamField, SpecialKind
from fasterapi_core.dependencies.starlette_objects import starlette_dependency
from fasterapi_core.exceptions import DependencyScopeError
from fasterapi_core.params import (
    Body,
    Depends,
    File,
    Param,
    ParamSource,
    Path,
    Query,
    Required,
    Security,
    SecurityScopes,
)
from fasterapi_core.requests import HTTPConnection, Request
from fasterapi_core.responses import Response
from fasterapi_core.validation.adapters import is_plain_scalar_annotation
from fasterapi_core.websockets import WebSocket

__all__ = ["build_dependant", "get_typed_parameters", "needs_embedding", "rebuild_body_field"]


def _callable_target(call: Callable[..., Any]) -> Callable[..., Any]:
    """The function whose signature describes ``call`` (``__init__`` of classes, ``__call__``)."""
    if inspect.isclass(call):
        return call.__init__
    if inspect.isroutine(call) or isinstance(call, functools.partial):
        return call
    dunder = type(call).__call__ if callable(call) else None
    return dunder if dunder is not None else call


def get_typed_parameters(call: Callable[..., Any]) -> list[inspect.Parameter]:
    """The parameters of ``call`` with string annotations resolved (``include_extras``)."""
    signature = inspect.signature(call)
    target = _callable_target(call)
    unwrapped = inspect.unwrap(target)
    try:
        hints = typing.get_type_hints(unwrapped, include_extras=True)
    except Exception:  # one unresolvable name: resolve the others one by one
        hints = {}
    params = []
    for param in signature.parameters.values():
        if param.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            continue
        annotation = hints.get(param.name, param.annotation)
        if isinstance(annotation, str):
            annotation = _resolve_string(annotation, unwrapped, param.name)
        params.append(param.replace(annotation=annotation))
    return params


def _resolve_string(annotation: str, target: Any, name: str) -> Any:
    """Evaluate a postponed annotation in the function's module, or say clearly why not."""
    namespace = dict(getattr(target, "__globals__", {}))
    try:
        return eval(annotation, namespace)
    except Exception as exc:
        raise TypeError(
            f"cannot resolve the annotation {annotation!r} of parameter {name!r} of "
            f"{getattr(target, '__qualname__', target)!r}: {exc}"
        ) from exc


def _is_async_callable(call: Callable[..., Any]) -> bool:
    return is_coroutine_callable(call)  # through partials, wrappers and __call__ (callables)


def _generator_kind(call: Callable[..., Any]) -> tuple[bool, bool]:
    return is_async_gen_callable(call), is_gen_callable(call)


def _split_annotated(annotation: Any) -> tuple[Any, list[Any]]:
    """``Annotated[T, a, b]`` → ``(T, [a, b])``; other annotations → ``(annotation, [])``."""
    if type(annotation).__name__ == "TypeAliasType":  # `type X = ...`: its value, as FastAPI
        annotation = annotation.__value__
    if typing.get_origin(annotation) is Annotated:
        return annotation.__origin__, list(annotation.__metadata__)
    return annotation, []


def _special_kind(annotation: Any) -> str | None:
    target = strip_optional(annotation)
    if not isinstance(target, type):
        return None
    if issubclass(target, Request):
        return SpecialKind.REQUEST
    if issubclass(target, WebSocket):
        return SpecialKind.WEBSOCKET
    if issubclass(target, HTTPConnection):
        return SpecialKind.CONNECTION
    if issubclass(target, BackgroundTasks):
        return SpecialKind.BACKGROUND_TASKS
    if issubclass(target, Response):
        return SpecialKind.RESPONSE
    if issubclass(target, SecurityScopes):
        return SpecialKind.SECURITY_SCOPES
    return None


def _marker_for(
    name: str, annotation: Any, default: Any, metadata: list[Any], path_param_names: set[str]
) -> Param | Depends:
    """Find the explicit marker, or infer one with FastAPI's rules."""
    if is_field_info(default) and isinstance(default.default, Param):
        # A pydantic model's field declared `= Query(...)`, read back from its model_fields
        # (fastapi-pagination builds signatures so): pydantic kept FasterAPI's marker as the
        # field's default, where FastAPI's marker (a FieldInfo) is merged into the field.
        default = default.default
    explicit = annotated_marker(name, metadata, default)  # FastAPI's checks (markers)
    if isinstance(default, (Param, Depends)):
        if explicit is not None:
            raise ambiguous_marker(name, explicit, default)
        return default
    if explicit is not None:
        if isinstance(explicit, Param) and default is not inspect.Parameter.empty:
            return explicit.with_default(default)
        return explicit
    value = Required if default is inspect.Parameter.empty else default
    if name in path_param_names:
        return Path()
    is_file, _, _ = file_shape(annotation)
    if is_file and strip_optional(annotation) is not bytes:
        return File(value)
    if annotation is inspect.Parameter.empty or is_plain_scalar_annotation(annotation):
        return Query(value)
    return Body(value)


def _validator_annotation(base: Any, metadata: list[Any]) -> Any:
    """Keep non-marker Annotated metadata (e.g. ``msgspec.Meta``) for the validator; of a
    pydantic ``Field``, only what validates (its names went to the marker)."""
    rest = [
        kept
        for m in metadata
        if not isinstance(m, (Param, Depends))
        for kept in validating_metadata(m)
    ]
    if not rest:
        return base
    return Annotated[(base, *rest)]


def build_dependant(
    call: Callable[..., Any],
    *,
    path_param_names: set[str],
    name: str | None = None,
    use_cache: bool = True,
    security_scopes: list[str] | None = None,
    own_scopes: list[str] | None = None,
    is_security: bool = False,
    scope: str | None = None,
    limit: Any = None,
) -> Dependant:
    """Analyse ``call`` and, recursively, its dependencies."""
    is_async_gen, is_sync_gen = _generator_kind(call)
    scopes = list(security_scopes or [])
    torn_down_after_response = (is_async_gen or is_sync_gen) and scope != "function"
    dependant = Dependant(
        call=call,
        name=name,
        use_cache=use_cache,
        security_scopes=scopes,
        own_scopes=list(own_scopes or []),
        is_security=is_security,
        is_coroutine=_is_async_callable(call),
        is_async_gen=is_async_gen,
        is_sync_gen=is_sync_gen,
        cache_key=(call, tuple(sorted(set(scopes))), "request" if torn_down_after_response else ""),
        scope=scope,
        limit=limit,
    )
    body_candidates: list[tuple[str, Any, Param]] = []
    for param in get_typed_parameters(call):
        base, metadata = _split_annotated(param.annotation)
        special = _special_kind(base)
        marker_in_meta = any(isinstance(m, (Param, Depends)) for m in metadata)
        if not marker_in_meta and not isinstance(param.default, Depends):
            if special is not None:
                dependant.specials.append((param.name, special))
                continue
            foreign = starlette_dependency(strip_optional(base))
            if foreign is not None:  # Starlette's Request, Response...: a real one
                dependant.dependencies.append(
                    _sub_dependant(param.name, base, foreign, path_param_names, [])
                )
                continue
        marker = _marker_for(param.name, base, param.default, metadata, path_param_names)
        if isinstance(marker, Depends):
            if torn_down_after_response and marker.scope == "function":
                raise DependencyScopeError(
                    f'The dependency "{getattr(call, "__name__", call)}" has a scope of '
                    '"request", it cannot depend on dependencies with scope "function".'
                )
            dependant.dependencies.append(
                _sub_dependant(param.name, base, marker, path_param_names, scopes)
            )
            continue
        if isinstance(param.default, Param) and not marker_in_meta:
            # FastAPI's rule: a marker given as the default takes the bare type, its
            # Annotated metadata (Field(...), Discriminator, Meta...) is not applied.
            metadata = []
        marker = merge_field_infos(marker, metadata)
        if marker.source is ParamSource.PATH:
            marker = path_choice(marker, path_param_names)
        annotation = _validator_annotation(
            Any if base is inspect.Parameter.empty else base, metadata
        )
        if marker.source in (ParamSource.BODY, ParamSource.FORM, ParamSource.FILE):
            body_candidates.append((param.name, annotation, marker))
            continue
        # A Path() the route's path lacks may come from a router prefix (include_router
        # builds the route again); a request without it gets FastAPI's "missing" error.
        field = make_field(param.name, annotation, marker, embed_body=False)
        if marker.source is ParamSource.PATH:
            field.required = True
            dependant.path_params.append(field)
        elif marker.source is ParamSource.QUERY:
            dependant.query_params.append(field)
        elif marker.source is ParamSource.HEADER:
            dependant.header_params.append(field)
        else:
            dependant.cookie_params.append(field)
    for pname, annotation, marker in body_candidates:
        # The embedding decision is made for the whole route later (embed_body_fields);
        # build the field as if it were alone, the route plan rebuilds it if it must embed.
        dependant.body_params.append(make_field(pname, annotation, marker, embed_body=False))
    dependant.is_leaf = not (
        dependant.dependencies
        or dependant.path_params
        or dependant.query_params
        or dependant.header_params
        or dependant.cookie_params
        or dependant.body_params
        or dependant.specials
    )
    return dependant


def _sub_dependant(
    name: str,
    annotation: Any,
    marker: Depends,
    path_param_names: set[str],
    parent_scopes: list[str],
) -> Dependant:
    dependency = marker.dependency
    if dependency is None:
        if annotation is inspect.Parameter.empty or not callable(annotation):
            raise TypeError(f"Depends() on {name!r} needs a callable or a class annotation")
        dependency = annotation
    own = marker.scopes if isinstance(marker, Security) else []
    return build_dependant(
        dependency,
        path_param_names=path_param_names,
        name=name,
        use_cache=marker.use_cache,
        security_scopes=[*parent_scopes, *own],
        own_scopes=list(own),
        is_security=isinstance(marker, Security),
        scope=marker.scope,
        limit=marker.limit,
    )


def rebuild_body_field(field: ParamField, *, embed: bool) -> ParamField:
    """Re-create a body field's validator with the embedded (``["body", name]``) location."""
    if field.source is not ParamSource.BODY:
        return field
    return make_field(field.name, field.annotation, field.marker, embed_body=embed)


def needs_embedding(fields: list[ParamField]) -> bool:
    """FastAPI's rule: several body fields, or one with ``embed=True``, are keyed by name."""
    if len(fields) > 1:
        return True
    if not fields or fields[0].members is not None or fields[0].branches is not None:
        # a form model (or a union of them) is the whole form
        return False
    marker = fields[0].marker
    if fields[0].source in (ParamSource.FORM, ParamSource.FILE):
        return True
    return bool(isinstance(marker, Body) and marker.embed)
