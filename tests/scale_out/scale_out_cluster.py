"""Two hosts on loopback: one redis-server, two ``fasterapi run`` processes of
docs/examples/scaling_out.py and nginx balancing between them, all real programs on free
127.0.0.1 ports under one temporary directory, every one stopped at the end."""

from __future__ import annotations

import os
import pwd
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from programs import require

__all__ = ["Backend", "Cluster", "Nginx", "Redis", "free_port", "nginx_config"]

ROOT = Path(__file__).resolve().parents[2]
APP = "docs/examples/scaling_out.py:app"
RATE_LIMIT = 10
"""Requests per client per minute the backends allow (``RATE_LIMIT`` of the example)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until(
    ready: Callable[[], bool], process: subprocess.Popen[bytes], what: str, log: Path
) -> None:
    """Poll ``ready()`` until it is true; fail with the log when the process ends or in 30 s."""
    deadline = time.monotonic() + 30
    while not ready():
        if process.poll() is not None or time.monotonic() > deadline:
            text = log.read_text(errors="replace") if log.exists() else ""
            raise RuntimeError(f"{what} did not start (status {process.poll()}):\n{text}")
        time.sleep(0.05)


def end(process: subprocess.Popen[bytes] | None, sig: int = signal.SIGTERM) -> int | None:
    """Stop ``process`` with ``sig``, killed after 15 s; its exit status."""
    if process is None:
        return None
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class Redis:
    """A redis-server without persistence."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = directory / "redis.log"
        self.process = subprocess.Popen(
            [require("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(directory)],
            stdout=self.log.open("wb"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_until(lambda: accepts(self.port), self.process, "redis-server", self.log)

    def stop(self) -> None:
        end(self.process, signal.SIGKILL)


class Backend:
    """``fasterapi run`` of the example on a port of its own, that can be stopped (SIGTERM)
    and started again on the same port: one host behind the load balancer."""

    def __init__(self, name: str, redis_url: str, directory: Path) -> None:
        self.name = name
        self.port = free_port()
        self.directory = directory
        self.env = dict(
            os.environ,
            PYTHONPATH=str(ROOT),
            REDIS_URL=redis_url,
            SESSION_SECRET="scale-out-test-secret",
            TRUSTED_PROXIES="127.0.0.1",
            RATE_LIMIT=str(RATE_LIMIT),
        )
        self.env.pop("BACKEND_NAME", None)
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def log(self) -> Path:
        return self.directory / f"backend-{self.name}-{self.starts}.log"

    @property
    def id(self) -> str:
        """What the running process puts in ``X-Backend``."""
        assert self.process is not None
        return f"{socket.gethostname()}:{self.process.pid}"

    def start(self) -> None:
        self.starts += 1
        command = [sys.executable, "-m", "FasterAPI.cli", "run", APP, "--server", "fasterapi"]
        command += ["--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=self.log.open("wb"), stderr=subprocess.STDOUT
        )
        wait_until(self._healthy, self.process, f"backend {self.name}", self.log)

    def _healthy(self) -> bool:
        try:
            response = httpx.get(f"http://127.0.0.1:{self.port}/health", timeout=1)
        except httpx.TransportError:
            return False
        return response.json() == {"status": "ok", "backend": self.id}

    def stop(self) -> int | None:
        """SIGTERM (a graceful shutdown), then wait for the exit; the exit status."""
        return end(self.process)


def nginx_config(
    directory: Path,
    port: int,
    backends: list[int],
    keepalive: int = 16,
    next_upstream: str = "error timeout http_502 http_503",
) -> str:
    """nginx balancing ``backends`` round-robin on 127.0.0.1:``port``, everything it writes
    inside ``directory``; works started as root (workers keep this user) and as any user.

    ``keepalive`` idle connections to the backends are kept (0: one connection per request);
    ``next_upstream`` is when a request is passed on to the other backend."""
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
    servers = "\n".join(
        f"        server 127.0.0.1:{backend} max_fails=1 fail_timeout=1s;" for backend in backends
    )
    temp = "\n".join(
        f"    {kind}_temp_path {directory / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""\
{user}
daemon off;
master_process on;
worker_processes 1;
pid {directory / "nginx.pid"};
error_log {directory / "error.log"} warn;
events {{
    worker_connections 512;
}}
http {{
    access_log {directory / "access.log"};
{temp}
    upstream backends {{
{servers}
        {f"keepalive {keepalive};" if keepalive else ""}
    }}
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ""      "";
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://backends;
            proxy_http_version 1.1;
            proxy_set_header Host $host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_next_upstream {next_upstream};
            proxy_next_upstream_tries 3;
            proxy_connect_timeout 2s;
            proxy_read_timeout 3600s;
        }}
    }}
}}
"""


class Nginx:
    """nginx in the foreground with its own configuration file."""

    def __init__(self, directory: Path, backends: list[int], **options: Any) -> None:
        self.directory = directory
        self.port = free_port()
        self.config = directory / "nginx.conf"
        self.config.write_text(nginx_config(directory, self.port, backends, **options))
        self.log = directory / "error.log"
        program = require("nginx")
        self.process = subprocess.Popen(
            [program, "-p", str(directory), "-c", str(self.config), "-e", str(self.log)],
            stdout=subprocess.DEVNULL, stderr=(directory / "nginx.out").open("wb"),
        )  # fmt: skip
        wait_until(lambda: accepts(self.port), self.process, "nginx", directory / "nginx.out")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        end(self.process, signal.SIGQUIT)  # SIGQUIT: nginx's graceful shutdown


class Cluster:
    """redis-server, backends ``a`` and ``b``, and nginx in front of them."""

    def __init__(self, directory: Path, **nginx_options: Any) -> None:
        self.directory = directory
        self.nginx_options = nginx_options
        self.redis: Redis | None = None
        self.backends: dict[str, Backend] = {}
        self.nginx: Nginx | None = None

    def start(self) -> None:
        self.redis = Redis(self.directory)
        for name in ("a", "b"):
            self.backends[name] = backend = Backend(name, self.redis.url, self.directory)
            backend.start()
        ports = [backend.port for backend in self.backends.values()]
        self.nginx = Nginx(self.directory, ports, **self.nginx_options)

    @property
    def base(self) -> str:
        assert self.nginx is not None
        return self.nginx.base

    def backend_ids(self) -> dict[str, str]:
        """``X-Backend`` value -> backend name, for the processes running now."""
        return {backend.id: name for name, backend in self.backends.items()}

    def stop(self) -> None:
        """Stop everything that was started, whatever failed."""
        for part in (self.nginx, *self.backends.values(), self.redis):
            if part is not None:
                try:
                    part.stop()
                except Exception:  # the others must stop all the same
                    if isinstance(part, Backend) and part.process is not None:
                        part.process.kill()
