"""Connection-level attacks: request smuggling shapes, slowloris, trickled bodies, websockets."""

from __future__ import annotations

import base64
import os
import socket
import struct
import time

import pytest
from hostile_http import Connection, Reply, get, request

SMUGGLED = b"GET /notes/424242 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"  # answers 404 if run


def replies_until_close(conn: Connection, limit: int = 5) -> list[Reply]:
    out = []
    for _ in range(limit):
        reply = conn.read_response()
        if reply is None:
            break
        out.append(reply)
    return out


def assert_not_poisoned(port: int, head: bytes, body: bytes) -> None:
    """Send a request, then a clean /health on the same connection.

    Safe outcomes: the hostile request is refused (4xx, connection closed), or it is
    handled and the next response on the connection is exactly /health's 200. The smuggled
    request (404 for note 424242) must never be answered as if the client sent it."""
    with Connection(port) as conn:
        conn.send(head + body)
        first = conn.read_response()
        assert first is not None
        try:
            conn.send(request("/health"))
        except (BrokenPipeError, ConnectionResetError):
            assert 400 <= first.status < 500
            return
        rest = replies_until_close(conn)
    statuses = [first.status] + [r.status for r in rest]
    assert 404 not in statuses, statuses
    if 400 <= first.status < 500:
        assert all(r.status in (200, 400) for r in rest), statuses
    else:
        # The next answer is /health's, or the server closed the connection after the first.
        assert [(r.status, r.body) for r in rest] in ([(200, b'{"status":"ok"}')], []), statuses


