"""Serve an app with ``fasterapi run --server X`` on 127.0.0.1 for every server installed."""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
SERVING_APP = str(Path(__file__).with_name("serving_app.py")) + ":app"
NOTES_APP = "examples.notes.app:app"

# (test id, --server value, module that must be installed)
SERVERS = [
    ("uvicorn", "uvicorn", "uvicorn"),
    ("granian-asgi", "granian-asgi", "granian"),
    ("granian-rsgi", "granian", "granian"),
    ("fasterapi", "fasterapi", "fasterapi_server"),
]


def installed_servers() -> list[tuple[str, str]]:
    """``(test id, --server value)`` of the servers importable here (others are left out)."""
    return [(name, flag) for name, flag, module in SERVERS if importlib.util.find_spec(module)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Served:
    """A running ``fasterapi run`` process."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def serve(app: str, server: str, log_path: Path, *extra: str) -> Served:
    """Start ``fasterapi run app --server server`` and wait until ``/health`` answers."""
    port = free_port()
    command = [sys.executable, "-m", "FasterAPI.cli", "run", app, "--server", server]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", *extra]
    log = log_path.open("wb")
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ)
    )
    served = Served(server, port, process, log_path)
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"{served.base}/health", timeout=1)
            return served
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                served.stop()
                raise RuntimeError(f"{server} did not start:\n{served.log()}") from None
            time.sleep(0.05)
