"""HTTP/1.1 conformance of fasterapi-server against uvicorn, on malformed and ambiguous requests.

The references are uvicorn 0.55 (pinned in locks/test.txt) with each of its parsers: httptools
(llhttp, its default) and h11. Every case is one request whose framing or syntax is in question,
followed on the same connection by a well-formed sentinel request; it is played on a fresh
connection to each server (tests/serving/differential_app.py, whose answers echo what the
application saw). A server *accepts* the case when the application sees its first request.

For every case fasterapi-server must

* reject what either reference rejects (a 4xx of its own, or a close, before the application
  sees anything): an ambiguity one parser refuses is one that a proxy in front may frame
  otherwise;
* when it accepts, let the application see exactly what uvicorn with httptools shows it: the
  same requests, in order, with the same bodies (never a request lost, cut or smuggled);
* after a 4xx of its own, close the connection: nothing behind an unparsable request is read as
  a request.

Being stricter than both references is allowed (RFC 9112's MUSTs on Host, for one). Where h11
alone refuses what RFC 9112 lets a server accept and what does not touch framing, ``LENIENT``
says so, and uvicorn with httptools is the reference.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from differential_support import Outcome, Server, exchange, start

SENTINEL = b"GET /sentinel HTTP/1.1\r\nHost: t\r\n\r\n"
SMUGGLED = b"GET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n"
SERVERS = ("fasterapi", "uvicorn", "uvicorn-h11")
REFERENCES = ("uvicorn", "uvicorn-h11")
LENIENT = {
    "leading-crlf": "RFC 9112 2.2: a server SHOULD ignore at least one empty line before a request",
    "line-double-space": "RFC 9112 3: a recipient MAY parse the request-line on whitespace",
}


def post(*headers: bytes, body: bytes = b"", line: bytes = b"POST /echo HTTP/1.1") -> bytes:
    return b"\r\n".join([line, b"Host: t", *headers]) + b"\r\n\r\n" + body


CHUNKED = b"Transfer-Encoding: chunked"
CASES: dict[str, bytes] = {
    # -- Content-Length and Transfer-Encoding together
    "cl-te": post(b"Content-Length: 5", CHUNKED, body=b"0\r\n\r\n" + SMUGGLED),
    "te-cl": post(CHUNKED, b"Content-Length: 40", body=b"0\r\n\r\n" + SMUGGLED),
    "te-chunked-cl-zero": post(CHUNKED, b"Content-Length: 0", body=b"5\r\nhello\r\n0\r\n\r\n"),
    "cl-cl-differing": post(b"Content-Length: 5", b"Content-Length: 6", body=b"hello!"),
    "cl-cl-equal": post(b"Content-Length: 5", b"Content-Length: 5", body=b"hello"),
    "cl-list": post(b"Content-Length: 5, 5", body=b"hello"),
    "cl-list-differing": post(b"Content-Length: 5, 6", body=b"hello!"),
    "cl-plus": post(b"Content-Length: +5", body=b"hello"),
    "cl-minus": post(b"Content-Length: -5", body=b"hello"),
    "cl-hex": post(b"Content-Length: 0x5", body=b"hello"),
    "cl-leading-zeros": post(b"Content-Length: 005", body=b"hello"),
    "cl-empty": post(b"Content-Length: ", body=b"hello"),
    "cl-inner-space": post(b"Content-Length: 1 0", body=b"helloworld"),
    "cl-trailing-garbage": post(b"Content-Length: 5x", body=b"hello"),
    "cl-huge": post(b"Content-Length: 184467440737095516160", body=b"x"),
    "cl-space-before-colon": post(b"Content-Length : 5", body=b"hello"),
    "cl-obs-fold": post(b"Content-Length: 5\r\n 0", body=b"hello"),
    "cl-vertical-tab": post(b"Content-Length:\x0b5", body=b"hello"),
    "te-identity": post(b"Transfer-Encoding: identity", body=b"hello"),
    "te-gzip": post(b"Transfer-Encoding: gzip", body=b"hello"),
    "te-gzip-chunked": post(b"Transfer-Encoding: gzip, chunked", body=b"0\r\n\r\n"),
    "te-chunked-gzip": post(b"Transfer-Encoding: chunked, gzip", body=b"0\r\n\r\n"),
    "te-chunked-identity": post(b"Transfer-Encoding: chunked, identity", body=b"0\r\n\r\n"),
    "te-two-fields": post(CHUNKED, b"Transfer-Encoding: identity", body=b"0\r\n\r\n"),
    "te-chunked-twice": post(CHUNKED, CHUNKED, body=b"0\r\n\r\n"),
    "te-xchunked": post(b"Transfer-Encoding: xchunked", body=b"0\r\n\r\n"),
    "te-chunked-suffix": post(b"Transfer-Encoding: chunkedx", body=b"0\r\n\r\n"),
    "te-uppercase": post(b"Transfer-Encoding: CHUNKED", body=b"5\r\nhello\r\n0\r\n\r\n"),
    "te-trailing-space": post(b"Transfer-Encoding: chunked ", body=b"5\r\nhello\r\n0\r\n\r\n"),
    "te-tab": post(b"Transfer-Encoding:\tchunked", body=b"5\r\nhello\r\n0\r\n\r\n"),
    "te-vertical-tab": post(b"Transfer-Encoding:\x0bchunked", body=b"0\r\n\r\n"),
    "te-space-before-colon": post(b"Transfer-Encoding : chunked", body=b"0\r\n\r\n"),
    "te-underscore": post(b"Transfer_Encoding: chunked", body=b"0\r\n\r\n"),
    "te-obs-fold": post(b"Transfer-Encoding: identity\r\n chunked", body=b"0\r\n\r\n"),
    "te-http10": post(CHUNKED, body=b"5\r\nhello\r\n0\r\n\r\n", line=b"POST /echo HTTP/1.0"),
    "te-cl-http10": post(
        CHUNKED, b"Content-Length: 5", body=b"0\r\n\r\n", line=b"POST /echo HTTP/1.0"
    ),
    "get-with-cl-body": post(b"Content-Length: 5", body=b"hello", line=b"GET /echo HTTP/1.1"),
    # -- chunk syntax
    "chunk-uppercase-hex": post(CHUNKED, body=b"A\r\n0123456789\r\n0\r\n\r\n"),
    "chunk-leading-zeros": post(CHUNKED, body=b"005\r\nhello\r\n0\r\n\r\n"),
    "chunk-0x-prefix": post(CHUNKED, body=b"0x5\r\nhello\r\n0\r\n\r\n"),
    "chunk-negative": post(CHUNKED, body=b"-5\r\nhello\r\n0\r\n\r\n"),
    "chunk-plus": post(CHUNKED, body=b"+5\r\nhello\r\n0\r\n\r\n"),
    "chunk-size-overflow": post(CHUNKED, body=b"10000000000000001\r\nhello\r\n0\r\n\r\n"),
    "chunk-space-after-size": post(CHUNKED, body=b"5 \r\nhello\r\n0\r\n\r\n"),
    "chunk-tab-after-size": post(CHUNKED, body=b"5\t\r\nhello\r\n0\r\n\r\n"),
    "chunk-space-before-size": post(CHUNKED, body=b" 5\r\nhello\r\n0\r\n\r\n"),
    "chunk-extension": post(CHUNKED, body=b"5;a=b\r\nhello\r\n0;c\r\n\r\n"),
    "chunk-extension-quoted": post(CHUNKED, body=b'5;a="b;c"\r\nhello\r\n0\r\n\r\n'),
    "chunk-extension-bare-lf": post(CHUNKED, body=b"5;a\nb\r\nhello\r\n0\r\n\r\n"),
    "chunk-size-bare-lf": post(CHUNKED, body=b"5\nhello\r\n0\r\n\r\n"),
    "chunk-data-bare-lf": post(CHUNKED, body=b"5\r\nhello\n0\r\n\r\n"),
    "chunk-data-no-crlf": post(CHUNKED, body=b"5\r\nhello0\r\n\r\n"),
    "chunk-data-longer": post(CHUNKED, body=b"3\r\nhello\r\n0\r\n\r\n"),
    "chunk-data-cr-only": post(CHUNKED, body=b"5\r\nhello\r0\r\n\r\n"),
    "chunk-last-bare-lf": post(CHUNKED, body=b"5\r\nhello\r\n0\n\n"),
    "chunk-last-then-smuggle": post(CHUNKED, body=b"0\r\n\r\n" + SMUGGLED),
    "chunk-trailer": post(CHUNKED, body=b"5\r\nhello\r\n0\r\nX-T: 1\r\n\r\n"),
    "chunk-trailer-no-colon": post(CHUNKED, body=b"5\r\nhello\r\n0\r\nX-T\r\n\r\n"),
    "chunk-trailer-obs-fold": post(CHUNKED, body=b"5\r\nhello\r\n0\r\nX-T: 1\r\n 2\r\n\r\n"),
    "chunk-trailer-cl": post(CHUNKED, body=b"5\r\nhello\r\n0\r\nContent-Length: 9\r\n\r\n"),
    # -- line endings
    "bare-lf-request": b"GET /echo HTTP/1.1\nHost: t\n\n",
    "bare-lf-header": b"GET /echo HTTP/1.1\r\nHost: t\nX-A: b\r\n\r\n",
    "bare-cr-header": b"GET /echo HTTP/1.1\r\nHost: t\rX-A: b\r\n\r\n",
    "bare-cr-request-line": b"GET /echo HTTP/1.1\rHost: t\r\n\r\n",
    "cr-cr-lf": b"GET /echo HTTP/1.1\r\r\nHost: t\r\n\r\n",
    "lf-cr-lf-end": b"GET /echo HTTP/1.1\r\nHost: t\n\r\n",
    "leading-crlf": b"\r\n\r\nGET /echo HTTP/1.1\r\nHost: t\r\n\r\n",
    "cl-bare-lf-end": b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\n\nhello",
    # -- header syntax
    "header-space-before-colon": post(b"X-A : b", line=b"GET /echo HTTP/1.1"),
    "header-no-colon": post(b"X-A", line=b"GET /echo HTTP/1.1"),
    "header-empty-name": post(b": b", line=b"GET /echo HTTP/1.1"),
    "header-bad-name-char": post(b"X@A: b", line=b"GET /echo HTTP/1.1"),
    "header-name-space": post(b"X A: b", line=b"GET /echo HTTP/1.1"),
    "header-obs-fold": post(b"X-A: a\r\n b", line=b"GET /echo HTTP/1.1"),
    "header-first-line-folded": b"GET /echo HTTP/1.1\r\n X-A: b\r\nHost: t\r\n\r\n",
    "header-nul-value": post(b"X-A: a\x00b", line=b"GET /echo HTTP/1.1"),
    "header-del-value": post(b"X-A: a\x7fb", line=b"GET /echo HTTP/1.1"),
    "header-ctl-value": post(b"X-A: a\x01b", line=b"GET /echo HTTP/1.1"),
    "header-obs-text": post(b"X-A: caf\xe9", line=b"GET /echo HTTP/1.1"),
    # -- Host rules
    "host-missing": b"GET /echo HTTP/1.1\r\n\r\n",
    "host-duplicate": post(b"Host: u", line=b"GET /echo HTTP/1.1"),
    "host-empty": b"GET /echo HTTP/1.1\r\nHost:\r\n\r\n",
    "host-space": b"GET /echo HTTP/1.1\r\nHost: a b\r\n\r\n",
    "host-userinfo": b"GET /echo HTTP/1.1\r\nHost: user@t\r\n\r\n",
    "host-absolute-form-differs": b"GET http://other/echo HTTP/1.1\r\nHost: t\r\n\r\n",
    "host-missing-http10": b"GET /echo HTTP/1.0\r\n\r\n",
    "host-port": b"GET /echo HTTP/1.1\r\nHost: t:8080\r\n\r\n",
    "host-ipv6": b"GET /echo HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n",
    "host-two-authorities": b"GET /echo HTTP/1.1\r\nHost: t, u\r\n\r\n",
    "host-slash": b"GET /echo HTTP/1.1\r\nHost: t/x\r\n\r\n",
    "host-non-ascii": b"GET /echo HTTP/1.1\r\nHost: caf\xc3\xa9\r\n\r\n",
    # -- request line
    "line-double-space": b"GET  /echo HTTP/1.1\r\nHost: t\r\n\r\n",
    "line-tab": b"GET\t/echo HTTP/1.1\r\nHost: t\r\n\r\n",
    "line-trailing-space": b"GET /echo HTTP/1.1 \r\nHost: t\r\n\r\n",
    "line-lowercase-version": b"GET /echo http/1.1\r\nHost: t\r\n\r\n",
    "line-version-1.2": b"GET /echo HTTP/1.2\r\nHost: t\r\n\r\n",
    "line-version-2.0": b"GET /echo HTTP/2.0\r\nHost: t\r\n\r\n",
    "line-no-version": b"GET /echo\r\nHost: t\r\n\r\n",
    "line-space-in-target": b"GET /a b HTTP/1.1\r\nHost: t\r\n\r\n",
    "line-nul-in-target": b"GET /a\x00b HTTP/1.1\r\nHost: t\r\n\r\n",
    # -- well-formed pipelines: every request must reach the app, framed as sent
    "pipeline-cl": post(b"Content-Length: 5", body=b"hello")
    + post(b"Content-Length: 70000", body=b"x" * 70_000),
    "pipeline-chunked": post(CHUNKED, body=b"3;x=y\r\nabc\r\n0\r\nX-T: 1\r\n\r\n")
    + post(CHUNKED, body=b"0\r\n\r\n"),
    "pipeline-get-then-post": b"GET /echo HTTP/1.1\r\nHost: t\r\n\r\n"
    + post(b"Content-Length: 3", body=b"abc"),
}


@dataclass(frozen=True)
class Seen:
    """What one server did with a case: the requests its app saw, then how it ended."""

    requests: tuple[tuple[str, str, str], ...]  # (method, path, body)
    rejected: int | None  # the status of a response the server made up, if any
    after_reject: int  # responses after that one (must be 0)
    closed: bool


def seen(outcome: Outcome) -> Seen:
    requests: list[tuple[str, str, str]] = []
    rejected, after = None, 0
    for response in outcome.responses:
        if rejected is not None:
            after += 1
        elif response.header("x-app") == "1":
            document = json.loads(response.body)
            requests.append((document["method"], document["path"], document["body"]))
        else:
            rejected = response.status
    return Seen(tuple(requests), rejected, after, outcome.closed)


def accepted(result: Seen) -> bool:
    """The application saw the case's own request (its first)."""
    return bool(result.requests) and result.requests[0][1] != "/sentinel"


