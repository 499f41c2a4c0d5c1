"""Import optional third-party packages with an error that names the extra to install."""

from __future__ import annotations

from types import ModuleType

from fasterapi_core._optional import require as _require

__all__ = ["require"]


def require(module: str, extra: str) -> ModuleType:
    """Import ``module``; if missing raise ImportError naming ``fasterapi-extras[extra]``."""
    return _require(module, f"fasterapi-extras[{extra}]")
