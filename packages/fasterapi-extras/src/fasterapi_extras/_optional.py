"""Import optional third-party packages with an error that names the extra to install."""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["require"]


def require(module: str, extra: str) -> ModuleType:
    """Import ``module``; if missing raise ImportError naming ``fasterapi-extras[extra]``."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(
            f'{module!r} is required for this feature: pip install "fasterapi-extras[{extra}]"'
        ) from exc
