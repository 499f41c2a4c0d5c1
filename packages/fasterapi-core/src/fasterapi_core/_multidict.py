"""Multi-valued mappings: ``ImmutableMultiDict``, ``QueryParams`` and ``FormData``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode

from fasterapi_core._upload import UploadFile

__all__ = ["FormData", "ImmutableMultiDict", "QueryParams"]

V = TypeVar("V")
FormValue = str | UploadFile


def _pairs(source: Any) -> list[tuple[str, Any]]:
    """Normalise a mapping, a multi-dict or an iterable of pairs into a list of pairs."""
    if source is None:
        return []
    if isinstance(source, ImmutableMultiDict | FormData):
        return source.multi_items()
    if isinstance(source, Mapping):
        return list(source.items())
    return [(k, v) for k, v in source]


class ImmutableMultiDict(Mapping[str, V]):
    """An immutable mapping that keeps every value of repeated keys.

    ``[]``/``get`` return the LAST value of a key (as Starlette does); ``getlist`` all of them.
    """

    __slots__ = ("_dict", "_list")

    def __init__(self, items: Mapping[str, V] | Iterable[tuple[str, V]] | None = None) -> None:
        self._list: list[tuple[str, V]] = _pairs(items)
        self._dict: dict[str, V] = dict(self._list)

    def getlist(self, key: str) -> list[V]:
        """Every value of ``key``, in order."""
        return [v for k, v in self._list if k == key]

    def multi_items(self) -> list[tuple[str, V]]:
        """Every ``(key, value)`` pair, repeated keys included."""
        return list(self._list)

    def __getitem__(self, key: str) -> V:
        return self._dict[key]

    def __contains__(self, key: object) -> bool:
        return key in self._dict

    def __iter__(self) -> Iterator[str]:
        return iter(self._dict)

    def __len__(self) -> int:
        return len(self._dict)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return sorted(self._list, key=repr) == sorted(other._list, key=repr)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._list!r})"


def parse_query_string(query: str) -> list[tuple[str, str]]:
    """``parse_qsl(query, keep_blank_values=True)``, with a fast path for the common query
    that needs no unquoting (no ``%`` and no ``+``): a plain split gives the same pairs."""
    if "%" in query or "+" in query:
        return parse_qsl(query, keep_blank_values=True)
    pairs = []
    for part in query.split("&"):
        if part:
            key, _, value = part.partition("=")
            pairs.append((key, value))
    return pairs


class QueryParams(ImmutableMultiDict[str]):
    """Parsed query string. Parsing is tolerant: blank values are kept, ``%zz`` stays literal,
    invalid UTF-8 becomes U+FFFD; it never raises. ``;`` is not a separator."""

    __slots__ = ()

    def __init__(
        self,
        query: str | bytes | Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
    ) -> None:
        if isinstance(query, bytes):
            query = query.decode("utf-8", "replace")
        if isinstance(query, str):
            pairs = parse_query_string(query) if query else []
            self._list = pairs
            self._dict = dict(pairs)
        else:
            super().__init__(query)

    def __str__(self) -> str:
        return urlencode(self._list)


class FormData(dict[str, "str | UploadFile"]):
    """The parsed body of a form: a ``dict`` (repeated fields map to their last value) that also
    keeps every value for ``getlist`` and ``multi_items``. Values may be ``UploadFile``."""

    __slots__ = ("_list",)

    def __init__(
        self,
        items: Mapping[str, FormValue] | Iterable[tuple[str, FormValue]] | None = None,
    ) -> None:
        pairs: list[tuple[str, str | UploadFile]] = _pairs(items)
        super().__init__(pairs)
        self._list = pairs

    def getlist(self, key: str) -> list[str | UploadFile]:
        """Every value of ``key``, in order."""
        return [v for k, v in self._list if k == key]

    def multi_items(self) -> list[tuple[str, str | UploadFile]]:
        """Every ``(key, value)`` pair, repeated keys included."""
        return list(self._list)

    async def close(self) -> None:
        """Close every uploaded file in the form."""
        for _, value in self._list:
            if isinstance(value, UploadFile):
                await value.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._list!r})"
