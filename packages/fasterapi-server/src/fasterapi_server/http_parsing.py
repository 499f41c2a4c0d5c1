"""The request head and body as httptools reports them: the parser's callbacks of an HTTP/1.1
connection (:class:`~fasterapi_server.http_protocol.HttpProtocol`), which check the head's
limits, build the scope and the request cycle, and start the application."""

from __future__ import annotations

import asyncio
from collections import deque
from typing import TYPE_CHECKING, Any

from ._request_head import VALID_HOSTS, Reject, check_field, http_scope, wants_websocket
from ._types import Scope
from ._unknown_methods import MethodRecovery
from .config import Config
from .http_cycle import HttpCycle
from .state import ServerState

__all__ = ["HttpParsing"]


class HttpParsing:
    """httptools' callbacks (``on_message_begin`` ... ``on_message_complete``) of a connection:
    the state they read and write is the connection's (see ``HttpProtocol.__init__``)."""

    state: ServerState
    config: Config
    parser: Any
    server: tuple[str, int] | None
    client: tuple[str, int] | None
    deadline: float
    closing: bool
    active: HttpCycle | None
    parsing: HttpCycle | None
    unstarted: HttpCycle | None
    pipeline: deque[HttpCycle]
    url: bytes
    headers: list[tuple[bytes, bytes]]
    hosts: int
    head_size: int
    head_trickle: int
    in_head: bool
    expect_continue: bool
    upgrade_scope: Scope | None
    idle: bool
    methods: MethodRecovery
    transport: asyncio.Transport

    if TYPE_CHECKING:  # HttpProtocol's

        def pause_reading(self) -> None: ...

        def _run(self, cycle: HttpCycle) -> None: ...

    def on_message_begin(self) -> None:
        """httptools: a request starts (its head deadline is armed)."""
        self.url = b""
        self.headers = []
        self.hosts = 0
        self.head_size = 0
        self.in_head = True
        self.expect_continue = False
        self.idle = False
        if self.methods.restarted:
            self.methods.restarted = False
        elif self.active is None:
            self.deadline = self.state.clock + self.config.timeout_request_head

    def on_url(self, url: bytes) -> None:
        """httptools: a piece of the request target."""
        self.url += url
        self.head_size += len(url)
        if self.head_size > self.config.max_head_size:
            raise Reject(431, "Request header fields too large")

    def on_header(self, name: bytes, value: bytes) -> None:
        """httptools: one header field (counted against the head limits), or a trailer field.

        The value loses its trailing whitespace: RFC 9110 §5.5 excludes it from the field value
        (llhttp drops only the leading whitespace), as h11 and uvicorn ≥ 0.55 do. Trailer fields
        (after a chunked body; llhttp reports them here too) count against ``max_head_size``
        with the head, and are dropped: RFC 9110 §6.5.1 forbids merging them into the header
        section, which the server has checked (one Host) and the application may have read.
        """
        self.head_size += len(name) + len(value) + 4
        if self.head_size > self.config.max_head_size:
            raise Reject(431, "Request header fields too large")
        if not self.in_head:
            return  # a trailer field of a chunked body: never merged into the header section
        value = value.rstrip(b" \t")
        name = name.lower()
        if name == b"host":
            self.hosts += 1
            if value not in VALID_HOSTS:
                check_field(name, value)
        elif name == b"expect" and value.lower() == b"100-continue":
            self.expect_continue = True
        elif name == b"transfer-encoding":
            check_field(name, value)
        headers = self.headers
        headers.append((name, value))
        if len(headers) > self.config.max_headers:
            raise Reject(431, "Too many request header fields")

    def on_headers_complete(self) -> None:
        """httptools: the head is complete: build the scope and the request cycle."""
        self.in_head = False
        self.head_trickle = 0
        if self.closing:
            return
        parser = self.parser
        method, self.methods.method = self.methods.method, None
        scope = http_scope(
            self.state, parser, method, self.url, self.headers, self.hosts, self.server, self.client
        )
        keep_alive = parser.should_keep_alive() and not self.state.shutting_down
        if parser.should_upgrade():
            if self.active is None and self.config.ws and wants_websocket(self.headers):
                if self.state.shutting_down:  # during IDLE_GRACE: no new WebSocket
                    raise Reject(503, "Server shutting down")
                self.upgrade_scope = scope
                return
            keep_alive = False  # another protocol (h2c, CONNECT): answer over HTTP, then close
        # self is always the HttpProtocol this class is a base of
        cycle = HttpCycle(self, scope, keep_alive, self.expect_continue)  # type: ignore[arg-type]
        self.parsing = cycle
        if self.active is None:
            self.active = cycle
            self.unstarted = cycle
            self.deadline = 0.0
        else:
            self.pipeline.append(cycle)
            self.pause_reading()

    def on_body(self, body: bytes) -> None:
        """httptools: a piece of the request body."""
        cycle = self.parsing
        if cycle is not None and not cycle.complete:
            cycle.feed(body)

    def on_message_complete(self) -> None:
        """httptools: the request is complete: start the application if not yet."""
        self.in_head = self.idle = True
        cycle = self.parsing
        if cycle is None:
            return
        self.parsing = None
        if not cycle.complete:
            cycle.body_done()
        if cycle is self.unstarted:
            self.unstarted = None
            self._run(cycle)
