"""The JSON FastAPI writes where msgspec, left alone, would write something else.

FastAPI writes a value of no declared type with ``jsonable_encoder`` (a ``timedelta`` as its
seconds, a ``Decimal`` as an int or a float, a dataclass as its fields) and a value of a
declared type with pydantic (a ``timedelta`` as the ISO 8601 duration pydantic writes,
``P1DT2H``; ``bytes`` as UTF-8 text; a ``Decimal`` as a string). msgspec writes these types
natively and differently (``"P1DT7200S"``, base64, numbers), so:

- Decimals: msgspec's encoder is told FastAPI's format (no cost);
- a declared type that holds a ``timedelta`` or ``bytes`` is converted as pydantic converts
  it; one that cannot (most response models) keeps msgspec's one pass, decided once per
  route (:func:`typed_encoder`);
- a value of no declared type (or of a part typed ``Any``) is encoded by msgspec, and only a
  body that holds a duration (:func:`holds_duration`, a memchr) or, untyped, a UTC datetime
  (msgspec's ``Z``, FastAPI's ``+00:00``) is written again the FastAPI way. ``bytes`` there
  read from the request are written as their text (``received_bytes``); others stay base64
  (a documented difference: finding them would cost a walk of every response).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import re
import typing
from collections.abc import Callable
from typing import Any

import msgspec

from fasterapi_core.encoding import enc_hook
from fasterapi_core.jsonable import jsonable_encoder

__all__ = [
    "Recheck",
    "duration_recheck",
    "holds_duration",
    "pydantic_builtins",
    "pydantic_duration",
    "typed_encoder",
    "untyped_encode",
    "untyped_json",
    "untyped_recheck",
]


def pydantic_duration(value: dt.timedelta) -> str:
    """``value`` as pydantic writes a ``timedelta`` in JSON: an ISO 8601 duration with years
    of 365 days, then days, hours, minutes and seconds, zero parts left out (``P1DT2H``,
    ``PT1M30S``, ``-PT1.5S``, ``PT0S``)."""
    total = (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds
    parts = ["-P" if total < 0 else "P"]
    seconds, micro = divmod(abs(total), 1_000_000)
    day, second = divmod(seconds, 86_400)
    years, days = divmod(day, 365)
    if years:
        parts.append(f"{years}Y")
    if days:
        parts.append(f"{days}D")
    if second or micro or not day:
        parts.append("T")
        hours, rest = divmod(second, 3600)
        minutes, secs = divmod(rest, 60)
        if hours:
            parts.append(f"{hours}H")
        if minutes:
            parts.append(f"{minutes}M")
        if secs or micro or not (hours or minutes):
            parts.append(f"{secs}.{micro:06d}".rstrip("0") if micro else str(secs))
            parts.append("S")
    return "".join(parts)


# -- values of no declared type: jsonable_encoder's rules -------------------------------------


def _fastapi_number(value: decimal.Decimal) -> int | float:
    """A Decimal as ``jsonable_encoder`` writes it: an int when integral, else a float."""
    exponent = value.as_tuple().exponent
    return int(value) if isinstance(exponent, int) and exponent >= 0 else float(value)


_untyped_encode = msgspec.json.Encoder(enc_hook=enc_hook, decimal_format=_fastapi_number).encode
# msgspec writes every timedelta as "[-]P<days>D" and/or "[-]PT<seconds>S": a body without
# such a text holds none. Uppercase P is rare in JSON, so a body is first searched for it.
_MSGSPEC_DURATION = re.compile(rb"P(?:\d+D|T\d)")
_find_duration = _MSGSPEC_DURATION.search


def holds_duration(body: bytes) -> bool:
    """Whether msgspec's JSON ``body`` may hold a ``timedelta`` (never False when it does)."""
    # PERF: ``0x50 in body`` (ord("P"): a memchr) takes 27 ns on a small body where
    # ``b"P" in body`` takes 450 ns (CPython 3.13's buffer path); a P starts the pattern
    # search, about 25 ns per P. A type walk of the data instead: 0.3 µs for
    # {"message":"Hello World"}, 19 µs for 100 small dicts.
    return 0x50 in body and _find_duration(body) is not None


# msgspec writes a UTC datetime or time with "Z" ("...T14:00:00Z"); jsonable_encoder's
# isoformat() with "+00:00". Uppercase Z is rare in JSON too.
_find_utc = re.compile(rb'\d\d:\d\d(?:\.\d+)?Z"').search


def _same(value: Any) -> Any:
    return value


# Left to msgspec in untyped data: bytes (base64), a documented difference.
_KEPT_UNTYPED: dict[Any, Callable[[Any], Any]] = dict.fromkeys(
    (bytes, bytearray, memoryview), _same
)


