"""Fresh interpreters for the ``fastapi`` stand-in tests (``FasterAPI.as_fastapi``).

The stand-in changes ``sys.meta_path`` and ``sys.modules``, and the test environment has the real
``fastapi`` and ``starlette`` installed (other tests compare with them), so every case runs in a
new interpreter: ``python`` as the environment is, ``python_without_fastapi`` with a copy of
site-packages that lacks both (as in an application's environment that never installed them).
The applications of ``apps/`` are importable in both.
"""

from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest
from interpreters import Interpreter

APPS = Path(__file__).resolve().parent / "apps"
HIDDEN = ("fastapi", "starlette")


def _is_hidden(entry: str) -> bool:
    """``fastapi``, ``fastapi-0.165.0.dist-info``, ``starlette``... (not ``fastapi_cli``)."""
    return any(
        entry == name or (entry.startswith(f"{name}-") and entry.endswith(".dist-info"))
        for name in HIDDEN
    )


@pytest.fixture(scope="session")
def python() -> Interpreter:
    """A fresh interpreter of this environment: the real fastapi and starlette installed."""
    return Interpreter(paths=(APPS,))


@pytest.fixture(scope="session")
def python_without_fastapi(tmp_path_factory: pytest.TempPathFactory) -> Interpreter:
    """A fresh interpreter whose site-packages has neither fastapi nor starlette."""
    real = Path(sysconfig.get_paths()["purelib"])
    shadow = tmp_path_factory.mktemp("site-packages-without-fastapi")
    for entry in real.iterdir():
        if not _is_hidden(entry.name):
            (shadow / entry.name).symlink_to(entry)
    interpreter = Interpreter(shadow, paths=(APPS,))
    found = interpreter.run(
        "import importlib.util, json\n"
        "print(json.dumps([importlib.util.find_spec(n) is not None for n in "
        f"{list(HIDDEN)!r}] + [importlib.util.find_spec('FasterAPI') is not None]))"
    )
    assert found == [False, False, True]
    return interpreter
