"""fasterapi-server at the protocol level, over raw sockets on 127.0.0.1: keep-alive,
pipelining, bodies, 100-continue, smuggling shapes, limits, timeouts, errors, lifespan,
graceful shutdown, WebSockets and workers (the app is tests/serving/server_protocol_app.py)."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from serving_support import ROOT, free_port
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

APP = "tests.serving.server_protocol_app:app"
DATE = re.compile(rb"date: [A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT\r\n")


@dataclass
class Proc:
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    marker: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def start(tmp: Path, *options: str, env: dict[str, str] | None = None, wait: bool = True) -> Proc:
    port = free_port()
    marker = tmp / f"marker-{port}.txt"
    log_path = tmp / f"server-{port}.log"
    command = [sys.executable, "-m", "fasterapi_server", APP, "--port", str(port)]
    command += ["--log-level", "warning", *options]
    environment = {**os.environ, "PROTO_MARKER": str(marker), **(env or {})}
    process = subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=log_path.open("wb"), stderr=subprocess.STDOUT
    )
    proc = Proc(port, process, log_path, marker)
    deadline = time.monotonic() + 30
    while wait:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                proc.stop()
                raise RuntimeError("server did not start:\n" + proc.log()) from None
            time.sleep(0.05)
    return proc


@pytest.fixture(scope="module", params=["tasks", "eager-tasks"])
def server(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Proc]:
    """The protocol tests run with tasks started the default way and eagerly (3.12+)."""
    eager = ["--eager-tasks"] if request.param == "eager-tasks" else []
    proc = start(
        tmp_path_factory.mktemp("proto"),
        *eager,
        "--timeout-keep-alive",
        "1",
        "--timeout-request-head",
        "1",
        "--max-head-size",
        "8192",
        "--ws-max-size",
        "1024",
    )
    yield proc
    proc.stop()


@pytest.fixture
def port(server: Proc) -> Iterator[int]:
    yield server.port
    assert server.process.poll() is None, server.log()


class Client:
    """A raw HTTP/1.1 connection: bytes out, (head, body) back."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.buffer = b""

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.sock.close()

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def _fill(self) -> bool:
        chunk = self.sock.recv(65536)
        self.buffer += chunk
        return bool(chunk)

    def read_head(self) -> bytes:
        while b"\r\n\r\n" not in self.buffer:
            assert self._fill(), f"closed before a response head: {self.buffer!r}"
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        return head + b"\r\n\r\n"

    def read_response(self, head_request: bool = False) -> tuple[bytes, bytes]:
        """``(head without the date line, body)``; the date line must be there."""
        head = self.read_head()
        assert DATE.search(head), head
        head = DATE.sub(b"", head)
        if head_request:
            return head, b""
        match = re.search(rb"content-length: (\d+)\r\n", head)
        if match:
            size = int(match.group(1))
            while len(self.buffer) < size:
                assert self._fill()
            body, self.buffer = self.buffer[:size], self.buffer[size:]
            return head, body
        if b"transfer-encoding: chunked" in head:
            body = b""
            while True:
                while b"\r\n" not in self.buffer:
                    assert self._fill()
                line, _, self.buffer = self.buffer.partition(b"\r\n")
                size = int(line, 16)
                while len(self.buffer) < size + 2:
                    assert self._fill()
                body += self.buffer[:size]
                self.buffer = self.buffer[size + 2 :]
                if size == 0:
                    return head, body
        while self._fill():
            pass
        body, self.buffer = self.buffer, b""
        return head, body

    def closed(self) -> bool:
        """True when the server closes the connection (waits up to the socket timeout)."""
        try:
            return not self._fill()
        except ConnectionResetError:
            return True
        except TimeoutError:
            return False


def ok(body: bytes, *extra: bytes) -> tuple[bytes, bytes]:
    head = b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: %d\r\n" % len(body)
    return head + b"server: fasterapi\r\n" + b"".join(extra) + b"\r\n", body


def error(status: bytes, message: bytes) -> tuple[bytes, bytes]:
    head = b"HTTP/1.1 " + status + b"\r\ncontent-type: text/plain; charset=utf-8\r\n"
    head += b"content-length: %d\r\nserver: fasterapi\r\nconnection: close\r\n\r\n" % len(message)
    return head, message


def get(path: bytes, *headers: bytes, method: bytes = b"GET", version: bytes = b"1.1") -> bytes:
    lines = [method + b" " + path + b" HTTP/" + version, b"Host: t", *headers]
    return b"\r\n".join(lines) + b"\r\n\r\n"


