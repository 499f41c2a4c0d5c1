"""Fixtures of the parameter/DI/background/websocket/tutorial areas (helpers: fidelity.py)."""

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "params"))

from fidelity import AppFactory, Pair


@pytest.fixture
def pair() -> Iterator[Callable[..., Pair]]:
    made: list[Pair] = []

    def make(factory: AppFactory, headers: Any = ()) -> Pair:
        made.append(Pair(factory, headers))
        return made[-1]

    yield make
    for item in made:
        item.ours.close()
        item.theirs.close()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
