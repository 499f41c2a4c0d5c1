"""The meta-package facade modules re-export the extras' public names."""

from __future__ import annotations

import importlib

import pytest

import fasterapi_extras


@pytest.mark.parametrize(
    ("facade", "module"),
    [
        ("FasterAPI.staticfiles", "fasterapi_extras.staticfiles"),
        ("FasterAPI.templating", "fasterapi_extras.templating"),
        ("FasterAPI.sqlalchemy_ext", "fasterapi_extras.sqlalchemy_ext"),
        ("FasterAPI.log_config", "fasterapi_extras.log_config"),
        ("FasterAPI.redis_cache", "fasterapi_extras.redis_cache"),
        ("FasterAPI.subinterpreters", "fasterapi_extras.subinterpreters"),
    ],
)
def test_facade_reexports_everything(facade: str, module: str) -> None:
    outer, inner = importlib.import_module(facade), importlib.import_module(module)
    assert sorted(outer.__all__) == sorted(inner.__all__)
    for name in inner.__all__:
        assert getattr(outer, name) is getattr(inner, name)
        assert getattr(fasterapi_extras, name) is getattr(inner, name)


def test_spec_import_path() -> None:
    from FasterAPI.sqlalchemy_ext import sqlalchemy_session_dependency

    assert callable(sqlalchemy_session_dependency)
