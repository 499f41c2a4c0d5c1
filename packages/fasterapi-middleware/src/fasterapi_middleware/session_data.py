"""The data of a session as ``request.session`` shows it: a dict that records its use."""

from __future__ import annotations

from typing import Any, Self

__all__ = ["TrackedSession", "cookie_flags"]


class TrackedSession(dict[str, Any]):
    """A dict that records whether it was read (``accessed``: the response varies by cookie)
    and changed (``modified``: the session is written back). The session middlewares set
    ``accessed`` when the application reads it; every method that changes it sets both."""

    accessed: bool = False
    modified: bool = False

    def _changed(self) -> None:
        self.accessed = self.modified = True

    def __setitem__(self, key: str, value: Any) -> None:
        self._changed()
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self._changed()
        super().__delitem__(key)

    def __ior__(self, other: Any) -> Self:  # type: ignore[override,misc]
        self._changed()
        super().__ior__(other)
        return self

    def clear(self) -> None:
        """Empty the session (the cookie is then expired)."""
        self._changed()
        super().clear()

    def pop(self, key: str, *default: Any) -> Any:
        """``dict.pop``; a change when ``key`` was there."""
        if key in self:
            self._changed()
        return super().pop(key, *default)

    def popitem(self) -> tuple[str, Any]:
        """``dict.popitem``."""
        self._changed()
        return super().popitem()

    def setdefault(self, key: str, default: Any = None) -> Any:
        """``dict.setdefault``; a change when ``key`` was missing."""
        if key not in self:
            self._changed()
        return super().setdefault(key, default)

    def update(self, *args: Any, **kwargs: Any) -> None:
        """``dict.update``."""
        self._changed()
        super().update(*args, **kwargs)


def cookie_flags(same_site: str, https_only: bool, domain: str | None, partitioned: bool) -> str:
    """The attributes of a session cookie after its value: ``httponly; samesite=...`` then
    ``secure``, ``domain=...`` and ``partitioned`` when asked for."""
    flags = ["httponly", f"samesite={same_site}"]
    if https_only:
        flags.append("secure")
    if domain is not None:
        flags.append(f"domain={domain}")
    if partitioned:
        flags.append("partitioned")
    return "; ".join(flags)