# -- HTTP/1.1 ----------------------------------------------------------------------------------


def test_keep_alive_reuses_the_connection(port: int) -> None:
    with Client(port) as client:
        for _ in range(3):
            client.send(get(b"/health"))
            assert client.read_response() == ok(b"ok")


def test_three_pipelined_requests_are_answered_in_order(port: int) -> None:
    with Client(port) as client:
        client.send(get(b"/scope?n=1") + get(b"/slow") + get(b"/scope?n=3"))
        assert client.read_response() == ok(b"('GET', '/scope', b'/scope', b'n=1')")
        assert client.read_response() == ok(b"slow done")
        assert client.read_response() == ok(b"('GET', '/scope', b'/scope', b'n=3')")


def test_scope_path_is_percent_decoded(port: int) -> None:
    with Client(port) as client:
        client.send(get(b"/sc%6fpe?q=%C3%A9"))
        assert client.read_response() == ok(b"('GET', '/scope', b'/sc%6fpe', b'q=%C3%A9')")


def test_chunked_request_body(port: int) -> None:
    with Client(port) as client:
        client.send(
            get(b"/echo", b"Transfer-Encoding: chunked", method=b"POST")
            + b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
        )
        assert client.read_response() == ok(b"hello world")
        client.send(get(b"/health"))
        assert client.read_response() == ok(b"ok")


def test_chunked_response_without_content_length(port: int) -> None:
    with Client(port) as client:
        client.send(get(b"/stream"))
        head, body = client.read_response()
        expected = b"HTTP/1.1 200 OK\r\nserver: fasterapi\r\ntransfer-encoding: chunked\r\n\r\n"
        assert (head, body) == (expected, b"one,two")


def test_100_continue_is_sent_when_the_app_reads_the_body(port: int) -> None:
    with Client(port) as client:
        client.send(get(b"/echo", b"Content-Length: 4", b"Expect: 100-continue", method=b"POST"))
        assert client.read_head() == b"HTTP/1.1 100 Continue\r\n\r\n"
        client.send(b"data")
        assert client.read_response() == ok(b"data")


def test_100_continue_is_not_sent_when_the_app_answers_without_reading(port: int) -> None:
    with Client(port) as client:
        client.send(get(b"/noread", b"Content-Length: 4", b"Expect: 100-continue", method=b"POST"))
        # No interim response; the connection closes: the body may never come.
        assert client.read_response() == ok(b"not read", b"connection: close\r\n")
        assert client.closed()


@pytest.mark.parametrize(
    "head",
    [
        get(b"/echo", b"Content-Length: 5", b"Transfer-Encoding: chunked", method=b"POST"),
        get(b"/echo", b"Content-Length: 5", b"Content-Length: 6", method=b"POST"),
        get(b"/echo", b"Content-Length: 5", b"Content-Length: 5", method=b"POST"),
    ],
    ids=["cl-te", "duplicate-cl-differing", "duplicate-cl-equal"],
)
def test_smuggling_shapes_are_400_and_close(port: int, head: bytes) -> None:
    with Client(port) as client:
        client.send(head + b"0\r\n\r\nGET /health HTTP/1.1\r\nHost: t\r\n\r\n")
        assert client.read_response() == error(b"400 Bad Request", b"Invalid HTTP request")
        assert client.closed()


def test_oversized_head_is_431(port: int) -> None:
    with Client(port) as client:
        client.send(get(b"/health", b"X-Big: " + b"a" * 9000))
        expected = error(b"431 Request Header Fields Too Large", b"Request header fields too large")
        assert client.read_response() == expected
        assert client.closed()


def test_too_many_headers_is_431(port: int) -> None:
    with Client(port) as client:
        client.send(get(b"/health", *[b"X-H%d: v" % i for i in range(101)]))
        expected = error(b"431 Request Header Fields Too Large", b"Too many request header fields")
        assert client.read_response() == expected


def test_a_head_trickling_in_forever_is_431(port: int) -> None:
    with Client(port) as client:
        client.send(b"GET /health HTTP/1.1\r\nX-Slow: ")
        try:
            for _ in range(20):
                client.send(b"a" * 1000)
        except (BrokenPipeError, ConnectionResetError):
            pass
        head = client.read_head()
        assert head.startswith(b"HTTP/1.1 431 ")


