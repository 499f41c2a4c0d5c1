"""A failing background task over real HTTP: fasterapi-server against uvicorn.

tests/background/failing_background_app.py is served three ways: FastAPI under uvicorn (the
reference), FasterAPI under uvicorn and FasterAPI under fasterapi-server. The same raw requests
are played on each; after a task fails (its response already complete) the server logs the
error once, with its traceback, and closes the connection, as uvicorn does; the tasks after the
failing one never run. One intentional difference: a pipelined request whose response is still
being produced when the task fails is answered by fasterapi-server (``Connection: close``, then
closed), where uvicorn closes the connection under it (that request gets no answer).
"""

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("uvicorn")
pytest.importorskip("fasterapi_server")

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "serving"))
from serving_support import ROOT, free_port

APP = "tests.background.failing_background_app"
SERVERS = {
    "uvicorn-fastapi": ("uvicorn", "fastapi_app"),
    "uvicorn-fasterapi": ("uvicorn", "fasterapi_app"),
    "fasterapi-server": ("fasterapi_server", "fasterapi_app"),
}
KEEP_ALIVE = 5  # seconds: a connection closed sooner was closed because of the failure


def _get(path: bytes) -> bytes:
    return b"GET " + path + b" HTTP/1.1\r\nHost: t\r\n\r\n"


@dataclass(frozen=True)
class Exchange:
    """The responses read on one connection (status, connection header, body) and whether the
    server closed it before the client stopped waiting."""

    responses: tuple[tuple[int, str | None, Any], ...]
    closed: bool


def _parse(data: bytes) -> tuple[tuple[int, str | None, Any], ...]:
    responses = []
    while data:
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        length = int(headers["content-length"])
        responses.append((status, headers.get("connection"), json.loads(rest[:length])))
        data = rest[length:]
    return tuple(responses)


def exchange(port: int, data: bytes, wait: float = 2.0) -> Exchange:
    """Write ``data`` on a fresh connection; read until the server closes it or ``wait`` s of
    silence."""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(data)
        sock.settimeout(wait)
        received, closed = b"", False
        try:
            while chunk := sock.recv(65536):
                received += chunk
            closed = True
        except TimeoutError:
            pass
        except ConnectionResetError:
            closed = True
    return Exchange(_parse(received), closed)


@dataclass
class Outcome:
    charge: Exchange
    keep_alive: Exchange
    pipelined: Exchange
    pipelined_in_flight: Exchange
    ran: list[str]
    log: str


def _serve_and_play(module: str, app: str, log_path: Path) -> Outcome:
    port = free_port()
    command = [sys.executable, "-m", module, f"{APP}:{app}", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--log-level", "warning"]
    command += ["--timeout-keep-alive", str(KEEP_ALIVE)]
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(command, cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.1)
        outcome = Outcome(
            charge=exchange(port, _get(b"/charge")),
            keep_alive=exchange(port, _get(b"/ok") + _get(b"/ok"), wait=1.0),
            pipelined=exchange(port, _get(b"/slow-charge") + _get(b"/ok")),
            pipelined_in_flight=exchange(port, _get(b"/slow-charge") + _get(b"/slow-ok")),
            ran=[],
            log="",
        )
        (log_response,) = exchange(port, _get(b"/log"), wait=0.5).responses
        outcome.ran = log_response[2]
    finally:
        process.terminate()
        process.wait(timeout=20)
    outcome.log = log_path.read_text(errors="replace")
    return outcome


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Outcome]]:
    base = tmp_path_factory.mktemp("background-http")
    yield {
        name: _serve_and_play(module, app, base / f"{name}.log")
        for name, (module, app) in SERVERS.items()
    }


QUEUED = (200, None, {"queued": 2})
OK = (200, None, {"ok": True})


def test_the_connection_is_closed_after_the_failure(outcomes: dict[str, Outcome]) -> None:
    for name, outcome in outcomes.items():
        assert outcome.charge == Exchange((QUEUED,), closed=True), name
        # without a failure the connection is kept alive
        assert outcome.keep_alive == Exchange((OK, OK), closed=False), name
        # a pipelined request answered before the failure: both answers, then closed
        assert outcome.pipelined == Exchange((QUEUED, OK), closed=True), name


def test_a_request_in_flight_is_answered_before_the_close(
    outcomes: dict[str, Outcome],
) -> None:
    """The intentional difference: uvicorn drops the request in flight, fasterapi-server
    answers it as the connection's last response."""
    for name in ("uvicorn-fastapi", "uvicorn-fasterapi"):
        assert outcomes[name].pipelined_in_flight == Exchange((QUEUED,), closed=True), name
    assert outcomes["fasterapi-server"].pipelined_in_flight == Exchange(
        (QUEUED, (200, "close", {"ok": "late"})), closed=True
    )


def test_the_tasks_after_the_failing_one_never_run(outcomes: dict[str, Outcome]) -> None:
    for name, outcome in outcomes.items():
        assert outcome.ran == ["charge", "slow charge", "slow charge"], name


def test_each_failure_is_logged_once_with_its_traceback(outcomes: dict[str, Outcome]) -> None:
    for name, outcome in outcomes.items():
        log = outcome.log
        assert log.count("Traceback (most recent call last)") == 3, (name, log)
        # the traceback's last line (FasterAPI adds a one-line "GET /charge" line per error)
        assert log.count("app.ChargeFailed: card declined\n") == 1, (name, log)
        assert log.count("app.ChargeFailed: card declined late\n") == 2, (name, log)
