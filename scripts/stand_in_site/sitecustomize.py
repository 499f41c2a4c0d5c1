"""Installs the ``fastapi`` stand-in when ``fastapi`` or ``starlette`` is first imported, for
FastAPI's suite run by ``scripts/fastapi_suite.py``: on ``PYTHONPATH`` there, so the Python
subprocesses some of FastAPI's tests start (``python -m tests.test_telemetry._subprocess``) run
on FasterAPI, as the test process does through ``-p FasterAPI.as_fastapi_pytest``.

Nothing is imported at start-up (pytest must import anyio and the rest itself, to rewrite their
assertions): a finder waits for the first ``fastapi``/``starlette`` import, then installs.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType


class _InstallOnFirstImport:
    def find_spec(
        self, name: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if name.partition(".")[0] not in ("fastapi", "starlette"):
            return None
        sys.meta_path.remove(self)
        import FasterAPI.as_fastapi

        FasterAPI.as_fastapi.install()
        for finder in sys.meta_path:  # the stand-in's finder, now first
            spec = finder.find_spec(name, path, target)  # type: ignore[union-attr]
            if spec is not None:
                return spec
        return None


sys.meta_path.insert(0, _InstallOnFirstImport())