def test_slowloris_head_timeout_closes_the_connection(port: int) -> None:
    with Client(port) as client:
        client.send(b"GET /health HTTP/1.1\r\nHost: t\r\n")
        assert client.closed()  # the 1 s head timeout; the socket would wait 5 s
        assert client.buffer == b""


def test_idle_keep_alive_connection_is_closed(port: int) -> None:
    with Client(port) as client:
        client.send(get(b"/health"))
        assert client.read_response() == ok(b"ok")
        assert client.closed()


def test_head_response_has_no_body(port: int) -> None:
    with Client(port) as client:
        client.send(get(b"/health", method=b"HEAD") + get(b"/health"))
        assert client.read_response(head_request=True) == (ok(b"ok")[0], b"")
        assert client.read_response() == ok(b"ok")


def test_http10_closes_unless_keep_alive_is_asked(port: int) -> None:
    with Client(port) as client:
        client.send(get(b"/health", version=b"1.0"))
        assert client.read_response() == ok(b"ok", b"connection: close\r\n")
        assert client.closed()
    with Client(port) as client:
        client.send(get(b"/health", b"Connection: keep-alive", version=b"1.0"))
        assert client.read_response() == ok(b"ok", b"connection: keep-alive\r\n")
        client.send(get(b"/health", version=b"1.0"))
        assert client.read_response() == ok(b"ok", b"connection: close\r\n")


def test_connection_close_from_the_client_is_honoured(port: int) -> None:
    with Client(port) as client:
        client.send(get(b"/health", b"Connection: close"))
        assert client.read_response() == ok(b"ok", b"connection: close\r\n")
        assert client.closed()


@pytest.mark.parametrize("path", [b"/boom", b"/silent", b"/badheader"])
def test_app_errors_are_500_and_the_server_keeps_serving(port: int, path: bytes) -> None:
    with Client(port) as client:
        client.send(get(path))
        expected = error(b"500 Internal Server Error", b"Internal Server Error")
        assert client.read_response() == expected
        assert client.closed()
    with Client(port) as client:
        client.send(get(b"/health"))
        assert client.read_response() == ok(b"ok")


def test_garbage_is_400_without_calling_the_app(port: int) -> None:
    with Client(port) as client:
        client.send(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http\r\n\r\n")
        assert client.read_response() == error(b"400 Bad Request", b"Invalid HTTP request")
        assert client.closed()


def test_lifespan_state_reaches_requests(port: int) -> None:
    with Client(port) as client:
        client.send(get(b"/state"))
        assert client.read_response() == ok(b"hello from lifespan")


# -- WebSockets --------------------------------------------------------------------------------


def test_websocket_echo(port: int) -> None:
    with connect(f"ws://127.0.0.1:{port}/ws", open_timeout=5) as ws:
        ws.send("hello")
        assert ws.recv(timeout=5) == "echo:hello"
        ws.send(b"\x00\x01")
        assert ws.recv(timeout=5) == b"echo:\x00\x01"
        ws.ping()
        ws.send("again")
        assert ws.recv(timeout=5) == "echo:again"


def test_websocket_close_code_and_reason_from_the_app(port: int) -> None:
    with (
        connect(f"ws://127.0.0.1:{port}/ws/close", open_timeout=5) as ws,
        pytest.raises(ConnectionClosed) as closed,
    ):
        ws.recv(timeout=5)
    assert closed.value.rcvd is not None
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (4001, "bye")


def test_websocket_denied_before_accept_is_403(port: int) -> None:
    with pytest.raises(InvalidStatus) as refused:
        connect(f"ws://127.0.0.1:{port}/ws/deny", open_timeout=5)
    assert refused.value.response.status_code == 403


def test_websocket_oversized_message_is_closed_with_1009(port: int) -> None:
    with connect(f"ws://127.0.0.1:{port}/ws", open_timeout=5) as ws:
        ws.send(b"x" * 2000)  # the server's --ws-max-size is 1024
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=5)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1009


def test_invalid_websocket_handshake_is_400(port: int) -> None:
    with Client(port) as client:
        client.send(get(b"/ws", b"Upgrade: websocket", b"Connection: Upgrade"))  # no key
        head = client.read_head()
        assert head.startswith(b"HTTP/1.1 400 Bad Request\r\n"), head


# -- process level -----------------------------------------------------------------------------


