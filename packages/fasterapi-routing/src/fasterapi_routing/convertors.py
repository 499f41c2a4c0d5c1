"""Path parameter convertors: ``{x:int}``, ``{x:float}``, ``{x:uuid}``, ``{x:str}``, ``{x:path}``.

A convertor turns one matched piece of the URL path into a Python value (``parse``) and back
(``to_string``). ``parse`` never raises: it returns :data:`NO_MATCH` when the text does not fit,
so the router can try the next alternative.
"""

from __future__ import annotations

import math
import re
import uuid
from typing import Any, Final

__all__ = [
    "CONVERTORS",
    "NO_MATCH",
    "Convertor",
    "FloatConvertor",
    "IntegerConvertor",
    "PathConvertor",
    "StringConvertor",
    "UUIDConvertor",
    "register_convertor",
]


class _NoMatch:
    __slots__ = ()

    def __repr__(self) -> str:
        return "NO_MATCH"


NO_MATCH: Final[Any] = _NoMatch()
"""Sentinel returned by :meth:`Convertor.parse` when the text is not a valid value."""

# Errors a conversion may legitimately raise on text that passed the regex (e.g. ``int`` on
# more than ``sys.get_int_max_str_digits()`` digits raises ValueError).
_CONVERSION_ERRORS = (ValueError, TypeError, OverflowError, ArithmeticError)


class Convertor:
    """Base class: subclass it and set ``regex`` and ``convert`` to add a custom convertor.

    ``regex`` describes the accepted text (without anchors, used inside pattern segments such as
    ``/v{version:int}``); ``convert`` turns that text into a value, raising ``ValueError`` to
    reject it; ``to_string`` is the reverse, used to build URLs.
    """

    __slots__ = ("_compiled",)
    regex: str = "[^/]+"

    def __init__(self) -> None:
        self._compiled = re.compile(self.regex, re.DOTALL)

    def convert(self, value: str) -> Any:
        """Convert matched text to a value; raise ``ValueError`` to reject it."""
        return value

    def to_string(self, value: Any) -> str:
        """Render a value back into URL path text."""
        return str(value)

    def parse(self, value: str) -> Any:
        """Return the converted value or :data:`NO_MATCH`; never raises."""
        if self._compiled.fullmatch(value) is None:
            return NO_MATCH
        try:
            return self.convert(value)
        except _CONVERSION_ERRORS:
            return NO_MATCH

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class StringConvertor(Convertor):
    """``{x}`` / ``{x:str}``: one non-empty path segment (no ``/``)."""

    __slots__ = ()
    regex = "[^/]+"

    def parse(self, value: str) -> Any:
        if not value or "/" in value:
            return NO_MATCH
        return value

    def to_string(self, value: Any) -> str:
        text = str(value)
        if not text or "/" in text:
            raise ValueError(f"invalid value for a str path parameter: {text!r}")
        return text


class PathConvertor(Convertor):
    """``{x:path}``: the rest of the path, slashes included; may be empty."""

    __slots__ = ()
    regex = ".*"

    def parse(self, value: str) -> Any:
        return value


class IntegerConvertor(Convertor):
    """``{x:int}``: ASCII digits (non-negative) converted to ``int``."""

    __slots__ = ()
    regex = "[0-9]+"

    def parse(self, value: str) -> Any:
        if not (value.isascii() and value.isdigit()):
            return NO_MATCH
        try:
            return int(value)
        except ValueError:  # more digits than sys.get_int_max_str_digits()
            return NO_MATCH

    def convert(self, value: str) -> Any:
        return int(value)

    def to_string(self, value: Any) -> str:
        number = int(value)
        if number < 0:
            raise ValueError(f"negative value for an int path parameter: {number}")
        return str(number)


class FloatConvertor(Convertor):
    """``{x:float}``: digits with an optional ``.digits`` fraction, converted to ``float``."""

    __slots__ = ()
    regex = r"[0-9]+(?:\.[0-9]+)?"

    def convert(self, value: str) -> Any:
        return float(value)

    def to_string(self, value: Any) -> str:
        number = float(value)
        if number < 0 or not math.isfinite(number):
            raise ValueError(f"invalid value for a float path parameter: {number}")
        text = repr(number)
        if "e" in text:  # the regex accepts no exponent
            text = f"{number:f}"
        return text


class UUIDConvertor(Convertor):
    """``{x:uuid}``: canonical 8-4-4-4-12 hexadecimal UUID (any case) converted to ``UUID``."""

    __slots__ = ()
    regex = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

    def parse(self, value: str) -> Any:
        if len(value) != 36 or self._compiled.fullmatch(value) is None:
            return NO_MATCH
        return uuid.UUID(value)

    def convert(self, value: str) -> Any:
        return uuid.UUID(value)


CONVERTORS: dict[str, Convertor] = {
    "str": StringConvertor(),
    "path": PathConvertor(),
    "int": IntegerConvertor(),
    "float": FloatConvertor(),
    "uuid": UUIDConvertor(),
}
"""Convertors known to every router, by name (``{x:name}``)."""


def register_convertor(name: str, convertor: Convertor) -> None:
    """Make ``{x:name}`` available to routes registered afterwards."""
    if not name.isidentifier():
        raise ValueError(f"convertor name must be an identifier, got {name!r}")
    if name in ("str", "path"):
        raise ValueError(f"cannot replace the built-in {name!r} convertor")
    CONVERTORS[name] = convertor
