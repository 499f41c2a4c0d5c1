"""A real, throwaway PostgreSQL server for the tests (Debian's ``postgresql`` package).

``PostgresServer(root)`` runs ``initdb`` into ``root/data`` and ``postgres`` on a free TCP port of
127.0.0.1 (plus a unix socket in ``root``), trust authentication, durability off for speed.
PostgreSQL refuses to run as root: under root both programs run as the ``postgres`` system user
(``nobody`` when it does not exist) through ``setpriv``, and ``root`` is handed over to that user.
``stop()`` and ``start()`` again keep the data and the port (the connection-loss tests restart it).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import time
from pathlib import Path

from programs import require

__all__ = ["PostgresServer"]

START_TIMEOUT = 20.0
USER = "postgres"  # the database superuser initdb creates (``-U``), not the system user


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _unprivileged_prefix(root: Path) -> list[str]:
    """The command prefix that drops root (an empty list when not root); chowns ``root``."""
    if os.geteuid() != 0:
        return []
    for name in ("postgres", "nobody"):
        try:
            account = pwd.getpwnam(name)
        except KeyError:
            continue
        for folder, _dirs, files in os.walk(root):
            os.chown(folder, account.pw_uid, account.pw_gid)
            for file in files:
                os.chown(os.path.join(folder, file), account.pw_uid, account.pw_gid)
        setpriv = shutil.which("setpriv") or "/usr/bin/setpriv"
        return [
            setpriv,
            f"--reuid={account.pw_uid}",
            f"--regid={account.pw_gid}",
            "--clear-groups",
            "--",
        ]
    raise RuntimeError("running as root and neither a 'postgres' nor a 'nobody' user exists")


class PostgresServer:
    """A PostgreSQL server in ``root``: ``url`` for SQLAlchemy, ``dsn`` for asyncpg."""

    def __init__(self, root: Path) -> None:
        self.initdb = require("initdb")
        self.postgres = require("postgres")
        self.root = root
        self.data = root / "data"
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log = root / "postgres.log"
        root.mkdir(parents=True, exist_ok=True)
        self.prefix = _unprivileged_prefix(root)
        options = ["-U", USER, "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"]
        made = subprocess.run(
            [*self.prefix, self.initdb, "-D", str(self.data), *options],
            capture_output=True,
            cwd=root,
            timeout=60,
        )
        if made.returncode != 0:
            output = (made.stdout + made.stderr).decode(errors="replace")[-3000:]
            raise RuntimeError(f"initdb failed (exit {made.returncode}):\n{output}")

    @property
    def dsn(self) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/postgres"

    @property
    def url(self) -> str:
        """The SQLAlchemy URL (asyncpg driver)."""
        return f"postgresql+asyncpg://{USER}@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        """Start the server; fail clearly (with its log) when it is not up in 20 s."""
        settings = {
            "listen_addresses": "127.0.0.1",
            "port": str(self.port),
            "unix_socket_directories": str(self.root),
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "max_connections": "50",
        }
        args = [*self.prefix, self.postgres, "-D", str(self.data)]
        for key, value in settings.items():
            args += ["-c", f"{key}={value}"]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                args, stdout=log, stderr=subprocess.STDOUT, cwd=self.root
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if self._accepts_queries():
                return
            time.sleep(0.1)
        self.stop()
        log_text = self.log.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"PostgreSQL did not start in {START_TIMEOUT:.0f} s:\n{log_text}")

    def _accepts_queries(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                pass
        except OSError:
            return False
        # the port opens before recovery ends: ask the server itself
        pg_isready = os.path.join(os.path.dirname(os.path.realpath(self.postgres)), "pg_isready")
        ready = subprocess.run(
            [pg_isready, "-h", "127.0.0.1", "-p", str(self.port), "-U", USER, "-t", "1"],
            capture_output=True,
        )
        return ready.returncode == 0

    def stop(self) -> None:
        """Stop the server at once (SIGINT: the "fast" shutdown, clients disconnected)."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(2)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
