"""Swagger UI and ReDoc render the example app's operations in headless Chromium, offline.

Chromium runs with the network blocked: host names do not resolve and every request to an
address other than 127.0.0.1 (other loopback addresses included) goes to a local proxy that
records and refuses it. The controls prove the block works: a page whose assets are served on
127.0.0.2 renders without the block and not with it, and the CDN pages (``docs_static_url=None``)
do not render. Skips when no Chromium binary is installed (fails under FASTERAPI_CI=1). Set
FASTERAPI_DOCS_SCREENSHOT=/path.png to also save a screenshot of the Swagger UI page.
"""

import contextlib
import os
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from programs import require  # tests/support, put on sys.path by tests/conftest.py

from FasterAPI import Faster

NOTES_SUMMARIES = (
    "List Notes",
    "Create Note",
    "Read Note",
    "Replace Note",
    "Delete Note",
    "Health",
)
EMPTY_SWAGGER = '<div id="swagger-ui"></div>'


class RecordingProxy:
    """An HTTP proxy on 127.0.0.1 that records the host of every request and refuses it."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self.hosts: list[str] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._refuse, args=(conn,), daemon=True).start()

    def _refuse(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(10)
            with contextlib.suppress(OSError):
                line = conn.recv(65536).split(b"\r\n", 1)[0].decode("latin-1")
                parts = line.split()
                if len(parts) == 3:  # CONNECT host:443 HTTP/1.1 | GET http://host:80/x HTTP/1.1
                    authority = parts[1].split("://", 1)[-1].split("/", 1)[0]
                    with self._lock:
                        self.hosts.append(authority.rsplit(":", 1)[0])
                conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")

    def page_hosts(self) -> set[str]:
        """The hosts requested, without Chromium's own services (updates, clock, sign-in)."""
        with self._lock:
            hosts = set(self.hosts)
        return {host for host in hosts if not _chromium_service(host)}

    def close(self) -> None:
        self._listener.close()


def _chromium_service(host: str) -> bool:
    if host.endswith((".google.com", ".gvt1.com")):
        return True
    return host.endswith(".googleapis.com") and host != "fonts.googleapis.com"


@pytest.fixture(scope="module")
def chromium() -> str:
    """The Chromium binary."""
    return require("chromium")


def _chromium(
    chromium: str, tmp_path: Path, url: str, *args: str, blocked: bool = True
) -> tuple[str, set[str]]:
    """Chromium's DOM of ``url`` after 8 s of virtual time, and the outside hosts it asked for."""
    proxy = RecordingProxy()
    block = [
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        f"--proxy-server=127.0.0.1:{proxy.port}",
        "--proxy-bypass-list=<-loopback>;127.0.0.1",
    ]
    command = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tempfile.mkdtemp(prefix='profile-', dir=tmp_path)}",
        "--virtual-time-budget=8000",
        *(block if blocked else []),
        *args,
        url,
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    finally:
        proxy.close()
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout, proxy.page_hosts()


