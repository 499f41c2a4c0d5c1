"""``fasterapi --help``, ``dev --help``, ``run --help`` and ``--version``: plain text, the
defaults shown, and what the help says about ``--server auto`` is what the command does."""

from __future__ import annotations

import importlib.metadata
import platform
import subprocess
import sys

import pytest

import FasterAPI
from FasterAPI import Faster
from FasterAPI import cli as cli_module
from FasterAPI.cli import choose_server, main
from fasterapi_server import Config


def help_of(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """What ``fasterapi ARGS --help`` prints on a 100-column terminal."""
    with pytest.raises(SystemExit) as stopped:
        main([*args, "--help"])
    assert stopped.value.code == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


@pytest.fixture(autouse=True)
def columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")


def flat(text: str) -> str:
    return " ".join(text.split())


def test_version_prints_the_fasterapi_and_python_versions() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "FasterAPI.cli", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert result.stderr == ""
    version = importlib.metadata.version("fasterapi")
    assert result.stdout == f"fasterapi {version} (Python {platform.python_version()})\n"
    assert version == FasterAPI.__version__


def test_top_level_help_is_plain_text_true_to_the_commands(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = help_of([], capsys)
    assert text.startswith("usage: fasterapi [-h] [--version] {dev,run} ...\n\n")
    for markup in ("``", ":class:", ":mod:", ":func:", ".. "):
        assert markup not in text
    assert "  fasterapi dev APP   for development: auto-reload, listens on 127.0.0.1:8000\n" in text
    assert "  fasterapi run APP   for production: listens on 0.0.0.0:8000, --workers N\n" in text
    assert (
        "The server (--server auto) is FasterAPI's own, fasterapi-server (HTTP/1.1 and WebSocket "
        "on uvloop and httptools), when it is installed; for dev, only when watchfiles is "
        "installed too. Otherwise granian's RSGI interface serves a Faster application when "
        "granian is installed and --proxy-headers is not given, and uvicorn serves anything else."
    ) in flat(text)
    assert "    dev       serve for development: auto-reload, 127.0.0.1 only\n" in text
    assert "    run       serve for production: 0.0.0.0, worker processes\n" in text
    assert "  --version   print the FasterAPI and Python versions and exit\n" in text


def test_run_help_shows_every_default(capsys: pytest.CaptureFixture[str]) -> None:
    text = help_of(["run"], capsys)
    options = text[text.index("options:\n") :]
    assert options == (
        "options:\n"
        "  -h, --help            show this help message and exit\n"
        "  --host HOST           the address to listen on (default: 0.0.0.0)\n"
        "  --port PORT           the port to listen on (default: 8000)\n"
        "  --root-path ROOT_PATH\n"
        "                        the path prefix a proxy serves the application under, e.g. /api (default:\n"
        "                        none)\n"
        "  --log-level LOG_LEVEL\n"
        "                        critical, error, warning, info, debug or trace (default: info)\n"
        "  --proxy-headers       take the client and scheme from X-Forwarded-For/-Proto sent by the\n"
        "                        addresses in $FORWARDED_ALLOW_IPS (127.0.0.1 when unset); fasterapi and\n"
        "                        uvicorn only\n"
        "  --timeout-keep-alive SECONDS\n"
        "                        how long an idle keep-alive connection stays open; fasterapi and uvicorn\n"
        "                        only (default: 5)\n"
        "  --server {auto,uvicorn,granian,granian-asgi,fasterapi}\n"
        "                        auto: fasterapi when installed (for dev, with watchfiles installed too),\n"
        "                        else granian (RSGI) for a Faster app when granian is installed and without\n"
        "                        --proxy-headers, else uvicorn; granian serves Faster apps only,\n"
        "                        granian-asgi any ASGI app (default: auto)\n"
        "  --as-fastapi          serve an unmodified FastAPI app: its imports of fastapi.* and starlette.*\n"
        "                        get FasterAPI's (the fastapi stand-in, installed in every worker)\n"
        "  --workers WORKERS     the number of worker processes (default: 1)\n"
    )
    assert "Serve APP for production, on 0.0.0.0 (every interface), in --workers" in text


def test_dev_help_shows_its_own_defaults_and_the_broken_reload_behaviour(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = flat(help_of(["dev"], capsys))
    assert "--host HOST the address to listen on (default: 127.0.0.1)" in text
    assert "--port PORT the port to listen on (default: 8000)" in text
    assert "--no-reload do not restart on changes" in text
    assert "--workers" not in text
    assert (
        "Serve APP for development, on 127.0.0.1 (this machine only), restarting the server when "
        "a .py file changes. On the fasterapi server (the default), while a change leaves the "
        "code unable to import or start, every request is answered with 500 and the error, "
        "until a change fixes it."
    ) in text


def test_the_shown_defaults_are_the_ones_used() -> None:
    from FasterAPI._cli_parser import build_parser

    dev = build_parser().parse_args(["dev", "main:app"])
    run = build_parser().parse_args(["run", "main:app"])
    assert (dev.host, dev.port, dev.server, dev.log_level) == ("127.0.0.1", 8000, "auto", "info")
    assert (run.host, run.port, run.server, run.workers) == ("0.0.0.0", 8000, "auto", 1)
    assert dev.root_path == run.root_path == ""
    assert dev.timeout_keep_alive is None  # then each server's own default: 5 s for both
    assert Config(app="main:app").timeout_keep_alive == 5.0


def test_auto_follows_the_order_the_help_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    async def plain_asgi(scope: object, receive: object, send: object) -> None:
        """Not a Faster application."""

    # fasterapi when installed, for dev only with watchfiles installed too ...
    assert choose_server("auto", Faster(), reload=True) == "fasterapi"
    monkeypatch.setattr(cli_module, "_watchfiles_installed", lambda: False)
    assert choose_server("auto", Faster(), reload=True) == "granian"
    assert choose_server("auto", Faster(), reload=False) == "fasterapi"
    # ... else granian (RSGI) for a Faster app without --proxy-headers, else uvicorn
    monkeypatch.setattr(cli_module, "_fasterapi_server_installed", lambda: False)
    assert choose_server("auto", Faster()) == "granian"
    assert choose_server("auto", Faster(), proxy_headers=True) == "uvicorn"
    assert choose_server("auto", plain_asgi) == "uvicorn"
    monkeypatch.setattr(cli_module, "_granian_installed", lambda: False)
    assert choose_server("auto", Faster()) == "uvicorn"
