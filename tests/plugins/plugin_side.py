"""One side of the differential plugin tests: ``python plugin_side.py fastapi|fasterapi MODULE...``.

Plugins import ``fastapi`` and ``starlette`` when they are imported and keep what they got, so
each side runs in a process of its own. On the ``fasterapi`` side the ``fastapi`` stand-in is
installed with ``replace_installed=True`` first (a real Starlette is kept, as in an application
that installs it); the ``fastapi`` side imports the real FastAPI. Then every ``scenario_*``
function of each ``MODULE`` (a module of this folder) runs, in the order of the file, and the
last line printed is one JSON object: ``{"framework": ..., "answers": {module: {scenario:
answers}}}``, where a
scenario that raised gives ``{"raised": "ExceptionType: message"}``, and every scenario of a
module that does not import (a plugin that imports what FasterAPI lacks) gives
``{"raised": "import: ExceptionType: message"}``.
"""

from __future__ import annotations

import ast
import importlib
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def scenario_names(module_name: str) -> list[str]:
    """The ``scenario_*`` functions of a module of this folder, in file order, read without
    importing it."""
    tree = ast.parse((HERE / f"{module_name}.py").read_text())
    return [
        node.name.removeprefix("scenario_")
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("scenario_")
    ]


def run_module(module_name: str) -> dict[str, Any]:
    """``{scenario: answers}`` of every scenario of ``module_name``."""
    answers: dict[str, Any] = {}
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:  # the plugin does not import on this side
        for name in scenario_names(module_name):
            answers[name] = {"raised": f"import: {type(exc).__name__}: {exc}"}
        return answers
    for name, scenario in list(vars(module).items()):
        if not name.startswith("scenario_") or not callable(scenario):
            continue
        try:
            answers[name.removeprefix("scenario_")] = scenario()
        except Exception as exc:  # a scenario that fails on one side is a difference to show
            answers[name.removeprefix("scenario_")] = {"raised": f"{type(exc).__name__}: {exc}"}
    return answers


def run(side: str, module_names: list[str]) -> dict[str, Any]:
    """Run every scenario of ``module_names`` on ``side``; the JSON-ready record."""
    if side == "fasterapi":
        from FasterAPI.as_fastapi import install

        install(replace_installed=True)
    elif side != "fastapi":
        raise SystemExit(f"side must be fastapi or fasterapi, not {side!r}")
    sys.path.insert(0, str(HERE))
    import fastapi

    answers = {name: run_module(name) for name in module_names}
    return {"framework": fastapi.FastAPI.__module__, "answers": answers}


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1], sys.argv[2:]), sort_keys=True))
