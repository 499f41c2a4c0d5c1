"""fasterapi-server's WebSocket limits and conformance edges (issue #20), on 127.0.0.1: the
fragment flood (a bound on fragments per message, memory near the size limit), permessage-deflate
(negotiated, and a zip bomb closed with 1009), a Close between fragments (Autobahn 7.1.5) and
invalid UTF-8 failing when its fragment arrives (Autobahn 6.4.1). Raw frames where the client
library would not send them; the app (server_protocol_app.py) echoes with an ``echo:`` prefix.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_fasterapi_server import Proc, get, start
from websockets.exceptions import ConnectionClosed
from websockets.extensions.permessage_deflate import PerMessageDeflate
from websockets.sync.client import connect

MIB = 1 << 20
HANDSHAKE = (
    b"Upgrade: websocket",
    b"Connection: Upgrade",
    b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
    b"Sec-WebSocket-Version: 13",
)
TEXT, BINARY, CONT, CLOSE = 0x1, 0x2, 0x0, 0x8


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proc]:
    """Default WebSocket limits: 16 MiB messages, 131,072 fragments, compression offered."""
    proc = start(tmp_path_factory.mktemp("ws-limits"), "--ws-ping-interval", "0")
    yield proc
    proc.stop()


@pytest.fixture
def port(server: Proc) -> Iterator[int]:
    yield server.port
    assert server.process.poll() is None, server.log()


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for {pid}")


@contextlib.contextmanager
def peak_growth(pid: int) -> Iterator[list[float]]:
    """Yields ``[growth]``: the peak RSS (sampled every 10 ms) minus the RSS before, in MiB."""
    before = rss_mib(pid)
    result = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.01):
            result[0] = max(result[0], rss_mib(pid) - before)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield result
    finally:
        done.set()
        sampler.join()
        result[0] = max(result[0], rss_mib(pid) - before)


def frame(opcode: int, payload: bytes, fin: bool = True) -> bytes:
    """A masked client frame (mask key 0, so the payload goes as it is)."""
    first = opcode | (0x80 if fin else 0)
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", first, 0x80 | n)
    elif n < 65536:
        head = struct.pack("!BBH", first, 0x80 | 126, n)
    else:
        head = struct.pack("!BBQ", first, 0x80 | 127, n)
    return head + b"\0\0\0\0" + payload


def fragments(opcode: int, payload: bytes, size: int) -> list[bytes]:
    pieces = [payload[i : i + size] for i in range(0, len(payload), size)]
    last = len(pieces) - 1
    return [frame(opcode if i == 0 else CONT, p, i == last) for i, p in enumerate(pieces)]


def flood(count: int, size: int) -> list[bytes]:
    """One text message of ``count`` fragments of ``size`` bytes (``x``), as frames."""
    middle = frame(CONT, b"x" * size, fin=False)
    return [frame(TEXT, b"x" * size, fin=False), *[middle] * (count - 2), frame(CONT, b"x" * size)]


class RawSocket:
    """A WebSocket over a plain socket: raw frames out, the server's frames back."""

    def __init__(self, port: int, path: bytes = b"/ws") -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.sock.sendall(get(path, *HANDSHAKE))
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self.sock.recv(65536)
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 101 "), head

    def __enter__(self) -> RawSocket:
        return self

    def __exit__(self, *exc: object) -> None:
        self.sock.close()

    def send_all(self, frames: list[bytes]) -> None:
        """Write the frames, about 1 MiB at a time (the server may close before the end)."""
        batch: list[bytes] = []
        size = 0
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            for data in frames:
                batch.append(data)
                size += len(data)
                if size >= MIB:
                    self.sock.sendall(b"".join(batch))
                    batch, size = [], 0
            self.sock.sendall(b"".join(batch))

    def _need(self, n: int) -> None:
        while len(self.buffer) < n:
            chunk = self.sock.recv(MIB)
            assert chunk, f"closed with {self.buffer!r} unread"
            self.buffer += chunk

    def receive(self) -> tuple[int, bytes]:
        """The server's next frame: ``(opcode, payload)`` (its frames are not masked)."""
        self._need(2)
        opcode, n, offset = self.buffer[0] & 0x0F, self.buffer[1] & 0x7F, 2
        if n == 126:
            self._need(4)
            n, offset = struct.unpack("!H", self.buffer[2:4])[0], 4
        elif n == 127:
            self._need(10)
            n, offset = struct.unpack("!Q", self.buffer[2:10])[0], 10
        self._need(offset + n)
        payload = self.buffer[offset : offset + n]
        self.buffer = self.buffer[offset + n :]
        return opcode, payload

    def close_code(self) -> int:
        opcode, payload = self.receive()
        assert opcode == CLOSE, (opcode, payload[:100])
        code: int = struct.unpack("!H", payload[:2])[0]
        return code


# -- fragments -----------------------------------------------------------------------------------


def test_a_fragment_flood_is_closed_with_1009_in_bounded_memory(server: Proc, port: int) -> None:
    """4 MiB in 2-byte fragments (2,097,152 frames): past 131,072 fragments the connection is
    closed with 1009. A list of fragments took the worker from 33 to 315 MiB (issue #20)."""
    with RawSocket(port) as ws, peak_growth(server.process.pid) as growth:
        ws.send_all(flood(2 * MIB, 2))  # the rest is read and discarded, not reset
        assert ws.close_code() == 1009
    assert growth[0] < 16, f"the worker grew by {growth[0]:.1f} MiB"


