"""Run tests/serving/differential_app.py under uvicorn and fasterapi-server; talk raw bytes.

An exchange writes a case's bytes on a fresh connection and reads until the server closes it
or stays silent for ``IDLE`` seconds; the bytes read are parsed into responses and reduced to
what must agree between servers (:func:`normalise`).
"""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from serving_support import ROOT, free_port

APP = "tests.serving.differential_app:app"
KEEP_ALIVE = 2
"""The keep-alive timeout both servers are started with (seconds)."""
GRACEFUL = 5
IDLE = 1.0
"""Seconds of silence after which a connection the server keeps open is reported open."""
TOTAL = 8.0
"""Upper bound of one exchange (a server that keeps talking is cut off)."""
SERVER_COMMANDS = {
    "uvicorn": ["-m", "uvicorn", APP, "--loop", "uvloop", "--http", "httptools"],
    "uvicorn-h11": ["-m", "uvicorn", APP, "--loop", "uvloop", "--http", "h11"],
    "fasterapi": ["-m", "fasterapi_server", APP],
}
_COMMON = ["--host", "127.0.0.1", "--log-level", "warning", "--timeout-keep-alive"]


@dataclass
class Server:
    """A server process serving the differential app."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> int:
        """SIGTERM, then the exit status (killed after a bounded wait)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=GRACEFUL + 10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def start(name: str, tmp: Path, *options: str) -> Server:
    """Start server ``name`` on a free 127.0.0.1 port; wait until it accepts connections."""
    port = free_port()
    log_path = tmp / f"{name}-{port}.log"
    command = [sys.executable, *SERVER_COMMANDS[name], *_COMMON, str(KEEP_ALIVE), *options]
    command += ["--port", str(port), "--timeout-graceful-shutdown", str(GRACEFUL)]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=log_path.open("wb"), stderr=subprocess.STDOUT
    )
    server = Server(name, port, process, log_path)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return server
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(f"{name} did not start:\n{server.log()}") from None
            time.sleep(0.05)


@dataclass(frozen=True)
class Response:
    """One parsed response (header names lower-cased, values stripped)."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k == name), None)


@dataclass
class Outcome:
    """What came back on one connection: responses, unparsable rest, closed or left open."""

    responses: list[Response] = field(default_factory=list)
    rest: bytes = b""
    closed: bool = False


Step = bytes | float | str
"""A case step: bytes to write, seconds to sleep, or ``"eof"`` (shutdown the write side)."""


async def exchange(port: int, steps: Sequence[Step], head: bool = False) -> Outcome:
    """Play ``steps`` on a new connection and read until closed or ``IDLE`` seconds of silence."""
    loop = asyncio.get_running_loop()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    data, closed = b"", False
    try:
        for step in steps:
            if isinstance(step, bytes):
                writer.write(step)
                await writer.drain()
            elif isinstance(step, float):
                await asyncio.sleep(step)
            else:
                writer.write_eof()
        deadline = loop.time() + TOTAL
        while loop.time() < deadline:
            try:
                chunk = await asyncio.wait_for(reader.read(65536), IDLE)
            except TimeoutError:
                break
            if not chunk:
                closed = True
                break
            data += chunk
    except (ConnectionResetError, BrokenPipeError):
        closed = True
    finally:
        writer.close()
    return parse(data, closed, head)


def parse(data: bytes, closed: bool, head: bool = False) -> Outcome:
    """Split the bytes a server sent into responses (``head``: they answer HEAD requests)."""
    outcome = Outcome(closed=closed)
    while data:
        head_end = data.find(b"\r\n\r\n")
        if not data.startswith(b"HTTP/1.") or head_end < 0:
            break
        status_line, *lines = data[:head_end].decode("latin-1").split("\r\n")
        headers = tuple(
            (name.strip().lower(), value.strip())
            for name, _, value in (line.partition(":") for line in lines)
        )
        rest = data[head_end + 4 :]
        status = int(status_line.split(" ")[1])
        response = Response(status, headers, b"")
        length = response.header("content-length")
        if head or status in (204, 304) or status < 200:
            body = b""
        elif length is not None:
            if len(rest) < int(length):
                break  # incomplete: left in ``rest``
            body, rest = rest[: int(length)], rest[int(length) :]
        elif response.header("transfer-encoding") == "chunked":
            body, rest = _dechunk(rest)
        else:
            body, rest = rest, b""
        outcome.responses.append(Response(status, headers, body))
        data = rest
    outcome.rest = data
    return outcome


def _dechunk(data: bytes) -> tuple[bytes, bytes]:
    body = b""
    while True:
        line, sep, data = data.partition(b"\r\n")
        if not sep:
            return body + b"<truncated>", b""
        size = int(line.split(b";")[0], 16)
        if size == 0:
            return body, data.partition(b"\r\n")[2]
        body, data = body + data[:size], data[size + 2 :]


IGNORED = {"date", "server"}


def normalise(outcome: Outcome) -> tuple[object, ...]:
    """What must agree between servers.

    An application response: status, headers (no date/server, order-free) and body. A response the server made up: status and whether it
    announces the close (its wording and length are the server's own).
    """
    responses: list[object] = []
    for response in outcome.responses:
        if response.header("x-app") == "1":
            headers = sorted(h for h in response.headers if h[0] not in IGNORED)
            responses.append((response.status, headers, response.body))
        else:
            responses.append((response.status, "server-made", response.header("connection")))
    return (tuple(map(repr, responses)), outcome.rest, outcome.closed)


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """``(status, body, keep_alive)`` of one ``content-length`` response (bounded wait)."""
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), TOTAL)
    status = int(head.split(b" ", 2)[1])
    lines = head.lower().split(b"\r\n")
    length = next(int(line[15:]) for line in lines if line.startswith(b"content-length:"))
    body = await asyncio.wait_for(reader.readexactly(length), TOTAL)
    return status, body, b"connection: close" not in lines


async def keep_alive_client(
    port: int,
    client: int,
    requests: int,
    stopping: bool = False,
    answered: asyncio.Event | None = None,
) -> tuple[int, list[str]]:
    """``requests`` GETs of ``/echo`` on one connection: ``(answers, a line per problem)``.

    ``stopping``: the server is being shut down, so a close between requests is no problem.
    ``answered`` is set at the first answer.
    """
    problems: list[str] = []
    answers = 0
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for number in range(requests):
            query = b"c=%d&r=%d" % (client, number)
            writer.write(b"GET /echo?" + query + b" HTTP/1.1\r\nHost: t\r\n\r\n")
            try:
                status, body, keep_alive = await read_response(reader)
            except (asyncio.IncompleteReadError, ConnectionError):
                if stopping:
                    break
                raise
            answers += 1
            if answered is not None:
                answered.set()
            if status != 200 or json.loads(body)["query_string"] != query.decode():
                problems.append(f"client {client} request {number}: {status} {body[:80]!r}")
            if not keep_alive:
                if not stopping:
                    problems.append(f"client {client} request {number}: connection closed")
                break
    finally:
        writer.close()
    return answers, problems
