"""Measure a server worker's memory (RSS) under a WebSocket fragment flood.

    python scripts/ws_fragment_flood.py [--server fasterapi|uvicorn] [--size MiB] [--fragment N]

Starts the server (one worker, Autobahn's echo app: scripts/autobahn_app.py) on a free
127.0.0.1 port, opens one WebSocket and sends one text message of ``--size`` MiB as
``--fragment``-byte fragments (the default, 4 MiB in 2-byte fragments, is 2,097,152 frames and
16 MiB on the wire), then reads the server's answer: the echo, or a close frame and its code.
Prints the worker's RSS before, at its peak (sampled every 20 ms) and after, then stops it.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = "autobahn_app:app"
SERVERS = {
    "fasterapi": ["-m", "fasterapi_server", APP, "--no-access-log"],
    "uvicorn": ["-m", "uvicorn", APP, "--no-access-log", "--ws", "websockets-sansio"],
}
HANDSHAKE = (
    b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def rss_kib(pid: int) -> int:
    """The resident set size of process ``pid`` (Linux ``/proc``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def frame(opcode: int, payload: bytes, fin: bool) -> bytes:
    """A masked client frame (mask key 0: the payload goes as it is)."""
    first = opcode | (0x80 if fin else 0)
    length = len(payload)
    if length < 126:
        head = struct.pack("!BB", first, 0x80 | length)
    elif length < 65536:
        head = struct.pack("!BBH", first, 0x80 | 126, length)
    else:
        head = struct.pack("!BBQ", first, 0x80 | 127, length)
    return head + b"\0\0\0\0" + payload


def fragmented(size: int, fragment: int) -> list[bytes]:
    """One text message of ``size`` bytes (``x``) as ``fragment``-byte frames, in 1 MiB writes."""
    count = size // fragment
    middle = frame(0x0, b"x" * fragment, False)
    frames = [frame(0x1, b"x" * fragment, False), *[middle] * (count - 2)]
    frames.append(frame(0x0, b"x" * fragment, True))
    per_write = max(1, (1 << 20) // len(middle))
    return [b"".join(frames[i : i + per_write]) for i in range(0, len(frames), per_write)]


def read_answer(sock: socket.socket) -> str:
    """The first frame the server sends back, summarised (or how the connection ended)."""
    data = b""
    try:
        while len(data) < 2 or len(data) < 2 + (data[1] & 0x7F if data[1] & 0x7F < 126 else 0):
            chunk = sock.recv(65536)
            if not chunk:
                return f"connection closed ({len(data)} bytes)"
            data += chunk
    except OSError as exc:
        return f"connection ended: {exc.__class__.__name__}"
    opcode = data[0] & 0x0F
    if opcode == 0x8:
        code = struct.unpack("!H", data[2:4])[0] if data[1] & 0x7F >= 2 else 1005
        return f"close {code}"
    return f"data frame opcode {opcode}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", choices=sorted(SERVERS), default="fasterapi")
    parser.add_argument("--size", type=float, default=4.0, help="message size in MiB")
    parser.add_argument("--fragment", type=int, default=2, help="fragment size in bytes")
    parser.add_argument("--option", action="append", default=[], help="a server option")
    args = parser.parse_args()
    port = free_port()
    command = [sys.executable, *SERVERS[args.server], "--port", str(port), *args.option]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "scripts")}
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                sock = socket.create_connection(("127.0.0.1", port), timeout=60)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"{args.server} did not start") from None
                time.sleep(0.05)
        time.sleep(0.5)
        before = rss_kib(server.pid)
        peak = [before]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.02):
                peak[0] = max(peak[0], rss_kib(server.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        writes = fragmented(int(args.size * (1 << 20)), args.fragment)
        started = time.monotonic()
        with sock:
            sock.sendall(HANDSHAKE)
            response = sock.recv(4096)
            assert response.startswith(b"HTTP/1.1 101"), response
            sent = 0
            try:
                for write in writes:
                    sock.sendall(write)
                    sent += len(write)
            except OSError as exc:
                print(f"the server stopped reading after {sent:,} bytes ({exc.__class__.__name__})")
            answer = read_answer(sock)
        elapsed = time.monotonic() - started
        time.sleep(0.5)
        done.set()
        sampler.join()
        after = rss_kib(server.pid)
        print(
            f"{args.server}: {args.size:g} MiB in {args.fragment}-byte fragments "
            f"({sum(map(len, writes)) / (1 << 20):.1f} MiB on the wire): {answer} "
            f"after {elapsed:.1f} s; RSS before {before / 1024:.1f} MiB, "
            f"peak {peak[0] / 1024:.1f} MiB, after {after / 1024:.1f} MiB"
        )
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
