"""scripts/fastapi_suite.py's two configurations (without Starlette, and ``--with-starlette``):
their own working folders and expectations files, and each refuses the other's environment."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
sys.path.insert(0, str(SCRIPTS))  # fastapi_suite imports sdist_suite as a top-level module

import fastapi_suite  # noqa: E402
from fastapi_suite import Configuration  # noqa: E402

WITHOUT, WITH = Configuration(with_starlette=False), Configuration(with_starlette=True)


def test_each_configuration_has_its_folder_and_expectations() -> None:
    assert WITHOUT.suite.name == "fastapi-0.165.0"
    assert WITH.suite.name == "fastapi-0.165.0-starlette"
    assert WITHOUT.suite.parent == WITH.suite.parent == fastapi_suite.CACHE
    assert WITHOUT.expectations.name == "expectations.toml"
    assert WITH.expectations.name == "expectations-starlette.toml"
    assert (WITHOUT.env, WITH.env) == ("fastapi-suite", "fastapi-suite-starlette")


@pytest.mark.parametrize("configuration", [WITHOUT, WITH], ids=["without", "with"])
def test_expectations_file_starts_with_its_header_and_gives_reasons(
    configuration: Configuration,
) -> None:
    text = configuration.expectations.read_text()
    assert text.startswith(configuration.header)
    assert f"`hatch run {configuration.env}:update`" in configuration.header
    failing = tomllib.loads(text)["failing"]
    assert failing and all(reason.strip() for reason in failing.values())


@pytest.mark.parametrize("configuration", [WITHOUT, WITH], ids=["without", "with"])
def test_refuses_an_environment_with_fastapi(configuration: Configuration) -> None:
    # The test environment has fastapi and starlette: neither configuration runs here.
    with pytest.raises(
        SystemExit, match=f"fastapi is installed here: run this in `hatch run {configuration.env}:"
    ):
        configuration.check_installed()
