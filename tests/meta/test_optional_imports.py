"""A missing optional dependency fails with an error naming the extra that installs it.

Each case runs in a fresh interpreter where the dependency is hidden (``sys.modules[name] =
None``, which makes ``import name`` raise ModuleNotFoundError as if it were not installed).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from fasterapi_core._optional import missing_extra, require

_PROBE = """
import json, sys
for name in {hidden!r}:
    sys.modules[name] = None
try:
{statement}
except Exception as exc:
    print(json.dumps([type(exc).__name__, str(exc)]))
else:
    print(json.dumps(None))
"""


def _message(module: str, extra: str) -> str:
    return f'{module} is not installed; it comes with an extra: pip install "{extra}"'


# (hidden modules, statement, exception type, exact message)
EXACT = {
    "core-testclient": (
        ["httpx"],
        "from fasterapi_core.testclient import TestClient",
        "ImportError",
        _message("httpx", "fasterapi-core[testing]"),
    ),
    "meta-testclient": (
        ["httpx"],
        "from FasterAPI import TestClient",
        "ImportError",
        _message("httpx", "fasterapi-core[testing]"),
    ),
    "meta-testclient-module": (
        ["httpx"],
        "from FasterAPI.testclient import TestClient",
        "ImportError",
        _message("httpx", "fasterapi-core[testing]"),
    ),
    "middleware-sessions": (
        ["itsdangerous"],
        "from fasterapi_middleware import SessionMiddleware",
        "ImportError",
        _message("itsdangerous", "fasterapi-middleware[sessions]"),
    ),
    "middleware-redis": (
        ["redis"],
        "from fasterapi_middleware import RedisRateLimitStore\n"
        "RedisRateLimitStore('redis://127.0.0.1:1')",
        "ImportError",
        _message("redis", "fasterapi-middleware[redis]"),
    ),
    "extras-jinja2": (
        ["jinja2"],
        "from fasterapi_extras import Jinja2Templates\nJinja2Templates(directory='.')",
        "ImportError",
        _message("jinja2", "fasterapi-extras[jinja2]"),
    ),
    "extras-redis": (
        ["redis"],
        "from fasterapi_extras import RedisCacheMiddleware\n"
        "RedisCacheMiddleware(None, redis_url='redis://127.0.0.1:1')",
        "ImportError",
        _message("redis", "fasterapi-extras[redis]"),
    ),
    "extras-sqlalchemy": (
        ["sqlalchemy"],
        "from fasterapi_extras import async_engine_from_url_optional\n"
        "async_engine_from_url_optional('sqlite+aiosqlite://')",
        "ImportError",
        _message("sqlalchemy", "fasterapi-extras[sqlalchemy]"),
    ),
    "extras-structlog": (
        ["structlog"],
        "from fasterapi_extras import configure_structlog\nconfigure_structlog()",
        "ImportError",
        _message("structlog", "fasterapi-extras[structlog]"),
    ),
}

# Configuration errors raised before anything is imported: the message names the extra.
NAMED = {
    "server-reload": (
        ["watchfiles"],
        "from fasterapi_server import Config\nConfig(app='main:app', reload=True)",
        "ConfigError",
        "pip install 'fasterapi-server[reload]'",
    ),
    "cli-granian": (
        ["granian"],
        "from FasterAPI.cli import choose_server\nchoose_server('granian', object())",
        "ValueError",
        "pip install 'fasterapi[granian]'",
    ),
}

OPTIONAL = [
    "httpx",
    "pydantic",
    "redis",
    "sqlalchemy",
    "aiosqlite",
    "structlog",
    "jinja2",
    "itsdangerous",
    "watchfiles",
    "granian",
]


def _probe(hidden: list[str], statement: str) -> list[str] | None:
    source = _PROBE.format(hidden=hidden, statement=textwrap.indent(statement, "    "))
    done = subprocess.run(
        [sys.executable, "-c", source], capture_output=True, text=True, timeout=60, check=True
    )
    result: list[str] | None = json.loads(done.stdout.splitlines()[-1])
    return result


@pytest.mark.parametrize("case", sorted(EXACT))
def test_missing_dependency_names_its_extra(case: str) -> None:
    hidden, statement, kind, message = EXACT[case]
    assert _probe(hidden, statement) == [kind, message]


@pytest.mark.parametrize("case", sorted(NAMED))
def test_missing_dependency_is_a_configuration_error_naming_the_extra(case: str) -> None:
    hidden, statement, kind, fragment = NAMED[case]
    result = _probe(hidden, statement)
    assert result is not None and result[0] == kind
    assert fragment in result[1]


def test_every_package_imports_without_any_optional_dependency() -> None:
    statement = (
        "import FasterAPI, fasterapi_core, fasterapi_routing, fasterapi_security\n"
        "import fasterapi_middleware, fasterapi_extras, fasterapi_server"
    )
    assert _probe(OPTIONAL, statement) is None


def test_require_names_the_top_level_module_and_keeps_the_cause() -> None:
    with pytest.raises(ImportError) as info:
        require("no_such_module_xyz.sub", "fasterapi-core[testing]")
    assert str(info.value) == _message("no_such_module_xyz", "fasterapi-core[testing]")
    assert info.value.name == "no_such_module_xyz"
    assert isinstance(info.value.__cause__, ModuleNotFoundError)


def test_require_returns_the_module() -> None:
    assert require("json", "fasterapi-core[testing]") is json


def test_missing_extra_builds_the_same_message() -> None:
    error = missing_extra("httpx", "fasterapi-core[testing]")
    assert str(error) == _message("httpx", "fasterapi-core[testing]")