def wait_for(predicate: object, what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def test_graceful_shutdown_finishes_the_request_in_flight(tmp_path: Path) -> None:
    proc = start(tmp_path)
    try:
        with Client(proc.port) as client:
            client.send(get(b"/slow"))
            wait_for(lambda: proc.marker.exists(), "the slow request never started")
            proc.process.send_signal(signal.SIGTERM)
            assert client.read_response() == ok(b"slow done", b"connection: close\r\n")
            assert client.closed()
        assert proc.process.wait(timeout=20) == 0
        assert proc.marker.read_text().splitlines() == ["slow-start", "shutdown"]
    finally:
        proc.stop()


def test_startup_failure_exits_non_zero_with_the_message(tmp_path: Path) -> None:
    proc = start(tmp_path, env={"PROTO_FAIL_STARTUP": "1"}, wait=False)
    assert proc.process.wait(timeout=30) == 3
    assert "Application startup failed: boom at startup" in proc.log()


def pid_of_a_new_connection(port: int) -> int:
    with Client(port) as client:
        client.send(get(b"/pid", b"Connection: close"))
        _, body = client.read_response()
        return int(body)


def test_two_workers_serve_and_a_killed_worker_is_restarted(tmp_path: Path) -> None:
    proc = start(tmp_path, "--workers", "2")
    try:
        seen: set[int] = set()

        def both_seen() -> bool:
            with contextlib.suppress(OSError, AssertionError):
                seen.add(pid_of_a_new_connection(proc.port))
            return len(seen) >= 2

        wait_for(both_seen, "two workers never both answered")
        victim = seen.pop()
        os.kill(victim, signal.SIGKILL)
        fresh: set[int] = set()

        def replaced() -> bool:
            with contextlib.suppress(OSError, AssertionError):
                fresh.add(pid_of_a_new_connection(proc.port))
            return bool(fresh - seen - {victim})

        wait_for(replaced, "the killed worker was not replaced", timeout=30)
        assert victim not in fresh
    finally:
        assert proc.stop() == 0, proc.log()


# -- --proxy-headers ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proc]:
    """Trusts the test client (127.0.0.1) and 10.0.0.0/8 as proxies."""
    tmp = tmp_path_factory.mktemp("proxied")
    proc = start(tmp, "--proxy-headers", "--forwarded-allow-ips", "127.0.0.1, 10.0.0.0/8")
    yield proc
    proc.stop()


def peer(port: int, *headers: bytes) -> bytes:
    with Client(port) as client:
        client.send(get(b"/peer", *headers))
        head, body = client.read_response()
    assert head.startswith(b"HTTP/1.1 200 OK\r\n"), head
    return body


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ((), b"('http', '127.0.0.1')"),
        (
            (b"X-Forwarded-Proto: https", b"X-Forwarded-For: 203.0.113.7"),
            b"('https', '203.0.113.7')",
        ),
        ((b"X-Forwarded-For: 203.0.113.7, 10.1.2.3",), b"('http', '203.0.113.7')"),
        (
            (b"X-Forwarded-For: 198.51.100.1, 203.0.113.7 ,10.1.2.3",),
            b"('http', '203.0.113.7')",
        ),
        ((b"X-Forwarded-For: 10.0.0.1, 10.0.0.2",), b"('http', '10.0.0.1')"),
        ((b"X-Forwarded-For: ",), b"('http', '127.0.0.1')"),
        ((b"X-Forwarded-Proto: ftp",), b"('http', '127.0.0.1')"),
        ((b"X-Forwarded-Proto: HTTPS",), b"('https', '127.0.0.1')"),
        ((b"X-Forwarded-Proto: http", b"X-Forwarded-Proto: https"), b"('https', '127.0.0.1')"),
    ],
)
def test_forwarded_headers_from_a_trusted_proxy(
    proxied: Proc, headers: tuple[bytes, ...], expected: bytes
) -> None:
    assert peer(proxied.port, *headers) == expected


def test_forwarded_proto_makes_websockets_secure(proxied: Proc) -> None:
    uri = f"ws://127.0.0.1:{proxied.port}/ws/peer"
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    with connect(uri, additional_headers=forwarded) as ws:
        assert ws.recv() == "('wss', '203.0.113.7')"
    with connect(uri) as ws:
        assert ws.recv() == "('ws', '127.0.0.1')"