@contextlib.contextmanager
def _serving(app: Faster, listener: socket.socket) -> Iterator[str]:
    """``app`` served by uvicorn on ``listener``; yields its base URL."""
    host, port = listener.getsockname()[:2]
    server = uvicorn.Server(uvicorn.Config(app, log_level="critical", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _ping_app(**options: Any) -> Faster:
    app = Faster(title="Ping", **options)

    @app.get("/ping", summary="Ping the service")
    def ping() -> str:
        return "pong"

    return app


@pytest.fixture(scope="module")
def elsewhere_server() -> Iterator[str]:
    """A page on 127.0.0.1 whose Swagger UI and ReDoc files are served from 127.0.0.2."""
    try:
        asset_listener = socket.create_server(("127.0.0.2", 0))
    except OSError:
        pytest.skip("127.0.0.2 is not a loopback address on this system")
    with _serving(Faster(), asset_listener) as assets:
        static = f"{assets}/docs/static"
        app = _ping_app(
            swagger_js_url=f"{static}/swagger-ui-bundle.js",
            swagger_css_url=f"{static}/swagger-ui.css",
            swagger_favicon_url=f"{static}/favicon.svg",
            redoc_js_url=f"{static}/redoc.standalone.js",
            redoc_favicon_url=f"{static}/favicon.svg",
        )
        with _serving(app, socket.create_server(("127.0.0.1", 0))) as base:
            yield base


@pytest.fixture(scope="module")
def cdn_server() -> Iterator[str]:
    """A page on 127.0.0.1 whose Swagger UI and ReDoc files come from the CDN."""
    with _serving(_ping_app(docs_static_url=None), socket.create_server(("127.0.0.1", 0))) as base:
        yield base


def test_swagger_ui_renders_operations_offline(
    chromium: str, notes_server: str, tmp_path: Path
) -> None:
    dom, hosts = _chromium(chromium, tmp_path, f"{notes_server}/docs", "--dump-dom")
    assert hosts == set()
    assert 'class="swagger-ui' in dom
    assert dom.count('class="opblock opblock-') == 6
    for path in ("/notes/", "/notes/{note_id}", "/health"):
        assert f'data-path="{path}"' in dom, path
    for method in ("get", "post", "put", "delete"):
        assert f'class="opblock opblock-{method}' in dom, method
    for summary in NOTES_SUMMARIES:
        assert summary in dom, summary
    screenshot = os.environ.get("FASTERAPI_DOCS_SCREENSHOT")
    if screenshot:
        _chromium(
            chromium,
            tmp_path,
            f"{notes_server}/docs",
            f"--screenshot={screenshot}",
            "--window-size=1280,1600",
        )
        assert Path(screenshot).stat().st_size > 10_000


def test_redoc_renders_operations_offline(chromium: str, notes_server: str, tmp_path: Path) -> None:
    dom, hosts = _chromium(chromium, tmp_path, f"{notes_server}/redoc", "--dump-dom")
    # The one outside request: the logo of ReDoc's "API docs by Redocly" sidebar link, built into
    # redoc.standalone.js and hidden when it fails to load. No script, stylesheet or font.
    assert hosts == {"cdn.redoc.ly"}
    for summary in NOTES_SUMMARIES:
        assert summary in dom, summary
    assert "Create a note." in dom
    assert "/notes/{note_id}" in dom


def test_block_control_assets_on_another_address(
    chromium: str, elsewhere_server: str, tmp_path: Path
) -> None:
    dom, hosts = _chromium(
        chromium, tmp_path, f"{elsewhere_server}/docs", "--dump-dom", blocked=False
    )
    assert 'class="opblock opblock-get' in dom
    assert hosts == set()
    dom, hosts = _chromium(
        chromium, tmp_path, f"{elsewhere_server}/redoc", "--dump-dom", blocked=False
    )
    assert "Ping the service" in dom

    dom, hosts = _chromium(chromium, tmp_path, f"{elsewhere_server}/docs", "--dump-dom")
    assert EMPTY_SWAGGER in dom
    assert "opblock" not in dom
    assert hosts == {"127.0.0.2"}
    dom, hosts = _chromium(chromium, tmp_path, f"{elsewhere_server}/redoc", "--dump-dom")
    assert "Ping the service" not in dom
    assert hosts == {"127.0.0.2"}


def test_block_control_cdn_pages_do_not_render(
    chromium: str, cdn_server: str, tmp_path: Path
) -> None:
    dom, hosts = _chromium(chromium, tmp_path, f"{cdn_server}/docs", "--dump-dom")
    assert EMPTY_SWAGGER in dom
    assert "opblock" not in dom
    assert hosts == {"cdn.jsdelivr.net"}
    dom, hosts = _chromium(chromium, tmp_path, f"{cdn_server}/redoc", "--dump-dom")
    assert "Ping the service" not in dom
    assert hosts == {"cdn.jsdelivr.net", "fonts.googleapis.com"}
