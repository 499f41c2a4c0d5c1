"""The compiled extractors of flat request plans: a handler's arguments read from the scope
alone (path and query parameters, headers and cookies), with no body, dependency or special
parameter to await; built once per route by
:class:`~fasterapi_core.dependencies.plan.RequestPlan`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fasterapi_core.connection import query_params_of
from fasterapi_core.dependencies.body import BodyPlan
from fasterapi_core.dependencies.models import Dependant, ParamField
from fasterapi_core.dependencies.solver import (
    path_parameters,
    request_parameters,
    scalar_parameters,
)
from fasterapi_core.exceptions import RequestValidationError
from fasterapi_core.requests import HTTPConnection
from fasterapi_core.types import Scope

__all__ = ["compile_extract", "compile_single"]


def compile_extract(
    dependant: Dependant,
    body: BodyPlan | None,
    positional: tuple[str, ...] | None,
    *,
    as_tuple: bool,
) -> Callable[[Scope], Any] | None:
    """The synchronous extractor of a plan without body or special parameters (None
    otherwise). With ``as_tuple``, one giving the values in signature order (None when that
    cannot be: ``positional`` names the handler's parameters in signature order)."""
    if body is not None or dependant.specials:
        return None
    if dependant.header_params or dependant.cookie_params:
        if as_tuple:
            return None

        def extract(scope: Scope) -> dict[str, Any]:
            values: dict[str, Any] = {}
            errors: list[dict[str, Any]] = []
            request_parameters(dependant, HTTPConnection(scope), values, errors)
            if errors:
                raise RequestValidationError(errors)
            return values

        return extract
    path_fields, query_fields = dependant.path_params, dependant.query_params
    if as_tuple and (
        dependant.dependencies or tuple(f.name for f in (*path_fields, *query_fields)) != positional
    ):
        return None
    if query_fields:

        def extract_query(scope: Scope) -> Any:
            values: dict[str, Any] = {}
            errors: list[dict[str, Any]] = []
            if path_fields:
                path_parameters(path_fields, scope["path_params"], values, errors)
            query = query_params_of(scope)
            scalar_parameters(query_fields, query.get, query.getlist, values, errors)
            if errors:
                raise RequestValidationError(errors)
            return tuple(values.values()) if as_tuple else values  # in field order

        return extract_query
    steps = [(field.name, field.key, field.validator.validate) for field in path_fields]

    def extract_path(scope: Scope) -> Any:
        params = scope["path_params"]
        values: dict[str, Any] = {}
        for name, key, validate in steps:
            raw = params.get(key)
            if raw is None:
                break
            value, problems = validate(raw if type(raw) is str else str(raw))
            if problems:
                break
            values[name] = value
        else:
            return tuple(values.values()) if as_tuple else values
        raise _invalid_path(path_fields, params)

    return extract_path


def compile_single(
    dependant: Dependant, body: BodyPlan | None, positional: tuple[str, ...] | None
) -> tuple[Callable[[Scope], Any] | None, tuple[str, Callable[[str], Any]] | None]:
    """``RequestPlan.extract_single`` for a handler taking one path parameter, with its
    ``single_path`` (None when the validator has no ``parse_text``); ``(None, None)`` else."""
    fields = dependant.path_params
    if (
        len(fields) != 1
        or (fields[0].name,) != positional
        or dependant.query_params
        or dependant.header_params
        or dependant.cookie_params
        or dependant.dependencies
        or dependant.specials
        or body is not None
    ):
        return None, None
    key, validate = fields[0].key, fields[0].validator.validate
    parse = getattr(fields[0].validator, "parse_text", None)

    def extract_single(scope: Scope) -> Any:
        params = scope["path_params"]
        raw = params.get(key)
        if parse is not None and type(raw) is str and raw.isascii():
            try:
                return parse(raw)
            except ValueError:
                pass  # the validator decides ("1.0" is an int for pydantic too)
        if raw is not None:
            value, problems = validate(raw if type(raw) is str else str(raw))
            if not problems:
                return value
        raise _invalid_path(fields, params)

    return extract_single, (key, parse) if parse is not None else None


def _invalid_path(fields: list[ParamField], params: Any) -> RequestValidationError:
    """Every error of the path parameters ``fields``, collected the general way."""
    errors: list[dict[str, Any]] = []
    path_parameters(fields, params, {}, errors)
    return RequestValidationError(errors)
