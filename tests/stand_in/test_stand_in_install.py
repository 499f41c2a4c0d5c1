"""``FasterAPI.as_fastapi.install()``: what it serves, when, and how it is undone."""

from __future__ import annotations

from interpreters import Interpreter

REPORT = """
import json, sys
import FasterAPI
from FasterAPI.as_fastapi import install, is_stand_in, served, uninstall
{steps}
"""


def test_installed_fastapi_and_starlette_are_kept(python: Interpreter) -> None:
    result = python.run(
        REPORT.format(
            steps="""
served_now = sorted(install())
import fastapi, starlette.responses
print(json.dumps([
    served_now, is_stand_in(fastapi), is_stand_in(starlette.responses),
    issubclass(fastapi.FastAPI, FasterAPI.Faster), "site-packages" in fastapi.__file__,
]))
"""
        )
    )
    assert result == [[], False, False, False, True]


def test_replace_installed_serves_both(python: Interpreter) -> None:
    result = python.run(
        REPORT.format(
            steps="""
served_now = sorted(install(replace_installed=("fastapi", "starlette")))
import fastapi, starlette.responses
from fastapi import FastAPI, APIRouter
print(json.dumps([
    served_now, is_stand_in(fastapi), issubclass(FastAPI, FasterAPI.Faster),
    APIRouter is FasterAPI.FasterRouter, starlette.responses.Response is FasterAPI.Response,
    repr(fastapi), fastapi.__version__, "fastapi" in sys.modules,
]))
"""
        )
    )
    assert result == [
        ["fastapi", "starlette"],
        True,
        True,
        True,
        True,
        "<module 'fastapi' (FasterAPI stand-in)>",
        "0.165.0",
        True,
    ]


def test_replace_installed_true_replaces_fastapi_and_keeps_the_real_starlette(
    python: Interpreter,
) -> None:
    result = python.run(
        REPORT.format(
            steps="""
served_now = sorted(install(replace_installed=True))
import fastapi, starlette.requests, starlette.config
print(json.dumps([
    served_now, is_stand_in(fastapi), is_stand_in(starlette.requests),
    "site-packages" in starlette.requests.__file__, issubclass(fastapi.FastAPI, FasterAPI.Faster),
]))
"""
        )
    )
    assert result == [["fastapi"], True, False, True, True]


def test_replace_installed_refuses_unknown_names(python: Interpreter) -> None:
    result = python.run(
        REPORT.format(
            steps="""
try:
    install(replace_installed=("fastapi", "pydantic"))
except ValueError as exc:
    print(json.dumps([str(exc), sorted(served())]))
"""
        )
    )
    assert result == [
        "replace_installed names ['pydantic']: the stand-in serves only ['fastapi', 'starlette']",
        [],
    ]


def test_install_is_idempotent_and_never_narrows(python: Interpreter) -> None:
    result = python.run(
        REPORT.format(
            steps="""
from FasterAPI._stand_in.finder import StandInFinder
first = sorted(install(replace_installed=("fastapi", "starlette")))
import fastapi
again = sorted(install())
finders = sum(isinstance(f, StandInFinder) for f in sys.meta_path)
print(json.dumps([first, again, finders, sys.meta_path[0].__class__.__name__,
                  sys.modules["fastapi"] is fastapi]))
"""
        )
    )
    assert result == [
        ["fastapi", "starlette"],
        ["fastapi", "starlette"],
        1,
        "StandInFinder",
        True,
    ]


def test_uninstall_forgets_every_stand_in_module(python: Interpreter) -> None:
    result = python.run(
        REPORT.format(
            steps="""
install(replace_installed=("fastapi", "starlette"))
import fastapi.security.oauth2, starlette.status
uninstall()
left = [name for name, module in sys.modules.items() if is_stand_in(module)]
import fastapi
print(json.dumps([left, sorted(served()), is_stand_in(fastapi), "site-packages" in fastapi.__file__]))
"""
        )
    )
    assert result == [[], [], False, True]


def test_replacing_after_the_real_fastapi_was_imported_is_refused(python: Interpreter) -> None:
    result = python.run(
        REPORT.format(
            steps="""
import fastapi
try:
    install(replace_installed=("fastapi", "starlette"))
except RuntimeError as exc:
    print(json.dumps([str(exc), sorted(served())]))
"""
        )
    )
    message, served_now = result
    assert message.startswith("fastapi")
    assert "call FasterAPI.as_fastapi.install() before anything imports fastapi" in message
    assert served_now == []


def test_without_fastapi_installed_both_are_served(python_without_fastapi: Interpreter) -> None:
    result = python_without_fastapi.run(
        REPORT.format(
            steps="""
served_now = sorted(install())
import fastapi, starlette.routing
print(json.dumps([served_now, is_stand_in(fastapi), starlette.routing.Mount is FasterAPI.routing.Mount]))
"""
        )
    )
    assert result == [["fastapi", "starlette"], True, True]


def test_without_install_fastapi_is_simply_missing(python_without_fastapi: Interpreter) -> None:
    result = python_without_fastapi.run(
        """
import json
try:
    import fastapi
except ModuleNotFoundError as exc:
    print(json.dumps(str(exc)))
"""
    )
    assert result == "No module named 'fastapi'"
