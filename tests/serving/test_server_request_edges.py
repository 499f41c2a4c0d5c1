"""fasterapi-server on requests at the edges of HTTP/1.1 (issue #20), over raw sockets:
chunked trailer fields (never merged into the header section), methods llhttp does not know
(``get``, ``FOO``: valid tokens that reach the application), percent-encoded bytes that are
not UTF-8 (``/%ff``: passed on as uvicorn and granian do), Host values and transfer codings.
The app is server_protocol_app.py; ``/request`` answers ``repr((method, headers, body))``.
"""

from __future__ import annotations

import ast
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from serving_support import SERVING_APP, serve
from test_fasterapi_server import Client, Proc, error, get, start

from fasterapi_server._unknown_methods import request_start


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proc]:
    proc = start(
        tmp_path_factory.mktemp("edges"),
        "--timeout-request-head",
        "1",
        "--max-head-size",
        "8192",
    )
    yield proc
    proc.stop()


@pytest.fixture
def port(server: Proc) -> Iterator[int]:
    yield server.port
    assert server.process.poll() is None, server.log()


NOT_FOUND = b"HTTP/1.1 404 Not Found\r\ncontent-type: text/plain\r\ncontent-length: 9\r\n"
NOT_FOUND += b"server: fasterapi\r\n\r\n"


def seen(client: Client) -> tuple[Any, ...]:
    """What the application saw of one request (a 200 from ``/request``)."""
    head, body = client.read_response()
    assert head.startswith(b"HTTP/1.1 200 "), (head, body)
    value: tuple[Any, ...] = ast.literal_eval(body.decode())
    return value


def chunked(path: bytes, payload: bytes, method: bytes = b"POST") -> bytes:
    return get(path, b"Transfer-Encoding: chunked", method=method) + payload


# -- trailer fields --------------------------------------------------------------------------------


def test_trailer_fields_never_reach_the_headers_and_the_body_is_intact(port: int) -> None:
    trailers = b"X-User: admin\r\nHost: evil.test\r\n"
    with Client(port) as client:
        client.send(
            chunked(b"/request", b"5\r\nhello\r\n6\r\n world\r\n0\r\n" + trailers + b"\r\n")
        )
        method, headers, body = seen(client)
        assert (method, body) == ("POST", b"hello world")
        assert headers == [(b"host", b"t"), (b"transfer-encoding", b"chunked")]
        client.send(get(b"/request", b"X-Next: 1"))  # the connection goes on, framed as before
        assert seen(client) == ("GET", [(b"host", b"t"), (b"x-next", b"1")], b"")


def test_trailers_pipelined_with_the_next_request(port: int) -> None:
    with Client(port) as client:
        first = chunked(b"/request", b"3\r\nabc\r\n0\r\nHost: evil.test\r\nX-T: 1\r\n\r\n")
        client.send(first + get(b"/request") + chunked(b"/request", b"0\r\nX-U: 2\r\n\r\n"))
        assert seen(client)[1:] == ([(b"host", b"t"), (b"transfer-encoding", b"chunked")], b"abc")
        assert seen(client) == ("GET", [(b"host", b"t")], b"")
        assert seen(client)[1:] == ([(b"host", b"t"), (b"transfer-encoding", b"chunked")], b"")


def test_trailer_fields_count_against_max_head_size(port: int) -> None:
    """Dropped, but not free: the head and the trailers share ``max_head_size`` (8 KiB here)."""
    trailers = b"".join(b"X-T%d: %s\r\n" % (i, b"v" * 100) for i in range(100))  # ~11 KiB
    with Client(port) as client:
        client.send(chunked(b"/request", b"5\r\nhello\r\n0\r\n" + trailers + b"\r\n"))
        expected = error(b"431 Request Header Fields Too Large", b"Request header fields too large")
        assert client.read_response() == expected
        assert client.closed()


# -- methods llhttp does not know -------------------------------------------------------------


@pytest.mark.parametrize("method", [b"get", b"FOO", b"Patch", b"GETX", b"X-" + b"M" * 200])
def test_a_method_token_llhttp_does_not_know_reaches_the_app(port: int, method: bytes) -> None:
    with Client(port) as client:
        client.send(get(b"/request", b"Content-Length: 3", method=method) + b"abc")
        assert seen(client) == (
            method.decode(),
            [(b"host", b"t"), (b"content-length", b"3")],
            b"abc",
        )
        client.send(get(b"/request"))
        assert seen(client)[0] == "GET"


def test_pipelined_requests_with_unknown_methods_keep_their_framing(port: int) -> None:
    requests = [
        (b"GET", b""),
        (b"FOO", b"hello"),
        (b"get", b""),
        (b"PUT", b"x" * 1000),
        (b"delete", b"5\r\nchunk\r\n0\r\n\r\n"),
        (b"BAR", b""),
    ]
    data = b""
    for method, body in requests:
        framing = (
            b"Transfer-Encoding: chunked" if b"chunk" in body else b"Content-Length: %d" % len(body)
        )
        data += get(b"/request", framing, method=method) + body
    with Client(port) as client:
        client.send(data)
        answers = [seen(client) for _ in requests]
    assert [(m, b) for m, _, b in answers] == [
        ("GET", b""),
        ("FOO", b"hello"),
        ("get", b""),
        ("PUT", b"x" * 1000),
        ("delete", b"chunk"),
        ("BAR", b""),
    ]


