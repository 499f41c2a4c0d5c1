"""One real PostgreSQL server for the whole test session (tests/support/postgres.py), started on
first use in a temporary directory, stopped and removed at the end."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from postgres import PostgresServer


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    # not under pytest's tmp_path: its parent is root-only, the server runs as another user
    root = Path(tempfile.mkdtemp(prefix="fasterapi-postgres-"))
    try:
        server = PostgresServer(root)
        server.start()
        try:
            yield server
        finally:
            server.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)
