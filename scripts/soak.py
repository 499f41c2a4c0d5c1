"""Soak test: mixed valid and invalid traffic on keep-alive connections against the hostile
example app (examples/hostile_app.py) under uvicorn on 127.0.0.1, for a bounded time.

    python scripts/soak.py --duration 30 --connections 8

Passes (exit 0) when no request is lost (every request got a response), only the expected
statuses appear (no 5xx, no surprise 4xx) and the server's RSS stays flat: the median of the
last fifth of the samples exceeds the median of the first fifth (after warm-up) by at most
``--max-growth-mb``. Prints a JSON summary.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
__all__ = ["SoakResult", "main", "run_soak"]

BOUNDARY = b"soakboundary"
_UPLOAD = (
    b"--" + BOUNDARY + b'\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n'
    b"Content-Type: text/plain\r\n\r\nhello\r\n--" + BOUNDARY + b"--\r\n"
)


def _req(
    method: str, target: str, body: bytes = b"", headers: tuple[str, ...] = (), host: str = ""
) -> bytes:
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host or '127.0.0.1'}", *headers]
    if body or method in ("POST", "PUT"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


JSON = "Content-Type: application/json"
# name -> (raw request, expected statuses, closes the connection)
MIX: dict[str, tuple[bytes, frozenset[int], bool]] = {
    "health": (_req("GET", "/health"), frozenset({200}), False),
    "list-notes": (_req("GET", "/notes/?limit=5"), frozenset({200}), False),
    "static": (_req("GET", "/static/hello.txt"), frozenset({200}), False),
    "query": (_req("GET", "/query?n=3&tag=a&tag=b"), frozenset({200}), False),
    "stream-gzip": (
        _req("GET", "/stream", headers=("Accept-Encoding: gzip",)),
        frozenset({200}),
        False,
    ),
    "upload": (
        _req(
            "POST",
            "/upload",
            _UPLOAD,
            (f"Content-Type: multipart/form-data; boundary={BOUNDARY.decode()}",),
        ),
        frozenset({200}),
        False,
    ),
    "json": (_req("POST", "/json", b'{"a":1,"b":[1,2,3]}', (JSON,)), frozenset({200}), False),
    "bad-json": (_req("POST", "/json", b'{"a":', (JSON,)), frozenset({422}), False),
    "bad-note": (_req("POST", "/notes/", b'{"title":""}', (JSON,)), frozenset({422}), False),
    "bad-param": (_req("GET", "/query?n=abc"), frozenset({422}), False),
    "missing-note": (_req("GET", "/notes/999999"), frozenset({404}), False),
    "traversal": (_req("GET", "/static/..%2f..%2fetc%2fpasswd"), frozenset({404}), False),
    "param-flood": (_req("GET", "/query?" + "&".join(["t=1"] * 300)), frozenset({400}), False),
    "deep-json": (
        _req("POST", "/raw-json", b"[" * 100 + b"]" * 100, (JSON,)),
        frozenset({400}),
        False,
    ),
    "no-token": (_req("GET", "/me"), frozenset({401}), False),
    "bad-token": (
        _req("GET", "/me", headers=("Authorization: Bearer a.b.c",)),
        frozenset({401}),
        False,
    ),
    "bad-host": (_req("GET", "/health", host="evil.example"), frozenset({400}), False),
    "not-found": (_req("GET", "/nope/%ff"), frozenset({404}), False),
    "bad-method": (_req("DELETE", "/health"), frozenset({405}), False),
    "field-flood": (
        _req(
            "POST",
            "/form",
            "&".join(f"f{i}=v" for i in range(50)).encode(),
            ("Content-Type: application/x-www-form-urlencoded",),
        ),
        frozenset({400}),
        False,
    ),
    "too-large": (
        b"POST /size HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5000000\r\n\r\n",
        frozenset({413}),
        True,
    ),
}


class _Conn:
    def __init__(self, port: int, timeout: float) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed by server")
        self.buf += chunk

    def exchange(self, raw: bytes) -> tuple[int, dict[bytes, bytes]]:
        self.sock.sendall(raw)
        while b"\r\n\r\n" not in self.buf:
            self._fill()
        head, _, self.buf = self.buf.partition(b"\r\n\r\n")
        status_line, *lines = head.split(b"\r\n")
        status = int(status_line.split(b" ", 2)[1])
        headers = {}
        for line in lines:
            key, _, value = line.partition(b":")
            headers[key.strip().lower()] = value.strip()
        if b"content-length" in headers:
            size = int(headers[b"content-length"])
            while len(self.buf) < size:
                self._fill()
            self.buf = self.buf[size:]
        elif headers.get(b"transfer-encoding", b"").lower() == b"chunked":
            while True:
                while b"\r\n" not in self.buf:
                    self._fill()
                size_line, _, self.buf = self.buf.partition(b"\r\n")
                size = int(size_line.split(b";")[0], 16)
                while len(self.buf) < size + 2:
                    self._fill()
                self.buf = self.buf[size + 2 :]
                if size == 0:
                    break
        return status, headers

    def close(self) -> None:
        self.sock.close()


@dataclass
class SoakResult:
    """What a soak run observed."""

    duration: float
    requests: int = 0
    lost: int = 0
    unexpected: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    rss_mb: list[float] = field(default_factory=list)
    rss_growth_mb: float = 0.0
    server_alive: bool = True
    errors: list[str] = field(default_factory=list)

    def passed(self, max_growth_mb: float) -> bool:
        return (
            self.requests > 0
            and self.lost == 0
            and not self.unexpected
            and self.server_alive
            and self.rss_growth_mb <= max_growth_mb
        )

    def summary(self) -> dict[str, Any]:
        rss = self.rss_mb
        return {
            "duration_s": round(self.duration, 1),
            "requests": self.requests,
            "requests_per_s": round(self.requests / self.duration, 1) if self.duration else 0,
            "lost": self.lost,
            "unexpected": self.unexpected,
            "statuses": dict(sorted(self.statuses.items())),
            "rss_mb_first": round(rss[0], 1) if rss else None,
            "rss_mb_max": round(max(rss), 1) if rss else None,
            "rss_mb_last": round(rss[-1], 1) if rss else None,
            "rss_growth_mb": round(self.rss_growth_mb, 2),
            "server_alive": self.server_alive,
            "errors": self.errors[:10],
        }


def _rss_mb(pid: int) -> float:
    try:
        import psutil  # type: ignore[import-untyped, unused-ignore]

        return float(psutil.Process(pid).memory_info().rss) / 2**20
    except ImportError:  # pragma: no cover - psutil is optional
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    return 0.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _start(static_dir: str) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "examples.hostile_app:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "critical",
            "--no-access-log",
        ],
        cwd=ROOT,
        env={**os.environ, "HOSTILE_STATIC_DIR": static_dir},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process, port
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("uvicorn did not start") from None
            time.sleep(0.05)


def _worker(
    port: int, stop: threading.Event, seed: int, result: SoakResult, lock: threading.Lock
) -> None:
    rng = random.Random(seed)
    names = list(MIX)
    conn: _Conn | None = None
    requests = lost = 0
    statuses: dict[str, int] = {}
    unexpected: dict[str, int] = {}
    errors: list[str] = []
    while not stop.is_set():
        name = rng.choice(names)
        raw, expected, closes = MIX[name]
        try:
            if conn is None:
                conn = _Conn(port, timeout=10)
            status, headers = conn.exchange(raw)
        except (OSError, ValueError) as exc:
            lost += 1
            errors.append(f"{name}: {exc!r}")
            if conn is not None:
                conn.close()
            conn = None
            continue
        requests += 1
        statuses[f"{name} {status}"] = statuses.get(f"{name} {status}", 0) + 1
        if status not in expected:
            unexpected[f"{name} {status}"] = unexpected.get(f"{name} {status}", 0) + 1
        if closes or headers.get(b"connection", b"").lower() == b"close":
            conn.close()
            conn = None
    if conn is not None:
        conn.close()
    with lock:
        result.requests += requests
        result.lost += lost
        result.errors.extend(errors)
        for source, target in ((statuses, result.statuses), (unexpected, result.unexpected)):
            for key, count in source.items():
                target[key] = target.get(key, 0) + count


def run_soak(
    duration: float = 30.0, connections: int = 8, warmup: float = 1.0, seed: int = 0
) -> SoakResult:
    """Serve the hostile app, drive mixed traffic for ``duration`` seconds, stop the server."""
    with tempfile.TemporaryDirectory(prefix="soak-static-") as static_dir:
        Path(static_dir, "hello.txt").write_text("hello static\n")
        process, port = _start(static_dir)
        result = SoakResult(duration)
        stop = threading.Event()
        lock = threading.Lock()
        threads = [
            threading.Thread(target=_worker, args=(port, stop, seed + i, result, lock))
            for i in range(connections)
        ]
        try:
            for thread in threads:
                thread.start()
            started = time.monotonic()
            time.sleep(warmup)
            while time.monotonic() - started < duration:
                result.rss_mb.append(_rss_mb(process.pid))
                time.sleep(0.25)
            stop.set()
            for thread in threads:
                thread.join(timeout=30)
            result.duration = time.monotonic() - started
            result.server_alive = process.poll() is None
        finally:
            stop.set()
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    samples = result.rss_mb
    if len(samples) >= 5:
        fifth = max(len(samples) // 5, 1)
        result.rss_growth_mb = statistics.median(samples[-fifth:]) - statistics.median(
            samples[:fifth]
        )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--max-growth-mb", type=float, default=16.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    result = run_soak(args.duration, args.connections, seed=args.seed)
    ok = result.passed(args.max_growth_mb)
    print(json.dumps({"passed": ok, **result.summary()}, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