def test_forwarded_headers_are_ignored_unless_asked_for_and_from_a_trusted_proxy(
    port: int, tmp_path: Path
) -> None:
    forged = (b"X-Forwarded-Proto: https", b"X-Forwarded-For: 203.0.113.7")
    assert peer(port, *forged) == b"('http', '127.0.0.1')"  # no --proxy-headers
    proc = start(tmp_path, "--proxy-headers", "--forwarded-allow-ips", "10.0.0.1")
    try:
        assert peer(proc.port, *forged) == b"('http', '127.0.0.1')"
    finally:
        proc.stop()


def test_trusted_proxies_default_to_the_environment(tmp_path: Path) -> None:
    proc = start(tmp_path, "--proxy-headers", env={"FORWARDED_ALLOW_IPS": "*"})
    try:
        chain = b"X-Forwarded-For: 198.51.100.1, 203.0.113.7"
        assert peer(proc.port, chain) == b"('http', '198.51.100.1')"  # everyone trusted
    finally:
        proc.stop()


# -- WebSocket keepalive pings ------------------------------------------------------------------


def frames_until_closed(sock: socket.socket) -> list[tuple[int, bytes]]:
    """Read (opcode, payload) of the server's frames (unmasked, short) until it closes."""
    data = b""
    with contextlib.suppress(ConnectionResetError):
        while chunk := sock.recv(65536):
            data += chunk
    frames = []
    while data:
        opcode, size = data[0] & 0x0F, data[1] & 0x7F
        assert size < 126, data
        frames.append((opcode, data[2 : 2 + size]))
        data = data[2 + size :]
    return frames


HANDSHAKE = (
    b"Upgrade: websocket",
    b"Connection: Upgrade",
    b"Sec-WebSocket-Version: 13",
    b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
)


def test_a_websocket_client_that_never_answers_pings_is_closed_with_1011(tmp_path: Path) -> None:
    proc = start(tmp_path, "--ws-ping-interval", "0.3", "--ws-ping-timeout", "0.3")
    try:
        with socket.create_connection(("127.0.0.1", proc.port), timeout=10) as sock:
            sock.sendall(get(b"/ws", *HANDSHAKE))
            head = b""
            while b"\r\n\r\n" not in head:
                head += sock.recv(1)
            assert head.startswith(b"HTTP/1.1 101 "), head
            frames = frames_until_closed(sock)
        assert [opcode for opcode, _ in frames] == [0x9, 0x8], frames
        assert len(frames[0][1]) == 4  # the ping's payload
        assert frames[1][1] == (1011).to_bytes(2, "big") + b"keepalive ping timeout"
        assert pid_of_a_new_connection(proc.port) > 0  # still serving
    finally:
        assert proc.stop() == 0, proc.log()


def test_a_websocket_client_answering_pings_stays_connected(tmp_path: Path) -> None:
    proc = start(tmp_path, "--ws-ping-interval", "0.2", "--ws-ping-timeout", "0.5")
    try:
        with connect(f"ws://127.0.0.1:{proc.port}/ws") as ws:
            for word in ("a", "b", "c"):
                time.sleep(0.6)  # several pings answered by the client library meanwhile
                ws.send(word)
                assert ws.recv() == "echo:" + word
    finally:
        assert proc.stop() == 0, proc.log()


# -- TLS ----------------------------------------------------------------------------------------


def self_signed_certificate(tmp: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 signed by its own key: (certificate, key) PEM files."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fasterapi test")])
    now = datetime.datetime.now(datetime.UTC)
    public = key.public_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp / "cert.pem", tmp / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_tls_serves_https_and_wss(tmp_path: Path) -> None:
    cert, key = self_signed_certificate(tmp_path)
    proc = start(tmp_path, "--ssl-certfile", str(cert), "--ssl-keyfile", str(key))
    context = ssl.create_default_context(cafile=str(cert))
    try:
        with (
            socket.create_connection(("127.0.0.1", proc.port), timeout=5) as raw,
            context.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
        ):
            tls.sendall(get(b"/peer", b"Connection: close"))
            answer = b""
            while chunk := tls.recv(65536):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 200 OK\r\n"), answer
        assert answer.endswith(b"\r\n\r\n('https', '127.0.0.1')"), answer
        with connect(f"wss://127.0.0.1:{proc.port}/ws/peer", ssl=context) as ws:
            assert ws.recv() == "('wss', '127.0.0.1')"
        with Client(proc.port) as client:  # plain HTTP to the TLS port: no answer, closed
            client.send(get(b"/health"))
            assert client.closed()
            assert client.buffer == b""
        with (
            socket.create_connection(("127.0.0.1", proc.port), timeout=5) as raw,
            context.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
        ):
            tls.sendall(get(b"/health", b"Connection: close"))
            assert tls.recv(65536).startswith(b"HTTP/1.1 200 OK\r\n")  # still serving
    finally:
        assert proc.stop() == 0, proc.log()