def framing(result: Seen) -> tuple[tuple[str, str], ...]:
    """The requests as framed: methods and bodies (uvicorn with h11 leaves an absolute-form
    target in the path)."""
    return tuple((method, body) for method, _, body in result.requests)


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[tuple[str, str], Seen]]:
    tmp = tmp_path_factory.mktemp("conformance")
    started: dict[str, Server] = {}
    try:
        for name in SERVERS:
            started[name] = start(name, tmp)

        async def play() -> dict[tuple[str, str], Seen]:
            keys = [(case, name) for case in CASES for name in SERVERS]
            outcomes = await asyncio.gather(
                *[exchange(started[name].port, [CASES[case] + SENTINEL]) for case, name in keys]
            )
            return {key: seen(outcome) for key, outcome in zip(keys, outcomes, strict=True)}

        yield asyncio.run(play())
        for server in started.values():
            assert server.alive(), server.log()
    finally:
        for server in started.values():
            server.stop()


@pytest.mark.parametrize("case", CASES)
def test_conformance(case: str, results: dict[tuple[str, str], Seen]) -> None:
    ours = results[case, "fasterapi"]
    references = {name: results[case, name] for name in REFERENCES}
    summary = {"fasterapi": ours, **references}
    if not accepted(ours):
        # refused (or still waiting for the rest): the application saw nothing, not even the
        # sentinel; a refusal is a 4xx of the server's own (never a 5xx), then the close
        assert ours.requests == (), summary
        if ours.rejected is not None:
            assert 400 <= ours.rejected < 500 and ours.after_reject == 0 and ours.closed, summary
        return
    binding = ("uvicorn",) if case in LENIENT else REFERENCES
    for name in binding:
        assert accepted(references[name]), (
            f"{name} refuses what fasterapi-server accepts: {summary}"
        )
        assert framing(ours) == framing(references[name]), summary
    assert ours.requests == references["uvicorn"].requests, summary  # the paths too
    if ours.rejected is not None:
        assert ours.after_reject == 0 and ours.closed, summary
    elif not ours.closed:
        assert ours.requests[-1][1] == "/sentinel", summary  # nothing lost behind the case
