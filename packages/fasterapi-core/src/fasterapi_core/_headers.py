"""``Headers`` and ``MutableHeaders``: case-insensitive, multi-valued, raw bytes kept."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from typing import Any

from fasterapi_core.types import Scope

__all__ = ["Headers", "MutableHeaders"]

RawHeaders = list[tuple[bytes, bytes]]
_FORBIDDEN = ("\r", "\n", "\0")


def _key(name: str) -> bytes | None:
    """The lower-cased latin-1 form of ``name``; ``None`` if it cannot be a header name."""
    try:
        return name.lower().encode("latin-1")
    except UnicodeEncodeError:
        return None


def _same(name: bytes, key: bytes | None) -> bool:
    """Case-insensitive comparison of a raw header name with a lower-cased key."""
    return name == key or (key is not None and len(name) == len(key) and name.lower() == key)


def _encode_pair(name: str, value: str) -> tuple[bytes, bytes]:
    """Validate and encode one header for sending; ``ValueError`` on injection attempts."""
    for char in _FORBIDDEN:
        if char in name or char in value:
            raise ValueError(f"Invalid header {name!r}: CR, LF and NUL are not allowed")
    if not name:
        raise ValueError("Header name must not be empty")
    return name.lower().encode("latin-1"), value.encode("latin-1")


class Headers(Mapping[str, str]):
    """Immutable, case-insensitive HTTP headers.

    ``get``/``[]`` return the first value, ``getlist`` every value, ``raw`` the original byte
    pairs. Values are decoded as latin-1, so any byte sequence is accepted.
    """

    __slots__ = ("_list",)

    def __init__(
        self,
        headers: Mapping[str, str] | None = None,
        raw: RawHeaders | None = None,
        scope: Scope | None = None,
    ) -> None:
        self._list: RawHeaders
        if headers is not None:
            if raw is not None or scope is not None:
                raise TypeError("Pass only one of 'headers', 'raw' or 'scope'")
            self._list = [_encode_pair(k, v) for k, v in headers.items()]
        elif raw is not None:
            if scope is not None:
                raise TypeError("Pass only one of 'headers', 'raw' or 'scope'")
            self._list = raw
        elif scope is not None:
            self._list = self._from_scope(scope)
        else:
            self._list = []

    @staticmethod
    def _from_scope(scope: Scope) -> RawHeaders:
        raw = scope.get("headers")
        if raw is None:
            return []
        return raw if isinstance(raw, list) else list(raw)

    @property
    def raw(self) -> RawHeaders:
        """The header byte pairs exactly as received (or as set)."""
        return self._list

    def getlist(self, key: str) -> list[str]:
        """Every value of header ``key``, in order."""
        bkey = _key(key)
        return [v.decode("latin-1") for k, v in self._list if _same(k, bkey)]

    def get(self, key: str, default: Any = None) -> Any:
        """The first value of header ``key`` (case-insensitive), or ``default``."""
        bkey = _key(key)
        for k, v in self._list:
            if _same(k, bkey):
                return v.decode("latin-1")
        return default

    def __getitem__(self, key: str) -> str:
        value: str | None = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        bkey = _key(key)
        return any(_same(k, bkey) for k, _ in self._list)

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self._list)

    def keys(self) -> list[str]:  # type: ignore[override]
        """Every header name, lowercased, in order (repeated names repeat)."""
        return [k.decode("latin-1").lower() for k, _ in self._list]

    def values(self) -> list[str]:  # type: ignore[override]
        """Every header value, in order."""
        return [v.decode("latin-1") for _, v in self._list]

    def items(self) -> list[tuple[str, str]]:  # type: ignore[override]
        """Every ``(lowercased name, value)`` pair, in order, repeats included."""
        return [(k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in self._list]

    def multi_items(self) -> list[tuple[str, str]]:
        """Every ``(name, value)`` pair, repeated names included."""
        return self.items()

    def mutablecopy(self) -> MutableHeaders:
        """A ``MutableHeaders`` holding a copy of these headers."""
        return MutableHeaders(raw=list(self._list))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Headers):
            return NotImplemented
        return sorted(self.items()) == sorted(other.items())

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        items = self.items()
        if len({k for k, _ in items}) == len(items):
            return f"{type(self).__name__}({dict(items)!r})"
        return f"{type(self).__name__}(raw={self._list!r})"


class MutableHeaders(Headers, MutableMapping[str, str]):
    """Headers that can be edited in place; ``raw`` is the live list (no copy is made).

    Names and values containing CR, LF or NUL are rejected with ``ValueError``.
    """

    __slots__ = ()

    @staticmethod
    def _from_scope(scope: Scope) -> RawHeaders:
        raw = scope.get("headers")
        if not isinstance(raw, list):
            raw = scope["headers"] = list(raw or ())
        return raw

    def __setitem__(self, key: str, value: str) -> None:
        """Set ``key`` to ``value``, replacing every existing value."""
        pair = _encode_pair(key, value)
        bkey = pair[0]
        raw = self._list
        found = [i for i, (k, _) in enumerate(raw) if _same(k, bkey)]
        if not found:
            raw.append(pair)
            return
        raw[found[0]] = pair
        for i in reversed(found[1:]):
            del raw[i]

    def __delitem__(self, key: str) -> None:
        """Remove every value of ``key`` (no error when absent)."""
        bkey = _key(key)
        self._list[:] = [(k, v) for k, v in self._list if not _same(k, bkey)]

    def append(self, key: str, value: str) -> None:
        """Add a value for ``key`` without removing existing ones."""
        self._list.append(_encode_pair(key, value))

    def setdefault(self, key: str, value: str = "") -> str:
        """Return the first value of ``key``, setting it to ``value`` if absent."""
        existing: str | None = self.get(key)
        if existing is not None:
            return existing
        self._list.append(_encode_pair(key, value))
        return value

    def update(  # type: ignore[override]
        self, other: Mapping[str, str] | Iterable[tuple[str, str]] = (), /, **kwargs: str
    ) -> None:
        """Set each given header, replacing existing values."""
        pairs = other.items() if isinstance(other, Mapping) else other
        for key, value in pairs:
            self[key] = value
        for key, value in kwargs.items():
            self[key] = value

    def clear(self) -> None:
        """Remove every header."""
        self._list.clear()

    def add_vary_header(self, vary: str) -> None:
        """Add ``vary`` to the ``Vary`` header, skipping names already listed."""
        existing = self.get("vary")
        if not existing:
            self["vary"] = vary
            return
        present = {item.strip().lower() for item in existing.split(",")}
        new = [item.strip() for item in vary.split(",") if item.strip().lower() not in present]
        if new:
            self["vary"] = ", ".join([existing, *new])

    def __ior__(self, other: Mapping[str, str]) -> MutableHeaders:
        self.update(other)
        return self

    def __or__(self, other: Mapping[str, str]) -> MutableHeaders:
        new = self.mutablecopy()
        new.update(other)
        return new