def test_autobahn_9_3_1_is_echoed_near_its_size(server: Proc, port: int) -> None:
    """4 MiB of text in 64-byte fragments, then an empty last one: 65,537 frames."""
    message = (b"0123456789abcdef" * (MIB // 4))[: 4 * MIB]
    frames = [*fragments(TEXT, message, 64)[:-1], frame(CONT, message[-64:], fin=False)]
    with RawSocket(port) as ws, peak_growth(server.process.pid) as growth:
        ws.send_all([*frames, frame(CONT, b"")])
        assert ws.receive() == (TEXT, b"echo:" + message)
    assert growth[0] < 4 * 4 + 8, f"the worker grew by {growth[0]:.1f} MiB for 4 MiB"


def test_the_fragment_limit_is_exact(tmp_path: Path) -> None:
    proc = start(tmp_path, "--ws-max-fragments", "10")
    try:
        with RawSocket(proc.port) as ws:
            ws.send_all(fragments(BINARY, b"0123456789", 1))
            assert ws.receive() == (BINARY, b"echo:0123456789")
            ws.send_all(fragments(BINARY, b"0123456789a", 1))
            assert ws.close_code() == 1009
    finally:
        proc.stop()


# -- permessage-deflate ------------------------------------------------------------------------


def test_permessage_deflate_is_negotiated(port: int) -> None:
    text = "compress me " * 10_000
    with connect(f"ws://127.0.0.1:{port}/ws", open_timeout=5, max_size=None) as ws:
        assert ws.response is not None
        offered = ws.response.headers["Sec-WebSocket-Extensions"]
        assert offered.startswith("permessage-deflate"), offered
        assert [type(e) for e in ws.protocol.extensions] == [PerMessageDeflate]
        for _ in range(3):  # the compression context carries over between messages
            ws.send(text)
            assert ws.recv(timeout=5) == "echo:" + text


def test_permessage_deflate_can_be_turned_off(tmp_path: Path) -> None:
    proc = start(tmp_path, "--no-ws-per-message-deflate")
    try:
        with connect(f"ws://127.0.0.1:{proc.port}/ws", open_timeout=5) as ws:
            assert ws.response is not None
            assert "Sec-WebSocket-Extensions" not in ws.response.headers
            assert ws.protocol.extensions == []
            ws.send("plain")
            assert ws.recv(timeout=5) == "echo:plain"
    finally:
        proc.stop()


def test_a_zip_bomb_is_closed_with_1009(tmp_path: Path) -> None:
    """64 MiB of zeros deflate to ~64 KiB: inflated only up to ``ws_max_size`` (1 MiB here)."""
    proc = start(tmp_path, "--ws-max-size", str(MIB))
    try:
        with (
            connect(f"ws://127.0.0.1:{proc.port}/ws", open_timeout=5, max_size=None) as ws,
            peak_growth(proc.process.pid) as growth,
        ):
            assert [type(e) for e in ws.protocol.extensions] == [PerMessageDeflate]
            with pytest.raises(ConnectionClosed) as closed:
                ws.send(b"\0" * (64 * MIB))
                ws.recv(timeout=10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009
        assert growth[0] < 16, f"the worker grew by {growth[0]:.1f} MiB"
    finally:
        proc.stop()


# -- Autobahn 7.1.5 and 6.4.1 --------------------------------------------------------------------


def test_a_close_between_fragments_is_a_clean_close(port: int) -> None:
    """Autobahn 7.1.5: a fragment, Close(1000), then the continuation: 1000 is echoed."""
    with RawSocket(port) as ws:
        close = frame(CLOSE, struct.pack("!H", 1000))
        ws.send_all([frame(TEXT, b"fragment1", fin=False), close, frame(CONT, b"fragment2")])
        assert ws.close_code() == 1000


def test_invalid_utf8_fails_when_its_fragment_arrives(port: int) -> None:
    """Autobahn 6.4.1: the message never completes, the invalid fragment is enough."""
    with RawSocket(port) as ws:
        ws.send_all([frame(TEXT, "κόσμε".encode(), fin=False)])
        ws.send_all([frame(CONT, b"\xf4\x90\x80\x80", fin=False)])  # above U+10FFFF
        started = time.monotonic()
        assert ws.close_code() == 1007
        assert time.monotonic() - started < 5


def test_a_character_split_between_fragments_is_valid(port: int) -> None:
    with RawSocket(port) as ws:
        ws.send_all([frame(TEXT, b"caf\xc3", fin=False), frame(CONT, b"\xa9!")])
        assert ws.receive() == (TEXT, "echo:café!".encode())


def test_a_failed_connection_lingers_then_closes(tmp_path: Path) -> None:
    """After failing a connection (1009 here) the server half-closes at once, reads and drops
    what the client still sends (no reset under it) and closes within ~2 s."""
    proc = start(tmp_path, "--ws-max-fragments", "10")
    try:
        with RawSocket(proc.port) as ws:
            ws.send_all(fragments(BINARY, b"x" * 20, 1))
            assert ws.close_code() == 1009
            assert ws.sock.recv(1) == b""  # the server's end of stream came with the close
            failed = time.monotonic()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                while time.monotonic() - failed < 6:
                    ws.sock.sendall(b"\x82\x80\0\0\0\0")  # more frames: read and dropped
                    time.sleep(0.05)
            closed = time.monotonic() - failed
        assert 1.0 < closed < 5.0, f"closed {closed:.1f} s after the close frame"
    finally:
        proc.stop()
