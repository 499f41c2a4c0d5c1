"""Dependency injection: signatures compiled once into request plans, solved per request."""

from fasterapi_core.dependencies.analysis import build_dependant, get_typed_parameters
from fasterapi_core.dependencies.models import Dependant, ParamField, SpecialKind
from fasterapi_core.dependencies.plan import RequestPlan
from fasterapi_core.dependencies.solver import SolveContext, solve

__all__ = [
    "Dependant",
    "ParamField",
    "RequestPlan",
    "SolveContext",
    "SpecialKind",
    "build_dependant",
    "get_typed_parameters",
    "solve",
]
