"""Fixtures for the documentation tests: import docs/examples by name."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "docs" / "examples"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session", autouse=True)
def _examples_on_path() -> Iterator[None]:
    """Examples are imported by module name, as ``fasterapi dev docs/examples/x.py`` does (the
    sub-interpreter pool imports its functions by name, so this matters)."""
    sys.path.insert(0, str(EXAMPLES))
    try:
        yield
    finally:
        sys.path.remove(str(EXAMPLES))


@pytest.fixture
def load_example() -> Callable[[str], ModuleType]:
    """Import a fresh copy of an example module (its module-level state starts anew)."""

    def load(name: str) -> ModuleType:
        package = name.partition(".")[0]
        for loaded in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[loaded]
        module = importlib.import_module(name)
        assert Path(module.__file__ or "").resolve().is_relative_to(EXAMPLES), module.__file__
        return module

    return load
