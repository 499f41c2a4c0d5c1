"""``fasterapi run/dev --as-fastapi``: an unmodified FastAPI app served on FasterAPI, in every
worker and on every ASGI server, while without the flag the installed FastAPI serves it."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from cli_process import start, stop

APP = """\
from fastapi import Depends, FastAPI, Query
from starlette.responses import PlainTextResponse

app = FastAPI()


def limit(n: int = Query(1, ge=1)) -> int:
    return n


@app.get("/health")
def health(n: int = Depends(limit)) -> dict[str, object]:
    import FasterAPI

    return {"faster": isinstance(app, FasterAPI.Faster), "n": n}


@app.get("/text")
def text() -> PlainTextResponse:
    return PlainTextResponse("plain")
"""


@pytest.fixture
def fastapi_app(tmp_path: Path) -> Path:
    (tmp_path / "main.py").write_text(APP)
    return tmp_path


@pytest.mark.parametrize(
    "args",
    [
        ["run", "main.py", "--as-fastapi", "--server", "fasterapi", "--workers", "2"],
        ["run", "main.py", "--as-fastapi", "--server", "uvicorn"],
        ["dev", "main.py", "--as-fastapi"],
    ],
    ids=["fasterapi-2-workers", "uvicorn", "dev-reload"],
)
def test_an_unmodified_fastapi_app_runs_on_fasterapi(fastapi_app: Path, args: list[str]) -> None:
    process, port = start(args, fastapi_app, fastapi_app / "log.txt")
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(4):  # several connections: each worker answers as FasterAPI
            with httpx.Client(base_url=base, timeout=5) as client:
                assert client.get("/health?n=3").json() == {"faster": True, "n": 3}
        with httpx.Client(base_url=base, timeout=5) as client:
            text = client.get("/text")
            assert (text.status_code, text.text) == (200, "plain")
            invalid = client.get("/health?n=0")
            assert invalid.status_code == 422
            assert invalid.json()["detail"][0]["loc"] == ["query", "n"]
    finally:
        stop(process)


def test_without_the_flag_the_installed_fastapi_serves(fastapi_app: Path) -> None:
    pytest.importorskip("fastapi")  # the test environment installs FastAPI for comparisons
    process, port = start(["run", "main.py"], fastapi_app, fastapi_app / "log.txt")
    try:
        reply = httpx.get(f"http://127.0.0.1:{port}/health", timeout=5)
        assert reply.json() == {"faster": False, "n": 1}
    finally:
        stop(process)


def test_the_flag_is_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    from FasterAPI.cli import main

    for command in ("run", "dev"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert "--as-fastapi" in capsys.readouterr().out
