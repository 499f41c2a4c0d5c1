"""Optional dependencies: a missing one raises an ImportError naming the extra that brings it."""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["missing_extra", "require"]


def missing_extra(module: str, extra: str) -> ImportError:
    """The error for a missing ``module``; ``extra`` installs it (``"fasterapi-core[testing]"``)."""
    top = module.partition(".")[0]
    return ImportError(
        f'{top} is not installed; it comes with an extra: pip install "{extra}"', name=top
    )


def require(module: str, extra: str) -> ModuleType:
    """Import ``module``, or raise :func:`missing_extra`'s error when it cannot be found."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        raise missing_extra(module, extra) from exc
