"""Load generators for ``http.py``: wrk for HTTP, a raw-socket client for websocket round trips,
and a small keep-alive HTTP/1.1 client for checks and warm-up. Loopback (127.0.0.1) only.
"""

from __future__ import annotations

import base64
import contextlib
import os
import re
import socket
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["HttpClient", "Measure", "run_wrk", "websocket_round_trips", "write_lua"]

HOST = "127.0.0.1"
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


@dataclass
class Measure:
    """One timed run: throughput, mean cost and p99 latency (ms); ``errors`` counts bad answers."""

    rps: float
    p99_ms: float
    errors: int = 0

    @property
    def us_per_request(self) -> float:
        return 1e6 / self.rps if self.rps else float("inf")


def write_lua(directory: Path, method: str, body: bytes) -> Path | None:
    """A wrk script for a request with a body (None when a plain GET will do)."""
    if method == "GET" and not body:
        return None
    path = directory / f"{method.lower()}_{abs(hash(body))}.lua"
    escaped = body.decode().replace("\\", "\\\\").replace('"', '\\"')
    path.write_text(
        f'wrk.method = "{method}"\n'
        f'wrk.body = "{escaped}"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
    )
    return path


def run_wrk(
    url: str,
    seconds: int,
    connections: int,
    cpus: str,
    threads: int = 1,
    script: Path | None = None,
) -> Measure:
    """Run wrk pinned to ``cpus`` and parse Requests/sec, the 99th percentile and errors."""
    command = ["taskset", "-c", cpus, "wrk", f"-t{threads}", f"-c{connections}"]
    command += [f"-d{seconds}s", "--latency", "--timeout", "5s"]
    if script is not None:
        command += ["-s", str(script)]
    out = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    p99_ms = float(p99.group(1)) * _UNITS[p99.group(2)] if p99 else float("nan")
    errors = 0
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if non2xx:
        errors += int(non2xx.group(1))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return Measure(rps, p99_ms, errors)


class HttpClient:
    """A minimal keep-alive HTTP/1.1 client (content-length bodies only)."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection((HOST, port), timeout=10)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def request(self, method: str, target: str, body: bytes = b"") -> tuple[int, bytes]:
        head = f"{method} {target} HTTP/1.1\r\nHost: {HOST}\r\n"
        if body:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        self.sock.sendall(head.encode() + b"\r\n" + body)
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        raw_head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = raw_head.split(b"\r\n")
        status = int(lines[0].split()[1])
        length = 0
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        while len(self.buffer) < length:
            self._fill()
        payload, self.buffer = self.buffer[:length], self.buffer[length:]
        return status, payload

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("server closed the connection")
        self.buffer += chunk

    def close(self) -> None:
        self.sock.close()


def _mask(payload: bytes, key: bytes) -> bytes:
    return bytes(b ^ key[i % 4] for i, b in enumerate(payload))


def websocket_round_trips(port: int, seconds: float, text: str = "ping") -> Measure:
    """Echo round trips per second on one websocket connection to ``/ws`` (raw sockets)."""
    sock = socket.create_connection((HOST, port), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            f"GET /ws HTTP/1.1\r\nHost: {HOST}:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    buffer = b""
    while b"\r\n\r\n" not in buffer:
        buffer += sock.recv(4096)
    head, buffer = buffer.split(b"\r\n\r\n", 1)
    if not head.startswith(b"HTTP/1.1 101"):
        raise ConnectionError(f"websocket upgrade refused: {head[:80]!r}")
    payload = text.encode()
    mask = os.urandom(4)
    frame = bytes([0x81, 0x80 | len(payload)]) + mask + _mask(payload, mask)
    expected = bytes([0x81, len(payload)]) + payload
    size = len(expected)
    samples: list[int] = []
    errors = 0
    recv, send, clock = sock.recv, sock.sendall, time.perf_counter_ns
    deadline = clock() + int(seconds * 1e9)
    now = clock()
    while now < deadline:
        send(frame)
        while len(buffer) < size:
            buffer += recv(65536)
        if buffer[:size] != expected:
            errors += 1
        buffer = buffer[size:]
        end = clock()
        samples.append(end - now)
        now = end
    close_mask = os.urandom(4)
    sock.sendall(bytes([0x88, 0x82]) + close_mask + _mask(b"\x03\xe8", close_mask))
    with contextlib.suppress(OSError):
        sock.recv(64)
    sock.close()
    total = sum(samples) / 1e9
    p99 = statistics.quantiles(samples, n=100)[98] / 1e6 if len(samples) > 100 else float("nan")
    return Measure(len(samples) / total, p99, errors)
