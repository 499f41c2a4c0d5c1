"""pytest plugin: run a test suite written for FastAPI on FasterAPI.

    pytest -p FasterAPI.as_fastapi_pytest tests/

Loading the plugin installs the stand-in (:func:`FasterAPI.as_fastapi.install`) before any
conftest or test module is imported, so their ``import fastapi`` gives FasterAPI. Where a real
``fastapi`` is installed too, add ``--as-fastapi-replace-installed`` to run on FasterAPI anyway.
"""

from __future__ import annotations

import pytest

from FasterAPI.as_fastapi import install, served

__all__: list[str] = []  # nothing to import: pytest finds the hooks below by name

install()  # before other plugins and conftests import anything; never shadows real packages


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--as-fastapi-replace-installed``: serve ``fastapi`` even where it is installed."""
    parser.addoption(
        "--as-fastapi-replace-installed",
        action="store_true",
        default=False,
        help="serve fastapi.* from FasterAPI even where it is installed (Starlette is kept)",
    )


def pytest_load_initial_conftests(
    early_config: pytest.Config, parser: pytest.Parser, args: list[str]
) -> None:
    """Re-install with ``replace_installed`` when asked, before the first conftest (pytest's
    own implementation, which loads them, runs last)."""
    if early_config.known_args_namespace.as_fastapi_replace_installed:
        install(replace_installed=True)


def pytest_report_header(config: pytest.Config) -> str:
    """Say which top-level names FasterAPI stands in for."""
    names = ", ".join(sorted(served())) or "nothing (both are installed)"
    return f"FasterAPI stand-in serves: {names}"
