"""``fastapi._compat.PYDANTIC_VERSION_MINOR_TUPLE``: the installed pydantic's (major, minor).

Imported only when that name is used, since pydantic is an optional dependency of FasterAPI.
"""

from __future__ import annotations

from pydantic.version import VERSION as PYDANTIC_VERSION

__all__ = ["PYDANTIC_VERSION", "PYDANTIC_VERSION_MINOR_TUPLE"]

PYDANTIC_VERSION_MINOR_TUPLE = tuple(int(part) for part in PYDANTIC_VERSION.split(".")[:2])
