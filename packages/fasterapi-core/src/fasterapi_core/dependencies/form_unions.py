"""Form models and unions of form models (``Annotated[Person | Company, Form()]``).

A form model reads its fields from the whole form: each field under the first of its names
sent (repeated keys for lists, empty values as absent), the form's other keys passed on (a
model forbidding extras refuses them). A union of models hands every branch the form as it
was sent, each branch extracts its own fields from it, and the union picks the branch as
pydantic does (``discriminator=``, ``union_mode=`` apply), errors tagged by the branch, as
FastAPI 0.165 does. Unions holding msgspec Structs use :class:`~..validation.UnionValidator`.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Mapping
from typing import Annotated, Any

from fasterapi_core.datastructures import FormData, UploadFile
from fasterapi_core.dependencies.models import ParamField
from fasterapi_core.dependencies.param_models import model_extra_policy, model_members
from fasterapi_core.params import Param
from fasterapi_core.validation import BodyValidator
from fasterapi_core.validation.fallback import PydanticFieldValidator, pydantic_can_validate
from fasterapi_core.validation.unions import UnionValidator, union_members

__all__ = ["form_model_data", "form_union", "grouped_form", "member_value", "model_supplied"]

Branch = tuple[Any, list[ParamField]]


def _empty_file(value: Any) -> bool:
    return isinstance(value, UploadFile) and not value.filename and not value.size


def member_value(form: Any, key: str, many: bool) -> tuple[Any, bool]:
    """``(value, present)`` of a form key, FastAPI's rule: a list keeps every value but
    empty uploads; a single value (the last) is absent when empty."""
    if many:
        values = [v for v in form.getlist(key) if not _empty_file(v)]
        return values, bool(values)
    value = form.get(key)
    return value, value is not None and value != "" and not _empty_file(value)


def form_model_data(members: list[ParamField], form: Any) -> dict[str, Any]:
    """The dict a form model validates: its fields, then the form's other keys."""
    data: dict[str, Any] = {}
    known: set[str] = set()
    for member in members:
        for name, key, _ in member.choices or ((member.name, member.key, None),):
            known.add(key)
            value, present = member_value(form, key, member.is_sequence)
            if present:
                data[name] = value
                break
    data.update((key, value) for key, value in grouped_form(form).items() if key not in known)
    return data


def grouped_form(form: Any) -> dict[str, Any]:
    """Every key of the form, a repeated one as a list of its values."""
    grouped: dict[str, list[Any]] = {}
    for key, value in form.multi_items():
        grouped.setdefault(key, []).append(value)
    return {key: values[0] if len(values) == 1 else values for key, values in grouped.items()}


def model_supplied(branches: list[Branch], form: Any) -> bool:
    """True when the form carries a name of one of the models (or anything at all, for a
    model with an extra policy): an optional form model is otherwise left out."""
    names = {key for _, members in branches for m in members for _, key, _ in m.choices or ()}
    if names.intersection(form):
        return True
    return bool(form) and any(model_extra_policy(model) for model, _ in branches)


def _normalize(members: list[ParamField], value: Any) -> Any:
    """One branch's view of the grouped form (a pydantic ``BeforeValidator``)."""
    if not isinstance(value, Mapping):
        return value
    form = FormData(
        [
            (k, v)
            for k, items in value.items()
            for v in (items if isinstance(items, list) else [items])
        ]
    )
    data = form_model_data(members, form)
    for key, item in value.items():  # not from a browser, but a validator may give them
        if item is None or item == []:
            data[key] = item
    return data


class _NormalizingValidator:
    """A branch of a union holding Structs: its fields extracted, then validated."""

    __slots__ = ("members", "validator")

    def __init__(self, members: list[ParamField], validator: Any) -> None:
        self.members = members
        self.validator = validator

    def validate_python(self, data: Any) -> tuple[Any, Any]:
        return self.validator.validate_python(_normalize(self.members, data))  # type: ignore[no-any-return]


def form_union(annotation: Any, marker: Param) -> tuple[list[Branch], Any, bool] | None:
    """``(branches, validator, nullable)`` for a form union of two or more models (its
    ``Annotated`` metadata, a ``Discriminator``..., kept), else None."""
    outer: tuple[Any, ...] = ()
    union = annotation
    if typing.get_origin(annotation) is Annotated:
        union, *rest = typing.get_args(annotation)
        outer = tuple(rest)
    split = union_members(union)
    if split is None or len(split[0]) < 2:
        return None
    members_of, nullable = split
    branches: list[Branch] = []
    for member in members_of:
        model = typing.get_args(member)[0] if typing.get_origin(member) is Annotated else member
        members = model_members(model, marker)
        if members is None:
            return None
        branches.append((model, members))
    tagged: list[Any] = []
    for member, (model, members) in zip(members_of, branches, strict=True):
        metadata = _branch_metadata(member, model, members)
        tagged.append(Annotated[(member, *metadata)] if metadata else member)
    if nullable:
        tagged.append(type(None))
    target: Any = typing.Union[tuple(tagged)]  # noqa: UP007
    if outer:
        target = Annotated[(target, *outer)]
    options = marker.pydantic_options or {}
    if pydantic_can_validate(target):
        validator: Any = PydanticFieldValidator(target, loc=("body",), options=options)
        return branches, validator, nullable
    by_member = {
        id(member): members for member, (_, members) in zip(members_of, branches, strict=True)
    }

    def build(member: Any) -> _NormalizingValidator:
        return _NormalizingValidator(by_member[id(member)], BodyValidator(member, loc=("body",)))

    return branches, UnionValidator(union, loc=("body",), build=build), nullable


def _branch_metadata(member: Any, model: Any, members: list[ParamField]) -> list[Any]:
    """A branch's form extraction and its tag (one the member has, else the model's name)."""
    try:
        import pydantic
    except ImportError:
        return []
    own = [m for m in typing.get_args(member)[1:] if isinstance(m, pydantic.Tag)]
    return [
        pydantic.BeforeValidator(functools.partial(_normalize, members)),
        own[-1] if own else pydantic.Tag(model.__name__),
    ]
