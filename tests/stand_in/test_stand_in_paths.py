"""Every path and name of the stand-in's tables resolves to FasterAPI; the others say why not."""

from __future__ import annotations

import pytest
from interpreters import Interpreter

from FasterAPI._stand_in.fastapi_paths import FASTAPI
from FasterAPI._stand_in.starlette_paths import STARLETTE

EVERY_NAME = """
import importlib, json
import FasterAPI.as_fastapi
FasterAPI.as_fastapi.install(replace_installed=("fastapi", "starlette"))
from FasterAPI._stand_in.fastapi_paths import FASTAPI
from FasterAPI._stand_in.starlette_paths import STARLETTE
problems = []
count = 0
for table in (FASTAPI, STARLETTE):
    for path, exports in table.modules.items():
        module = importlib.import_module(path)
        if not FasterAPI.as_fastapi.is_stand_in(module) or module.__spec__.origin != "FasterAPI stand-in":
            problems.append(f"{path}: not a stand-in module")
        for name, target in exports.items():
            count += 1
            value = getattr(module, name)
            expected_module, _, attribute = target.partition(":")
            expected = importlib.import_module(expected_module)
            if attribute:
                expected = getattr(expected, attribute)
            if value is not expected:
                problems.append(f"{path}.{name} is not {target}")
            if not name.startswith("_") and name not in module.__all__:
                problems.append(f"{path}.{name} missing from __all__")
        for child in table.children(path):
            if getattr(module, child) is not importlib.import_module(f"{path}.{child}"):
                problems.append(f"{path}.{child}: not the submodule")
print(json.dumps([count, problems]))
"""


def test_every_name_of_every_path_is_the_fasterapi_object(python: Interpreter) -> None:
    count, problems = python.run(EVERY_NAME)
    assert problems == []
    assert count == sum(len(e) for t in (FASTAPI, STARLETTE) for e in t.modules.values())


IDENTITIES = """
import json
import FasterAPI.as_fastapi
FasterAPI.as_fastapi.install(replace_installed=("fastapi", "starlette"))
import FasterAPI, FasterAPI.exceptions, fasterapi_core.dependencies
import fastapi, fastapi.exceptions, fastapi.dependencies.models, fastapi.params
import fastapi.param_functions, fastapi.status, starlette.exceptions, starlette.status
from fastapi import *
print(json.dumps([
    issubclass(fastapi.FastAPI, FasterAPI.Faster),
    fastapi.exceptions.FastAPIError is FasterAPI.exceptions.FasterAPIError,
    starlette.exceptions.HTTPException is FasterAPI.exceptions.BaseHTTPException,
    issubclass(fastapi.HTTPException, starlette.exceptions.HTTPException),
    fastapi.dependencies.models.Dependant is fasterapi_core.dependencies.Dependant,
    fastapi.params.Depends is fastapi.param_functions.Depends is FasterAPI.Depends,
    fastapi.status.__name__,
    fastapi.status.HTTP_418_IM_A_TEAPOT, starlette.status.WS_1008_POLICY_VIOLATION,
    status is fastapi.status, Depends is FasterAPI.Depends,
    "APIRouter" in dir(fastapi), "security" in dir(fastapi),
]))
"""


def test_fastapi_names_are_fasterapi_objects(python: Interpreter) -> None:
    assert python.run(IDENTITIES) == [
        True,
        True,
        True,
        True,
        True,
        True,
        "fastapi.status",
        418,
        1008,
        True,
        True,
        True,
        True,
    ]


UNSUPPORTED = [
    (
        "from fastapi.routing import serialize_response",
        "ImportError",
        "fastapi.routing.serialize_response",
        "FasterAPI compiles response serialization per route",
    ),
    (
        "from fastapi.middleware.wsgi import WSGIMiddleware",
        "ImportError",
        "fastapi.middleware.wsgi",
        "FasterAPI serves ASGI applications only",
    ),
    (
        "from fastapi.dependencies.models import _get_cache_key",
        "ImportError",
        "fastapi.dependencies.models._get_cache_key",
        "it is one of fastapi's internals",
    ),
    (
        "import fastapi.routing; fastapi.routing.serialize_response",
        "AttributeError",
        "fastapi.routing.serialize_response",
        "FasterAPI compiles response serialization per route",
    ),
    (
        "import fastapi; fastapi.no_such_name",
        "AttributeError",
        "fastapi.no_such_name",
        "FasterAPI has no equivalent",
    ),
    (
        "from fastapi.cli import main",
        "ImportError",
        "fastapi.cli",
        "the `fasterapi` command",
    ),
]


@pytest.mark.parametrize(("statement", "error", "dotted", "reason"), UNSUPPORTED)
def test_unsupported_names_raise_a_clear_error(
    python: Interpreter, statement: str, error: str, dotted: str, reason: str
) -> None:
    kind, message = python.run(
        f"""
import json
import FasterAPI.as_fastapi
FasterAPI.as_fastapi.install(replace_installed=("fastapi", "starlette"))
try:
    {statement}
except Exception as exc:
    print(json.dumps([type(exc).__name__, str(exc)]))
else:
    print(json.dumps([None, None]))
"""
    )
    assert kind == error
    assert message.startswith(f"{dotted} is not supported by FasterAPI's fastapi stand-in: ")
    assert reason in message


def test_hasattr_and_getattr_defaults_still_work(python: Interpreter) -> None:
    assert python.run(
        """
import json
import FasterAPI.as_fastapi
FasterAPI.as_fastapi.install(replace_installed=("fastapi", "starlette"))
import fastapi.routing
print(json.dumps([
    hasattr(fastapi.routing, "serialize_response"),
    getattr(fastapi.routing, "serialize_response", "default"),
    hasattr(fastapi.routing, "APIRoute"),
    hasattr(fastapi, "__file__"),
]))
"""
    ) == [False, "default", True, False]
