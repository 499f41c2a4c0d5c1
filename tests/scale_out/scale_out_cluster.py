"""Two hosts on loopback: one redis-server, two ``fasterapi run`` processes of
docs/examples/scaling_out.py and nginx balancing between them, all real programs on free
127.0.0.1 ports under one temporary directory, every one stopped at the end."""

from __future__ import annotations

import os
import pwd
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from programs import require

__all__ = ["Backend", "Cluster", "Nginx", "Redis", "free_port", "nginx_config", "site_config"]

ROOT = Path(__file__).resolve().parents[2]
APP = "docs/examples/scaling_out.py:app"
SITE_CONFIG = ROOT / "docs" / "examples" / "scaling_out_nginx.conf"
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


def site_config(port: int, backends: list[int], **changes: str) -> str:
    """docs/examples/scaling_out_nginx.conf with loopback addresses: ``listen`` on
    127.0.0.1:``port``, the two upstream servers on 127.0.0.1:``backends``; ``changes`` replace
    the values of other directives (``keepalive="0"``: none; ``proxy_next_upstream="off"``)."""
    text = SITE_CONFIG.read_text()
    replacements = {
        "listen 80;": f"listen 127.0.0.1:{port};",
        "server 10.0.0.11:8000 ": f"server 127.0.0.1:{backends[0]} ",
        "server 10.0.0.12:8000 ": f"server 127.0.0.1:{backends[1]} ",
    }
    for directive, value in changes.items():
        (line,) = re.findall(rf"^ *{directive} [^;]*;", text, re.MULTILINE)
        indent = line[: len(line) - len(line.lstrip())]
        replacements[line] = "" if value == "0" else f"{indent}{directive} {value};"
    for old, new in replacements.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def nginx_config(directory: Path, site: Path) -> str:
    """The main configuration: nginx in the foreground, everything it writes inside
    ``directory``, serving ``site``; works started as root (workers keep this user) and as any
    other user (who cannot switch users)."""
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
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
    include {site};
}}
"""


class Nginx:
    """nginx in the foreground with its own configuration file."""

    def __init__(self, directory: Path, backends: list[int], **changes: str) -> None:
        self.directory = directory
        self.port = free_port()
        site = directory / "site.conf"
        site.write_text(site_config(self.port, backends, **changes))
        self.config = directory / "nginx.conf"
        self.config.write_text(nginx_config(directory, site))
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

    def __init__(self, directory: Path, **nginx_changes: str) -> None:
        self.directory = directory
        self.nginx_changes = nginx_changes
        self.redis: Redis | None = None
        self.backends: dict[str, Backend] = {}
        self.nginx: Nginx | None = None

    def start(self) -> None:
        self.redis = Redis(self.directory)
        for name in ("a", "b"):
            self.backends[name] = backend = Backend(name, self.redis.url, self.directory)
            backend.start()
        ports = [backend.port for backend in self.backends.values()]
        self.nginx = Nginx(self.directory, ports, **self.nginx_changes)

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
