"""``fasterapi dev`` (fasterapi-server, auto-reload) with a real process on 127.0.0.1: while a
change leaves the code unable to import or start, every request is answered at once with
``500`` and the error (it used to hang until the code was fixed), and the next fix is served."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from fasterapi_server.reload_worker import BROKEN_HEADING

ENV = dict(os.environ, PYTHON_COLORS="0", NO_COLOR="1")
REQUEST_TIMEOUT = 10.0
"""Seconds a request may take: far more than a restart, far less than "hangs until fixed"."""

VERSION = """\
from FasterAPI import Faster

app = Faster()


@app.get("/")
async def root():
    return {{"version": {}}}
"""

SYNTAX_ERROR = """\
from FasterAPI import Faster

app = Faster(

@app.get("/")
async def root():
    return {"version": 0}
"""

RAISES_AT_IMPORT = """\
from FasterAPI import Faster
import settings

DATABASE = settings.load()
app = Faster()
"""

SETTINGS = """\
def load():
    values = {}
    return values["DATABASE_URL"]
"""

FAILING_LIFESPAN = """\
from contextlib import asynccontextmanager

from FasterAPI import Faster


@asynccontextmanager
async def lifespan(app):
    raise RuntimeError("database unreachable")
    yield


app = Faster(lifespan=lifespan)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class DevServer:
    """``fasterapi dev APP --port P`` (default host) in its own process group."""

    def __init__(self, app: Path) -> None:
        self.port = free_port()
        self.log_path = app.parent / "dev.log"
        command = [sys.executable, "-m", "FasterAPI.cli", "dev", str(app), "--port", str(self.port)]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=app.parent,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=ENV,
                start_new_session=True,
            )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def get(self, path: str = "/") -> httpx.Response:
        """One request; a hang fails the test (with the server's log) instead of being retried."""
        try:
            return httpx.get(f"http://127.0.0.1:{self.port}{path}", timeout=REQUEST_TIMEOUT)
        except httpx.TimeoutException:
            pytest.fail(f"no answer within {REQUEST_TIMEOUT} s:\n{self.log()}")

    def wait_for(self, accept: Callable[[httpx.Response], bool], what: str) -> httpx.Response:
        """Request until ``accept`` says yes (an older version may answer for a moment)."""
        deadline = time.monotonic() + 30
        while True:
            assert self.process.poll() is None, self.log()
            try:
                response = self.get()
                if accept(response):
                    return response
            except httpx.TransportError:
                pass  # not listening yet
            assert time.monotonic() < deadline, f"{what} never happened:\n{self.log()}"
            time.sleep(0.1)

    def websocket_status_line(self) -> bytes:
        """The status line the server answers a WebSocket handshake with."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=REQUEST_TIMEOUT) as sock:
            sock.sendall(
                b"GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
            )
            return sock.recv(65536).split(b"\r\n", 1)[0]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def python_reports(script: Path) -> str:
    """What ``python script.py`` writes to stderr: Python's own report of the error."""
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=script.parent,
        capture_output=True,
        text=True,
        timeout=60,
        env=ENV,
    )
    assert result.returncode == 1
    return result.stderr


def is_version(number: int) -> Callable[[httpx.Response], bool]:
    def accept(response: httpx.Response) -> bool:
        return response.status_code == 200 and response.json() == {"version": number}

    return accept


def is_broken(response: httpx.Response) -> bool:
    return response.status_code == 500


@pytest.fixture
def app(tmp_path: Path) -> Path:
    module = tmp_path / "devapp.py"
    module.write_text(VERSION.format(1))
    (tmp_path / "settings.py").write_text(SETTINGS)
    return module


@pytest.fixture
def server(app: Path) -> Iterator[DevServer]:
    dev = DevServer(app)
    try:
        yield dev
    finally:
        dev.stop()


def test_a_broken_reload_answers_500_with_the_error_then_recovers(
    app: Path, server: DevServer
) -> None:
    server.wait_for(is_version(1), "serving version 1")

    app.write_text(SYNTAX_ERROR)
    broken = server.wait_for(is_broken, "a 500 for the syntax error")
    expected = python_reports(app)
    assert expected.startswith(f'  File "{app}", line 3\n    app = Faster(\n')
    assert broken.text == BROKEN_HEADING + "Error loading ASGI app:\n" + expected
    assert broken.headers["content-type"] == "text/plain; charset=utf-8"
    assert broken.headers["cache-control"] == "no-store"
    assert server.get("/any/other/path").text == broken.text  # every request, at once
    assert server.websocket_status_line() == b"HTTP/1.1 403 Forbidden"
    assert "failed to start: fix the code; answering 500 with the error until then" in (
        server.log()
    )

    app.write_text(RAISES_AT_IMPORT)
    raised = server.wait_for(lambda r: is_broken(r) and "KeyError" in r.text, "the KeyError")
    expected = python_reports(app)
    assert raised.text == BROKEN_HEADING + "Error loading ASGI app:\n" + expected
    body = raised.text.splitlines()
    assert body[3:6] == [
        "Traceback (most recent call last):",
        f'  File "{app}", line 4, in <module>',
        "    DATABASE = settings.load()",
    ]
    assert body[-1] == "KeyError: 'DATABASE_URL'"
    for internal in ("importlib", "_bootstrap", "fasterapi_server", "FasterAPI/"):
        assert internal not in raised.text

    app.write_text(VERSION.format(2))
    server.wait_for(is_version(2), "serving the fixed version 2")
    assert server.process.poll() is None


def test_a_failing_lifespan_after_a_reload_answers_500_too(app: Path, server: DevServer) -> None:
    server.wait_for(is_version(1), "serving version 1")
    app.write_text(FAILING_LIFESPAN)
    broken = server.wait_for(is_broken, "a 500 for the failed startup")
    assert broken.text.startswith(BROKEN_HEADING + "Application startup failed: ")
    assert f'  File "{app}", line 8, in lifespan\n' in broken.text
    assert broken.text.endswith("RuntimeError: database unreachable\n")
    app.write_text(VERSION.format(3))
    server.wait_for(is_version(3), "serving the fixed version 3")


def listening_addresses(pid: int) -> list[str]:
    """The IPv4 ``address:port`` pairs process ``pid`` listens on (Linux /proc)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        target = os.readlink(fd)
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    found = []
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[3] == "0A" and fields[9] in inodes:  # state LISTEN, socket inode
            address, port = fields[1].split(":")
            octets = [str(int(address[i : i + 2], 16)) for i in (6, 4, 2, 0)]
            found.append(".".join(octets) + ":" + str(int(port, 16)))
    return found


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux /proc")
def test_dev_listens_on_the_loopback_only_by_default(app: Path, server: DevServer) -> None:
    server.wait_for(is_version(1), "serving version 1")
    assert listening_addresses(server.process.pid) == [f"127.0.0.1:{server.port}"]
