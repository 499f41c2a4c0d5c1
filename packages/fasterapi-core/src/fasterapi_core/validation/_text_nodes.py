"""Leaf nodes for values written in a text format: UUIDs, datetimes, dates and times.

They accept what pydantic's lax mode accepts and explain a refusal with pydantic's messages.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import uuid
from typing import Any

from fasterapi_core.validation._scalar_nodes import BAD, Errors, Node
from fasterapi_core.validation.errors import Loc, error

__all__ = ["DateNode", "DateTimeNode", "TimeNode", "UUIDNode"]


_HEX = frozenset("0123456789abcdefABCDEF")


def _uuid_problem(s: str) -> str:
    for i, ch in enumerate(s):
        if ch not in _HEX and ch != "-":
            return f"invalid character: found `{ch}` at {i}"
    if "-" not in s:
        return f"invalid length: found {len(s)}"
    groups = s.split("-")
    if len(groups) != 5:
        return f"invalid group count: expected 5, found {len(groups)}"
    expected = (8, 4, 4, 4, 12)
    for i, (g, n) in enumerate(zip(groups, expected, strict=True)):
        if len(g) != n:
            return f"invalid group length in group {i}: expected {n}, found {len(g)}"
    return "invalid UUID"


class UUIDNode(Node):
    tag = "uuid"
    exact = (uuid.UUID,)

    def check(self, v: Any, loc: Loc, errs: Errors) -> Any:
        if isinstance(v, uuid.UUID):
            return v
        if isinstance(v, str):
            try:
                return uuid.UUID(v)
            except ValueError:
                problem = _uuid_problem(v)
                errs.append(error("uuid_parsing", loc, v, {"error": problem}))
                return BAD
        errs.append(error("uuid_type", loc, v))
        return BAD


def _date_range_problem(s: str) -> str | None:
    """pydantic's message for a well-formed ``YYYY-MM-DD`` prefix naming an impossible date."""
    if len(s) < 10 or s[4] != "-" or s[7] != "-":
        return None
    year, month, day = s[:4], s[5:7], s[8:10]
    if not (year.isdigit() and month.isdigit() and day.isdigit()):
        return None
    if not 1 <= int(month) <= 12:
        return "month value is outside expected range of 1-12"
    if not 1 <= int(day) <= calendar.monthrange(int(year), int(month))[1]:
        return "day value is outside expected range"
    return None


def _temporal_problem(s: str, min_len: int) -> str:
    if min_len == 10:
        problem = _date_range_problem(s)
        if problem is not None:
            return problem
    if len(s) < min_len:
        return "input is too short"
    return (
        "unexpected extra characters at the end of the input"
        if len(s) > min_len
        else ("invalid character in input")
    )


_DATE = r"\d{4}-\d{2}-\d{2}"
_TIME = r"\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?"
_DATE_TEXT = re.compile(_DATE)
_TIME_TEXT = re.compile(_TIME)
_DATETIME_TEXT = re.compile(f"{_DATE}(?:[Tt ]{_TIME})?")
_TIMESTAMP_TEXT = re.compile(r"-?\d+(?:\.\d+)?")
_MS_THRESHOLD = 20_000_000_000  # pydantic reads larger timestamps as milliseconds


def _from_timestamp(value: float) -> dt.datetime | None:
    """A unix timestamp (seconds, or milliseconds past ``_MS_THRESHOLD``) as UTC."""
    if abs(value) > _MS_THRESHOLD:
        value = value / 1000
    try:
        return dt.datetime.fromtimestamp(value, tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _iso(text: str) -> str:
    """``text`` as ``fromisoformat`` reads it (pydantic also takes a lowercase ``t``/``z``)."""
    if len(text) > 10 and text[10] == "t":
        text = f"{text[:10]}T{text[11:]}"
    return f"{text[:-1]}Z" if text.endswith("z") else text


def parse_datetime(text: str) -> dt.datetime | None:
    """pydantic's datetime text: RFC 3339 (``T``, ``t`` or a space; seconds, fraction and
    offset optional), a bare date (midnight), or a unix timestamp; None otherwise."""
    if _DATETIME_TEXT.fullmatch(text):
        try:
            return dt.datetime.fromisoformat(_iso(text))
        except ValueError:
            return None
    if _TIMESTAMP_TEXT.fullmatch(text):
        return _from_timestamp(float(text))
    return None


def _exact_date(moment: dt.datetime) -> dt.date | None:
    """The date of ``moment`` when its time is exactly midnight, else None."""
    if moment.hour or moment.minute or moment.second or moment.microsecond:
        return None
    return moment.date()


class DateTimeNode(Node):
    tag = "datetime"
    exact = (dt.datetime,)

    def check(self, v: Any, loc: Loc, errs: Errors) -> Any:
        if isinstance(v, dt.datetime):
            return v
        if isinstance(v, str):
            moment = parse_datetime(v)
            if moment is not None:
                return moment
            err = _temporal_problem(v, 10)
            errs.append(error("datetime_from_date_parsing", loc, v, {"error": err}))
            return BAD
        if isinstance(v, int | float) and not isinstance(v, bool):
            moment = _from_timestamp(v)
            if moment is not None:
                return moment
            errs.append(error("datetime_parsing", loc, v, {"error": "invalid timestamp"}))
            return BAD
        errs.append(error("datetime_type", loc, v))
        return BAD


class DateNode(Node):
    tag = "date"
    exact = (dt.date,)

    def check(self, v: Any, loc: Loc, errs: Errors) -> Any:
        moment: dt.datetime | None = None
        if isinstance(v, dt.datetime):
            moment = v
        elif isinstance(v, dt.date):
            return v
        elif isinstance(v, str):
            if _DATE_TEXT.fullmatch(v):
                try:
                    return dt.date.fromisoformat(v)
                except ValueError:
                    pass
            else:
                moment = parse_datetime(v)
            if moment is None:
                err = _temporal_problem(v, 10)
                errs.append(error("date_from_datetime_parsing", loc, v, {"error": err}))
                return BAD
        elif isinstance(v, int | float) and not isinstance(v, bool):
            moment = _from_timestamp(v)
            if moment is None:
                errs.append(error("date_parsing", loc, v, {"error": "invalid timestamp"}))
                return BAD
        else:
            errs.append(error("date_type", loc, v))
            return BAD
        day = _exact_date(moment)
        if day is None:
            errs.append(error("date_from_datetime_inexact", loc, v))
            return BAD
        return day


class TimeNode(Node):
    tag = "time"
    exact = (dt.time,)

    def check(self, v: Any, loc: Loc, errs: Errors) -> Any:
        if isinstance(v, dt.time):
            return v
        if isinstance(v, str):
            if _TIME_TEXT.fullmatch(v):
                try:
                    return dt.time.fromisoformat(_iso(v))
                except ValueError:
                    pass
            errs.append(error("time_parsing", loc, v, {"error": _temporal_problem(v, 5)}))
            return BAD
        errs.append(error("time_type", loc, v))
        return BAD
