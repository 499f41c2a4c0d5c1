"""Validation: annotations → prepared msgspec validators with FastAPI/pydantic-shaped errors.

Validators are built once per parameter at route registration; calling them is the per-request
hot path. See :class:`ScalarValidator` (text inputs), :class:`BodyValidator` (JSON bodies),
:class:`ResponseSerializer` (response models) and :mod:`.adapters` (model library plugins).
"""

from fasterapi_core.validation.adapters import (
    ModelAdapter,
    SerializeOptions,
    is_body_annotation,
    is_model_annotation,
    is_scalar_annotation,
    register_model_adapter,
)
from fasterapi_core.validation.body import BodyValidator, decode_json
from fasterapi_core.validation.constraints import Constraints
from fasterapi_core.validation.errors import ErrorDict, Loc
from fasterapi_core.validation.scalars import ScalarValidator
from fasterapi_core.validation.schema import json_schema
from fasterapi_core.validation.serializers import ResponseSerializer

__all__ = [
    "BodyValidator",
    "Constraints",
    "ErrorDict",
    "Loc",
    "ModelAdapter",
    "ResponseSerializer",
    "ScalarValidator",
    "SerializeOptions",
    "decode_json",
    "is_body_annotation",
    "is_model_annotation",
    "is_scalar_annotation",
    "json_schema",
    "register_model_adapter",
]