def test_an_unknown_method_split_across_reads(port: int) -> None:
    with Client(port) as client:
        client.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for piece in (b"F", b"O", b"O", b" /request HTTP/1.1\r\nHo", b"st: t\r\n\r\n"):
            client.send(piece)
            time.sleep(0.05)
        assert seen(client) == ("FOO", [(b"host", b"t")], b"")


@pytest.mark.parametrize(
    "line", [b"F@O /request HTTP/1.1", b"FOO\t/request HTTP/1.1", b"/ HTTP/1.1"]
)
def test_a_request_line_without_a_method_token_is_still_400(port: int, line: bytes) -> None:
    with Client(port) as client:
        client.send(line + b"\r\nHost: t\r\n\r\n")
        assert client.read_response() == error(b"400 Bad Request", b"Invalid HTTP request")
        assert client.closed()


def test_a_method_trickling_in_does_not_extend_the_head_timeout(port: int) -> None:
    """Each read parses the request again: the head deadline (1 s here) must still run."""
    with Client(port) as client:
        started = time.monotonic()
        try:
            for _ in range(40):
                client.send(b"X")
                time.sleep(0.1)
        except (BrokenPipeError, ConnectionResetError):
            pass
        assert client.closed()
        assert time.monotonic() - started < 3.5


def test_the_router_answers_405_and_404(tmp_path: Path) -> None:
    """Through a FasterAPI app: ``get``/``FOO`` reach the router (405), ``/%ff`` too (404)."""
    served = serve(SERVING_APP, "fasterapi", tmp_path / "fasterapi.log")
    try:
        statuses = {}
        for method, target in ((b"get", b"/health"), (b"FOO", b"/health"), (b"GET", b"/%ff")):
            with Client(served.port) as client:
                client.send(get(target, method=method))
                statuses[method, target] = int(client.read_head().split(b" ")[1])
        assert statuses == {
            (b"get", b"/health"): 405,
            (b"FOO", b"/health"): 405,
            (b"GET", b"/%ff"): 404,
        }
        assert httpx.get(f"{served.base}/health", timeout=5).status_code == 200
    finally:
        served.stop()


@pytest.mark.parametrize("completed", [0, 1, 2, 3, 4])
def test_the_start_of_the_request_after_completed_ones_is_found(completed: int) -> None:
    """``_unknown_methods.request_start``: the scratch parser's search, over bodies and sizes."""
    requests = [
        get(b"/a"),
        get(b"/b", b"Content-Length: 300", method=b"POST") + b"b" * 300,
        get(b"/c", b"Transfer-Encoding: chunked", method=b"PUT") + b"3\r\nabc\r\n0\r\n\r\n",
        get(b"/d", b"Content-Length: 5000", method=b"POST") + b"d" * 5000,
        b"FOO /e HTTP/1.1\r\nHost: t\r\n\r\n",
    ]
    data = b"".join(requests)
    assert request_start(data, completed) == sum(map(len, requests[:completed]))


# -- percent-encoded bytes that are not UTF-8 ----------------------------------------------------


def test_a_percent_encoded_byte_that_is_not_utf8_reaches_the_app(port: int) -> None:
    with Client(port) as client:
        client.send(get(b"/%ff%fe/x?q=%ff"))
        assert client.read_response() == (NOT_FOUND, b"not found")  # the app's own answer
    with Client(port) as client:
        client.send(get(b"/sc%6fpe%ff"))
        expected = "('GET', '/scope\ufffd', b'/sc%6fpe%ff', b'')"
        assert client.read_response()[1].decode() == expected
    with Client(port) as client:
        client.send(get(b"/scope\xff"))  # a raw byte that is not UTF-8: still refused
        assert client.read_head().startswith(b"HTTP/1.1 400 ")


# -- Host values and transfer codings ---------------------------------------------------------


@pytest.mark.parametrize("host", [b"a b", b"user@t", b"t, u", b"t/x", b"caf\xc3\xa9", b"t:8o"])
def test_an_invalid_host_value_is_400(port: int, host: bytes) -> None:
    """RFC 9112 3.2: a Host field with an invalid value MUST be a 400 (uvicorn serves these)."""
    with Client(port) as client:
        client.send(b"GET /request HTTP/1.1\r\nHost: " + host + b"\r\n\r\n")
        assert client.read_response() == error(b"400 Bad Request", b"Invalid Host header")
        assert client.closed()


@pytest.mark.parametrize("host", [b"t", b"t:8080", b"[::1]:8080", b"", b"127.0.0.1", b"a-b.c_d~"])
def test_valid_host_values_are_served(port: int, host: bytes) -> None:
    with Client(port) as client:
        client.send(b"GET /request HTTP/1.1\r\nHost: " + host + b"\r\n\r\n")
        assert seen(client) == ("GET", [(b"host", host)], b"")


@pytest.mark.parametrize("coding", [b"gzip, chunked", b"chunked, chunked", b"deflate"])
def test_a_transfer_coding_other_than_chunked_is_400(port: int, coding: bytes) -> None:
    """RFC 9112 6.1: the body would reach the app still encoded; h11 refuses these too."""
    with Client(port) as client:
        client.send(
            get(b"/request", b"Transfer-Encoding: " + coding, method=b"POST") + b"0\r\n\r\n"
        )
        head, body = client.read_response()
        assert head.startswith(b"HTTP/1.1 400 "), (head, body)
        assert client.closed()