def test_an_unreadable_certificate_stops_the_start(tmp_path: Path) -> None:
    proc = start(tmp_path, "--ssl-certfile", str(tmp_path / "missing.pem"), wait=False)
    assert proc.process.wait(timeout=30) == 3
    assert "cannot load the TLS certificate or key" in proc.log()


# -- write timeout --------------------------------------------------------------------------------


def test_a_client_that_stops_reading_is_dropped_after_the_write_timeout(tmp_path: Path) -> None:
    proc = start(tmp_path, "--timeout-write", "1")
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            sock.connect(("127.0.0.1", proc.port))
            sock.sendall(get(b"/big"))

            def dropped() -> bool:
                return proc.marker.exists() and "big-disconnected" in proc.marker.read_text()

            wait_for(dropped, "the stalled response was never given up", timeout=20)
            received = 0
            sock.settimeout(5)
            with contextlib.suppress(ConnectionResetError):
                while chunk := sock.recv(1 << 20):
                    received += len(chunk)
        assert received < 64 * 1024 * 1024  # aborted: the rest was never sent
        assert "big-done" not in proc.marker.read_text()
        assert pid_of_a_new_connection(proc.port) > 0  # still serving
    finally:
        assert proc.stop() == 0, proc.log()


def test_a_slow_but_steady_reader_gets_the_whole_response(tmp_path: Path) -> None:
    proc = start(tmp_path, "--timeout-write", "1")
    try:
        with socket.create_connection(("127.0.0.1", proc.port), timeout=10) as sock:
            sock.sendall(get(b"/big", b"Connection: close"))
            received = 0
            while chunk := sock.recv(1 << 20):
                received += len(chunk)
                if received < 8 << 20:
                    time.sleep(0.01)  # slower than the server writes, never 1 s idle
        assert received > 64 * 1024 * 1024  # the head, then 64 MiB of chunked body
        assert "big-done" in proc.marker.read_text()
    finally:
        assert proc.stop() == 0, proc.log()


# -- auto-reload (fasterapi dev --server fasterapi) -----------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:13]) / os.sysconf("SC_CLK_TCK")


def test_dev_reload_serves_each_saved_version_and_survives_a_broken_one(tmp_path: Path) -> None:
    module = tmp_path / "reloaded_app.py"
    source = (
        "async def app(scope, receive, send):\n"
        "    if scope['type'] != 'http':\n"
        "        return\n"
        "    await send({'type': 'http.response.start', 'status': 200, 'headers': []})\n"
        "    await send({'type': 'http.response.body', 'body': b'%s'})\n"
    )
    module.write_text(source % "v1")
    port = free_port()
    log_path = tmp_path / "dev.log"
    command = [sys.executable, "-m", "FasterAPI.cli", "dev", f"{module}:app"]
    command += ["--server", "fasterapi", "--port", str(port), "--log-level", "info"]
    process = subprocess.Popen(
        command, cwd=tmp_path, stdout=log_path.open("wb"), stderr=subprocess.STDOUT
    )
    proc = Proc(port, process, log_path, tmp_path / "unused")

    def answer() -> bytes:
        with contextlib.suppress(OSError, AssertionError), Client(port) as client:
            client.send(get(b"/", b"Connection: close"))
            return client.read_response()[1]
        return b""

    try:
        wait_for(lambda: answer() == b"v1", "the first version was never served", timeout=30)
        module.write_text(source % "v2")
        wait_for(lambda: answer() == b"v2", "the change was not reloaded", timeout=30)
        module.write_text("this is not python\n")
        wait_for(lambda: "failed to start" in proc.log(), "the broken version went unnoticed")
        assert process.poll() is None, proc.log()  # still watching
        before = cpu_seconds(process.pid)
        time.sleep(1.0)
        assert cpu_seconds(process.pid) - before < 0.3  # waiting, not spinning
        module.write_text(source % "v3")
        wait_for(lambda: answer() == b"v3", "the fixed version was not served", timeout=30)
    finally:
        assert proc.stop() == 0, proc.log()