SMUGGLING = {
    # CL.TE: a front end trusting Content-Length forwards the smuggled request as body.
    "cl-te": (
        b"POST /size HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n" % (5 + len(SMUGGLED)),
        b"0\r\n\r\n" + SMUGGLED,
    ),
    # TE.CL: the reverse disagreement.
    "te-cl": (
        b"POST /size HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n",
        b"%x\r\n" % len(SMUGGLED) + SMUGGLED + b"\r\n0\r\n\r\n",
    ),
    "duplicate-cl-differing": (
        b"POST /size HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
        b"Content-Length: %d\r\n\r\n" % len(SMUGGLED),
        SMUGGLED,
    ),
    "cl-list": (
        b"POST /size HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0, %d\r\n\r\n" % len(SMUGGLED),
        SMUGGLED,
    ),
    "te-obfuscated-space": (
        b"POST /size HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n"
        b"Transfer-Encoding : chunked\r\n\r\n" % (5 + len(SMUGGLED)),
        b"0\r\n\r\n" + SMUGGLED,
    ),
    "te-xchunked": (
        b"POST /size HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n"
        b"Transfer-Encoding: xchunked\r\n\r\n" % (5 + len(SMUGGLED)),
        b"0\r\n\r\n" + SMUGGLED,
    ),
    "te-chunked-identity": (
        b"POST /size HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked, identity\r\n\r\n",
        b"0\r\n\r\n" + SMUGGLED,
    ),
    "obs-fold-te": (
        b"POST /size HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n"
        b"X-Foo: a\r\n Transfer-Encoding: chunked\r\n\r\n" % (5 + len(SMUGGLED)),
        b"0\r\n\r\n" + SMUGGLED,
    ),
    "bare-lf": (
        b"POST /size HTTP/1.1\nHost: 127.0.0.1\nContent-Length: %d\n\n" % len(SMUGGLED),
        SMUGGLED,
    ),
    "bad-chunk-size": (
        b"POST /size HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"fffffffffffffffffffff\r\nab\r\n0\r\n\r\n" + SMUGGLED,
    ),
    "chunk-extension-flood": (
        b"POST /size HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"1;" + b"e=x;" * 20000 + b"\r\na\r\n0\r\n\r\n",
    ),
    "negative-cl": (
        b"POST /size HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n",
        SMUGGLED,
    ),
    "nul-in-header": (b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: a\x00b\r\n\r\n", b""),
    "http-0.9": (b"GET /health\r\n\r\n", b""),
    "http-2.0-on-1.1": (b"GET /health HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n", b""),
}


@pytest.mark.parametrize(("head", "body"), list(SMUGGLING.values()), ids=list(SMUGGLING))
def test_request_smuggling_shapes_are_rejected_or_do_not_poison_the_connection(
    port: int, head: bytes, body: bytes
) -> None:
    assert_not_poisoned(port, head, body)


def test_slowloris_headers_do_not_block_other_clients(port: int) -> None:
    idle = []
    try:
        for _ in range(100):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            idle.append(sock)
        for index in range(3):
            for sock in idle:
                sock.sendall(b"a")  # one more byte of header each round
            reply = get(port, f"/query?n={index}")
            assert reply.status == 200
    finally:
        for sock in idle:
            sock.close()


def test_trickled_body_does_not_block_other_clients(port: int) -> None:
    body = b"0123456789" * 10
    with Connection(port, timeout=10) as slow:
        slow.send(
            b"POST /size HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n"
            b"Content-Type: application/octet-stream\r\n\r\n"
        )
        for index in range(0, 100, 10):
            slow.send(body[index : index + 10])
            time.sleep(0.02)  # the attack itself: a slow sender
            assert get(port, "/health").status == 200
        reply = slow.read_response()
    assert reply is not None and (reply.status, reply.body) == (200, b'{"size":100}')


# -- websockets -------------------------------------------------------------------------------


def ws_connect(port: int, path: str = "/ws", extra: bytes = b"") -> tuple[socket.socket, bytes]:
    key = base64.b64encode(os.urandom(16))
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(
        b"GET " + path.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        b"Connection: Upgrade\r\nSec-WebSocket-Key: " + key + b"\r\n"
        b"Sec-WebSocket-Version: 13\r\n" + extra + b"\r\n"
    )
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(4096)
        if not chunk:
            break
        head += chunk
    return sock, head


def frame(
    opcode: int, payload: bytes, *, mask: bool = True, fin: bool = True, rsv: int = 0
) -> bytes:
    first = (0x80 if fin else 0) | (rsv << 4) | opcode
    length = len(payload)
    if length < 126:
        header = struct.pack("!BB", first, (0x80 if mask else 0) | length)
    elif length < 65536:
        header = struct.pack("!BBH", first, (0x80 if mask else 0) | 126, length)
    else:
        header = struct.pack("!BBQ", first, (0x80 if mask else 0) | 127, length)
    if not mask:
        return header + payload
    key = os.urandom(4)
    return header + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


def close_code(sock: socket.socket) -> int | None:
    """Read frames until a close frame; its status code (None if the socket just closed)."""
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except (TimeoutError, ConnectionResetError):
            return None
        if not chunk:
            return None
        data += chunk
        while len(data) >= 2:
            opcode, length = data[0] & 0x0F, data[1] & 0x7F
            offset = 2
            if length == 126:
                (length,) = struct.unpack("!H", data[2:4])
                offset = 4
            elif length == 127:
                (length,) = struct.unpack("!Q", data[2:10])
                offset = 10
            if len(data) < offset + length:
                break
            payload, data = data[offset : offset + length], data[offset + length :]
            if opcode == 0x8:
                return struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005


def test_websocket_echo_works(port: int) -> None:
    sock, head = ws_connect(port)
    with sock:
        assert head.startswith(b"HTTP/1.1 101")
        sock.sendall(frame(0x1, b"hello"))
        reply = sock.recv(100)
        assert reply == b"\x81\x05hello"


@pytest.mark.parametrize(
    ("data", "codes"),
    [
        (frame(0x1, b"unmasked", mask=False), {1002}),
        (frame(0x1, b"x", rsv=4), {1002}),
        (frame(0x3, b"reserved opcode"), {1002}),
        (frame(0x1, b"\xff\xfe invalid utf-8"), {1007}),
        (frame(0x9, b"p" * 200), {1002}),  # control frame over 125 bytes
        (frame(0x8, b"\x03\xe8" + b"r" * 200), {1002}),
        (frame(0x1, b"a", fin=False) + frame(0x1, b"b"), {1002}),  # new message mid-fragment
        (frame(0x0, b"orphan continuation"), {1002}),
    ],
    ids=[
        "unmasked",
        "rsv-bits",
        "reserved-opcode",
        "invalid-utf8",
        "big-ping",
        "big-close",
        "interleaved",
        "orphan-continuation",
    ],
)
def test_websocket_protocol_violations_close_the_connection(
    port: int, data: bytes, codes: set[int]
) -> None:
    sock, head = ws_connect(port)
    with sock:
        assert head.startswith(b"HTTP/1.1 101")
        sock.sendall(data)
        code = close_code(sock)
    assert code is None or code in codes, code


def test_websocket_oversized_frame_is_refused(port: int) -> None:
    sock, head = ws_connect(port)
    with sock:
        assert head.startswith(b"HTTP/1.1 101")
        # Announce a 64 MiB frame (over uvicorn's 16 MiB ws_max_size) and send a little of it.
        header = struct.pack("!BBQ", 0x82, 0x80 | 127, 64 * 1024 * 1024) + os.urandom(4)
        try:
            sock.sendall(header + b"\x00" * 65536)
        except (BrokenPipeError, ConnectionResetError):
            return
        code = close_code(sock)
    assert code in (None, 1009), code


@pytest.mark.parametrize(
    "extra",
    [b"Sec-WebSocket-Version: 8\r\n", b"Origin: https://evil.example\r\n"],
    ids=["second-version-header", "foreign-origin"],
)
def test_websocket_odd_handshakes_do_not_crash(port: int, extra: bytes) -> None:
    sock, head = ws_connect(port, extra=extra)
    sock.close()
    assert head.startswith((b"HTTP/1.1 101", b"HTTP/1.1 400", b"HTTP/1.1 403", b"HTTP/1.1 426"))


def test_websocket_with_an_untrusted_host_is_refused(port: int) -> None:
    key = base64.b64encode(os.urandom(16))
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(
            b"GET /ws HTTP/1.1\r\nHost: evil.example\r\nUpgrade: websocket\r\n"
            b"Connection: Upgrade\r\nSec-WebSocket-Key: " + key + b"\r\n"
            b"Sec-WebSocket-Version: 13\r\n\r\n"
        )
        head = sock.recv(4096)
    assert not head.startswith(b"HTTP/1.1 101"), head
