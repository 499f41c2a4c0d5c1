"""A tiny raw HTTP/1.1 client for hostile tests: bytes in, parsed responses out.

httpx normalises or refuses most malformed requests, so hostile cases write the bytes
themselves on a socket and parse what comes back.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTSIDE_SECRET = "TOP-SECRET-OUTSIDE-THE-STATIC-DIR"
PREFIX_SECRET = "SECRET-IN-A-SIBLING-WITH-THE-SAME-PREFIX"


@dataclass
class Reply:
    """One parsed HTTP response."""

    status: int
    reason: bytes
    headers: list[tuple[bytes, bytes]]
    body: bytes
    raw_head: bytes = b""

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (latin-1), or None."""
        wanted = name.lower().encode()
        for key, value in self.headers:
            if key.lower() == wanted:
                return value.decode("latin-1")
        return None

    def header_list(self, name: str) -> list[str]:
        wanted = name.lower().encode()
        return [v.decode("latin-1") for k, v in self.headers if k.lower() == wanted]


class Connection:
    """A keep-alive connection that reads responses one at a time."""

    def __init__(self, port: int, timeout: float = 5.0) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.pending = b""

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send(self, raw: bytes) -> None:
        self.sock.sendall(raw)

    def _fill(self) -> bool:
        try:
            chunk = self.sock.recv(65536)
        except (TimeoutError, ConnectionResetError):
            return False
        if not chunk:
            return False
        self.pending += chunk
        return True

    def _read_until(self, marker: bytes) -> bytes | None:
        while marker not in self.pending:
            if not self._fill():
                return None
        head, _, self.pending = self.pending.partition(marker)
        return head

    def _read_exact(self, size: int) -> bytes:
        while len(self.pending) < size:
            if not self._fill():
                break
        data, self.pending = self.pending[:size], self.pending[size:]
        return data

    def read_response(self, head_request: bool = False) -> Reply | None:
        """The next response, or None when the server closed without sending one."""
        head = self._read_until(b"\r\n\r\n")
        if head is None:
            return None
        status_line, *lines = head.split(b"\r\n")
        _, status, *reason = status_line.split(b" ", 2)
        headers = [tuple(p.strip() for p in line.split(b":", 1)) for line in lines]
        reply = Reply(int(status), reason[0] if reason else b"", headers, b"", head)  # type: ignore[arg-type]
        if head_request or reply.status in (204, 304) or 100 <= reply.status < 200:
            return reply
        length = reply.header("content-length")
        if length is not None:
            reply.body = self._read_exact(int(length))
        elif (reply.header("transfer-encoding") or "").lower() == "chunked":
            body = b""
            while True:
                size_line = self._read_until(b"\r\n")
                if size_line is None:
                    break
                size = int(size_line.split(b";")[0], 16)
                if size == 0:
                    self._read_until(b"\r\n")
                    break
                body += self._read_exact(size)
                self._read_exact(2)
            reply.body = body
        else:
            while self._fill():
                pass
            reply.body, self.pending = self.pending, b""
        return reply


def request(
    target: str | bytes,
    method: str = "GET",
    headers: dict[str, str] | list[tuple[str, str]] | None = None,
    body: bytes = b"",
    host: str = "127.0.0.1",
    close: bool = True,
) -> bytes:
    """Build a raw request; ``Content-Length`` is added when there is a body."""
    if isinstance(target, str):
        target = target.encode("latin-1")
    items = list(headers.items()) if isinstance(headers, dict) else list(headers or [])
    lines = [method.encode() + b" " + target + b" HTTP/1.1", b"Host: " + host.encode()]
    lines += [f"{k}: {v}".encode("latin-1") for k, v in items]
    if body and not any(k.lower() in ("content-length", "transfer-encoding") for k, _ in items):
        lines.append(b"Content-Length: " + str(len(body)).encode())
    if close:
        lines.append(b"Connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def exchange(port: int, raw: bytes, timeout: float = 5.0) -> Reply | None:
    """Send ``raw`` on a fresh connection and read one response."""
    with Connection(port, timeout) as conn:
        conn.send(raw)
        return conn.read_response(head_request=raw.startswith(b"HEAD "))


def get(port: int, target: str | bytes, **kwargs: object) -> Reply:
    reply = exchange(port, request(target, **kwargs))  # type: ignore[arg-type]
    assert reply is not None, f"no response for {target!r}"
    return reply


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


SERVERS = ("uvicorn", "fasterapi")
"""The servers the hostile suite runs against: uvicorn and FasterAPI's own (fasterapi-server)."""


@dataclass
class Server:
    """A server subprocess (uvicorn or fasterapi-server) serving an app on 127.0.0.1."""

    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    extra: dict[str, Path] = field(default_factory=dict)

    def alive(self) -> bool:
        return self.process.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


def start_server(
    app: str,
    log_path: Path,
    env: dict[str, str] | None = None,
    *options: str,
    server: str = "uvicorn",
) -> Server:
    """Start ``server`` on a free loopback port and wait until it accepts connections."""
    port = free_port()
    module = "fasterapi_server" if server == "fasterapi" else "uvicorn"
    command = [
        sys.executable,
        "-m",
        module,
        app,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        *options,
    ]
    handle = log_path.open("wb")
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=handle, stderr=handle
    )
    started = Server(port, process, log_path)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return started
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError(f"{module} did not start:\n" + started.log()) from None
            time.sleep(0.05)
