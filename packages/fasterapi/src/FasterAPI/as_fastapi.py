"""Run an unmodified FastAPI application on FasterAPI: ``install()`` before importing it.

    import FasterAPI.as_fastapi

    FasterAPI.as_fastapi.install()
    from myapp import app  # `from fastapi import FastAPI, Depends` gives FasterAPI's classes

After :func:`install`, the module paths ``fastapi.*`` resolve to FasterAPI (``fastapi.FastAPI``
*is* ``FasterAPI.Faster``), and so do the ``starlette.*`` paths FastAPI applications import
when Starlette is not installed. A real ``fastapi`` that is installed is never shadowed unless
``replace_installed=True``; a real Starlette is kept (FasterAPI accepts its objects) unless
named in ``replace_installed``. A name FasterAPI cannot provide raises an
``ImportError``/``AttributeError`` saying it is not supported and why. To run a test suite
written for FastAPI: ``pytest -p FasterAPI.as_fastapi_pytest``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from FasterAPI._stand_in.fastapi_paths import FASTAPI
from FasterAPI._stand_in.finder import PathTable, StandInFinder, StandInModule
from FasterAPI._stand_in.helpers import FASTAPI_VERSION
from FasterAPI._stand_in.starlette_paths import STARLETTE

__all__ = ["FASTAPI_VERSION", "install", "is_stand_in", "served", "uninstall"]

_TABLES: dict[str, PathTable] = {"fastapi": FASTAPI, "starlette": STARLETTE}
_finder: StandInFinder | None = None


def _installed_elsewhere(top: str) -> bool:
    """Whether ``top`` is importable without the stand-in (or already imported for real)."""
    module = sys.modules.get(top)
    if module is not None:
        return not isinstance(module, StandInModule)
    for finder in sys.meta_path:
        if isinstance(finder, StandInFinder):
            continue
        find_spec = getattr(finder, "find_spec", None)
        if find_spec is not None and find_spec(top, None) is not None:
            return True
    return False


def _imported_for_real(tops: Iterable[str]) -> list[str]:
    return sorted(
        name
        for name, module in list(sys.modules.items())
        if name.partition(".")[0] in tops and not isinstance(module, StandInModule)
    )


def _replaced(replace_installed: bool | Iterable[str]) -> frozenset[str]:
    if replace_installed is True:
        return frozenset({"fastapi"})
    if replace_installed is False:
        return frozenset()
    if isinstance(replace_installed, str):
        replace_installed = (replace_installed,)
    names = frozenset(replace_installed)
    unknown = names - set(_TABLES)
    if unknown:
        raise ValueError(
            f"replace_installed names {sorted(unknown)}: the stand-in serves only {sorted(_TABLES)}"
        )
    return names


def install(*, replace_installed: bool | Iterable[str] = False) -> frozenset[str]:
    """Serve ``fastapi.*`` (and ``starlette.*``) from FasterAPI; return the top-level names
    served (empty when both are installed for real and nothing is replaced).

    Call it before the application (or anything importing ``fastapi``) is imported. Calling it
    again is harmless. ``replace_installed=True`` also serves ``fastapi.*`` where a real
    ``fastapi`` is installed, and keeps a real Starlette: FasterAPI accepts Starlette's objects,
    and the plugins that import ``starlette.*`` get all of it. ``replace_installed`` may instead
    name the top-level packages to replace (``("fastapi", "starlette")`` serves both from
    FasterAPI). Replacing raises ``RuntimeError`` if the package is already imported.
    """
    global _finder
    replaced = _replaced(replace_installed)
    wanted = {top for top in _TABLES if top in replaced or not _installed_elsewhere(top)}
    if _finder is not None:
        wanted |= set(_finder.tables)
    clash = _imported_for_real(wanted)
    if clash:
        raise RuntimeError(
            f"{', '.join(clash[:3])} already imported from the installed package: call "
            "FasterAPI.as_fastapi.install() before anything imports fastapi or starlette"
        )
    if _finder is None:
        _finder = StandInFinder({})
    _finder.tables = {top: _TABLES[top] for top in sorted(wanted)}
    if _finder in sys.meta_path:
        sys.meta_path.remove(_finder)
    sys.meta_path.insert(0, _finder)
    return frozenset(_finder.tables)


def served() -> frozenset[str]:
    """The top-level names (``"fastapi"``, ``"starlette"``) the stand-in serves now."""
    if _finder is None or _finder not in sys.meta_path:
        return frozenset()
    return frozenset(_finder.tables)


def is_stand_in(module: object) -> bool:
    """Whether ``module`` is a stand-in module (``sys.modules["starlette"]`` may be one)."""
    return isinstance(module, StandInModule)


def uninstall() -> None:
    """Stop serving and forget every stand-in module imported so far (for tests)."""
    global _finder
    if _finder is not None and _finder in sys.meta_path:
        sys.meta_path.remove(_finder)
    _finder = None
    for name, module in list(sys.modules.items()):
        if isinstance(module, StandInModule):
            del sys.modules[name]
