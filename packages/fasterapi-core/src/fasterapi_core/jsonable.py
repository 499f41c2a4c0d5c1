"""``jsonable_encoder``: FastAPI's conversion of any value to JSON-compatible Python data.

Same signature and results as ``fastapi.encoders.jsonable_encoder`` (``include``/``exclude``,
``by_alias``, ``exclude_unset``/``exclude_defaults``/``exclude_none``, ``custom_encoder``,
``sqlalchemy_safe``), for the code that calls it directly; msgspec Structs are handled like
dataclasses. An untyped response goes through it only when msgspec alone would write it
otherwise (see ``json_rules``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import decimal
import enum
import functools
import importlib
import ipaddress
import re
import sys
import types
import uuid
import warnings
from collections import deque
from collections.abc import Callable, Mapping
from pathlib import PurePath
from typing import Any

import msgspec

from fasterapi_core.params import Required

__all__ = ["jsonable_encoder"]

IncEx = set[Any] | Mapping[Any, Any] | None


def _decimal(value: decimal.Decimal) -> int | float:
    """An integral Decimal as an int, any other as a float (FastAPI's rule)."""
    exponent = value.as_tuple().exponent
    return int(value) if isinstance(exponent, int) and exponent >= 0 else float(value)


# The leaf types (models, enums, paths, containers and JSON scalars are handled before).
_BY_TYPE: dict[type, Callable[[Any], Any]] = {
    bytes: lambda o: o.decode(),
    datetime.date: lambda o: o.isoformat(),
    datetime.datetime: lambda o: o.isoformat(),
    datetime.time: lambda o: o.isoformat(),
    datetime.timedelta: lambda o: o.total_seconds(),
    decimal.Decimal: _decimal,
    ipaddress.IPv4Address: str,
    ipaddress.IPv4Interface: str,
    ipaddress.IPv4Network: str,
    ipaddress.IPv6Address: str,
    ipaddress.IPv6Interface: str,
    ipaddress.IPv6Network: str,
    re.Pattern: lambda o: o.pattern,
    uuid.UUID: str,
}


@functools.cache
def _pydantic_text_types() -> tuple[type, ...]:
    """pydantic's types that ``jsonable_encoder`` writes as their ``str()`` (FastAPI's table:
    URLs, ``NameEmail``, secrets, colors), once pydantic is imported."""
    import pydantic
    import pydantic_core

    found: list[type] = [
        pydantic.AnyUrl,
        pydantic.NameEmail,
        pydantic.SecretStr,
        pydantic.SecretBytes,
        pydantic_core.Url,
    ]
    for module in ("pydantic.color", "pydantic_extra_types.color"):
        with warnings.catch_warnings(), contextlib.suppress(ImportError):
            warnings.simplefilter("ignore")  # pydantic.color is deprecated
            found.append(importlib.import_module(module).Color)
    return tuple(found)


def _encoder_for(
    obj: Any, table: Mapping[Any, Callable[[Any], Any]]
) -> Callable[[Any], Any] | None:
    encoder = table.get(type(obj))
    if encoder is not None:
        return encoder
    for cls, candidate in table.items():
        if isinstance(obj, cls):
            return candidate
    return None


def jsonable_encoder(
    obj: Any,
    include: IncEx = None,
    exclude: IncEx = None,
    by_alias: bool = True,
    exclude_unset: bool = False,
    exclude_defaults: bool = False,
    exclude_none: bool = False,
    custom_encoder: dict[Any, Callable[[Any], Any]] | None = None,
    sqlalchemy_safe: bool = True,
) -> Any:
    """Convert ``obj`` into JSON-compatible data (dicts, lists, str, numbers, None)."""

    def again(value: Any, inc: IncEx = None, exc: IncEx = None) -> Any:
        return jsonable_encoder(
            value,
            inc,
            exc,
            by_alias,
            exclude_unset,
            exclude_defaults,
            exclude_none,
            custom_encoder,
            sqlalchemy_safe,
        )

    if custom_encoder:
        encoder = _encoder_for(obj, custom_encoder)
        if encoder is not None:
            return encoder(obj)
    if include is not None and not isinstance(include, set | dict):
        include = set(include)
    if exclude is not None and not isinstance(exclude, set | dict):
        exclude = set(exclude)
    dump = getattr(obj, "model_dump", None)
    if dump is not None and hasattr(type(obj), "model_fields"):  # a pydantic model
        data = dump(
            mode="json",
            include=include,
            exclude=exclude,
            by_alias=by_alias,
            exclude_unset=exclude_unset,
            exclude_defaults=exclude_defaults,
            exclude_none=exclude_none,
        )
        # as FastAPI with pydantic 2: the dump is final but for these three
        return jsonable_encoder(
            data,
            exclude_none=exclude_none,
            exclude_defaults=exclude_defaults,
            sqlalchemy_safe=sqlalchemy_safe,
        )
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        data = dataclasses.asdict(obj)
        return again(data, include, exclude)
    if isinstance(obj, msgspec.Struct):
        data = {name: getattr(obj, name) for name in obj.__struct_fields__}
        return again(data, include, exclude)
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, PurePath):
        return str(obj)
    if isinstance(obj, str | int | float | type(None)):
        return obj
    if isinstance(obj, dict):
        allowed = set(obj.keys()) if include is None else set(include)
        if exclude is not None:
            allowed -= set(exclude)
        out = {}
        for key, value in obj.items():
            if (
                (not sqlalchemy_safe or not isinstance(key, str) or not key.startswith("_sa"))
                and (value is not None or not exclude_none)
                and key in allowed
            ):
                out[again(key)] = again(value)
        return out
    if isinstance(obj, list | set | frozenset | types.GeneratorType | tuple | deque):
        return [again(item, include, exclude) for item in obj]
    encoder = _encoder_for(obj, _BY_TYPE)
    if encoder is not None:
        return encoder(obj)
    if "pydantic" in sys.modules:
        if type(obj).__name__ == "PydanticUndefinedType":
            return None
        if isinstance(obj, _pydantic_text_types()):  # URLs, secrets, colors: their str()
            return str(obj)
    if obj is Required:  # FastAPI's ``Undefined``
        return None
    if "pydantic.v1" in sys.modules:
        from fasterapi_core.validation.pydantic_v1 import refuse_pydantic_v1_instance

        refuse_pydantic_v1_instance(obj)
    try:
        data = dict(obj)
    except Exception as first:
        try:
            data = vars(obj)
        except Exception as second:
            raise ValueError([first, second]) from second
    return again(data, include, exclude)
