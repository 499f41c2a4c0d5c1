"""Hostile requests over real HTTP (uvicorn on 127.0.0.1): every one is a 4xx, the server stays up."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def exchange(port: int, raw: bytes, timeout: float = 5.0) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(raw)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
            if b"\r\n\r\n" in b"".join(chunks):
                head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
                length = [
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                ]
                if length and len(body) >= length[0]:
                    break
        return b"".join(chunks)


def status_of(response: bytes) -> int:
    return int(response.split(b" ", 2)[1])


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "examples.notes.app:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("uvicorn did not start") from None
            time.sleep(0.1)
    yield port
    process.terminate()
    process.wait(timeout=10)


def request(path: bytes, method: bytes = b"GET", headers: bytes = b"") -> bytes:
    return (
        method
        + b" "
        + path
        + b" HTTP/1.1\r\nHost: localhost\r\n"
        + headers
        + b"Connection: close\r\n\r\n"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (request(b"/notes/%zz"), 422),
        (request(b"/notes/%ff%fe"), 422),
        (request(b"/notes/1%00"), 422),
        (request(b"/health/%2e%2e/%2e%2e/etc/passwd"), 404),
        (request(b"/notes/?limit=%ff&q=%zz"), 422),
        (request(b"/health", headers=b"X-Bad: \xff\xfe\r\nCookie: a=\xff; b\r\n"), 200),
        (request(b"/health", method=b"BREW"), 400),  # httptools refuses unknown methods
        (request(b"/" + b"a" * 60_000), 404),
        (
            request(
                b"/notes/",
                method=b"POST",
                headers=b"Content-Type: application/json\r\nContent-Length: 7\r\n",
            )[:-4]
            + b'\r\n\r\n{"ti\xff"}',
            422,
        ),
    ],
    ids=[
        "bad-percent",
        "invalid-utf8",
        "nul",
        "traversal",
        "bad-query",
        "bad-header-bytes",
        "unknown-method",
        "huge-path",
        "invalid-utf8-json",
    ],
)
def test_hostile_request_is_answered_with_the_expected_status(
    server: int, raw: bytes, expected: int
) -> None:
    assert status_of(exchange(server, raw)) == expected
    assert status_of(exchange(server, request(b"/health"))) == 200