def untyped_json(value: Any) -> bytes:
    """The JSON body FastAPI sends for an endpoint's return value of no declared type
    (``jsonable_encoder``, then ``json.dumps``): timedeltas as seconds, Decimals as numbers,
    dataclasses as their fields, UTC datetimes with ``+00:00``. Bytes as msgspec writes
    them (base64: a documented difference)."""
    body = _untyped_encode(value)
    # PERF: two memchr (27 ns each on a small body); the pattern searches only where an
    # uppercase P or Z appears.
    if 0x50 in body or 0x5A in body:
        return untyped_recheck(value, body)
    return body


untyped_encode: Callable[[Any], bytes] = _untyped_encode
"""msgspec's JSON of a value of no declared type (Decimals as ``jsonable_encoder`` writes
them); a body holding an uppercase P or Z must then go through :func:`untyped_recheck`."""


def untyped_recheck(value: Any, body: bytes) -> bytes:
    """``body`` (msgspec's JSON of ``value``) as FastAPI writes it: written again by
    ``jsonable_encoder``'s rules when it holds a duration or a UTC datetime."""
    if _find_duration(body) is None and _find_utc(body) is None:
        return body
    return _untyped_encode(jsonable_encoder(value, custom_encoder=_KEPT_UNTYPED))


# -- values of a declared type: pydantic's rules -----------------------------------------------

_KEPT = (dt.timedelta, bytes, bytearray, memoryview)


def _pydantic_leaves(value: Any) -> Any:
    kind = type(value)
    if kind is dict:
        return {key: _pydantic_leaves(item) for key, item in value.items()}
    if kind is list:
        return [_pydantic_leaves(item) for item in value]
    if isinstance(value, dt.timedelta):
        return pydantic_duration(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8")  # pydantic's ser_json_bytes="utf8"
    return value


def pydantic_builtins(value: Any, kept: tuple[type, ...] = _KEPT) -> Any:
    """``value`` as JSON-compatible data written by pydantic's rules (``msgspec.to_builtins``
    with the ``kept`` types, timedeltas and bytes, converted as pydantic converts them;
    Decimals as strings)."""
    return _pydantic_leaves(msgspec.to_builtins(value, builtin_types=kept, enc_hook=enc_hook))


_ANY_LIKE = (Any, object, dict, list, tuple, set, frozenset)


def _parts(annotation: Any, seen: set[int]) -> tuple[bool, bool]:
    """``(declares a timedelta or bytes, has a part of any type)`` for ``annotation``,
    models' fields included."""
    if id(annotation) in seen:
        return False, False
    seen.add(id(annotation))
    if annotation in _ANY_LIKE or isinstance(annotation, typing.TypeVar):
        return False, True
    if isinstance(annotation, type):
        if issubclass(annotation, _KEPT):
            return True, False
        if (
            dataclasses.is_dataclass(annotation)
            or issubclass(annotation, msgspec.Struct)
            or typing.is_typeddict(annotation)
        ):
            try:
                members = list(typing.get_type_hints(annotation).values())
            except Exception:
                return False, True
        else:
            return False, False
    else:
        members = list(typing.get_args(annotation))
        supertype = getattr(annotation, "__supertype__", None)  # NewType
        if supertype is not None:
            members.append(supertype)
    declares = anything = False
    for member in members:
        if member is Ellipsis or isinstance(member, str | int):
            continue  # tuple[int, ...], Literal values
        member_declares, member_any = _parts(member, seen)
        declares, anything = declares or member_declares, anything or member_any
    return declares, anything


Recheck = Callable[[Any, bytes], bytes]


def duration_recheck(annotation: Any, encode: Callable[[Any], bytes]) -> Recheck | None:
    """For a type with a part of any type (and no declared ``timedelta``/``bytes``): the
    function that, given a value and msgspec's body of it holding an uppercase P, returns
    the body pydantic's rules give (re-encoded when a duration is in it). None for any other
    type. Callers on a hot path check ``0x50 in body`` themselves, saving a call."""
    declares, anything = _parts(annotation, set())
    if declares or not anything:
        return None

    def recheck(value: Any, body: bytes) -> bytes:
        if _find_duration(body) is None:
            return body
        return encode(pydantic_builtins(value, (dt.timedelta,)))

    return recheck


def typed_encoder(annotation: Any, encode: Callable[[Any], bytes]) -> Callable[[Any], bytes]:
    """``encode`` (msgspec, Decimals as strings) for values of ``annotation`` made ready for
    it: timedeltas and bytes written as pydantic writes them. Decided here, once: a type that
    cannot hold them keeps ``encode`` itself; a part of any type (``dict[str, Any]``) is
    converted only when msgspec's JSON holds a duration (bytes there stay base64, as in an
    untyped value)."""
    declares, anything = _parts(annotation, set())
    if declares:

        def encode_converted(value: Any) -> bytes:
            return encode(pydantic_builtins(value))

        return encode_converted
    if anything:

        def encode_checked(value: Any) -> bytes:
            body = encode(value)
            if 0x50 in body and _find_duration(body) is not None:  # holds_duration
                body = encode(pydantic_builtins(value, (dt.timedelta,)))
            return body

        return encode_checked
    return encode
