"""Request methods llhttp does not know (``get``, ``FOO``): valid tokens that reach the app.

RFC 9110 §9.1 makes any token a method (case-sensitive); uvicorn with h11 and granian hand
``get`` or ``FOO`` to the application, whose router answers 405. llhttp parses only the
methods it lists and fails on any other. When it fails there, the request starts right after
the last request it completed from the same bytes (:func:`request_start` finds that offset by
replaying them on a scratch parser, only on this path), and is parsed again by a new parser
with ``GET`` in place of its method (:func:`restart`): the framing of a request body does not
depend on its method (RFC 9112 §6.3), and the scope keeps the real one.

:class:`MethodRecovery` keeps what that needs across reads: the bytes of a request still inside
its method token (llhttp accepts ``F`` or ``GE`` and fails on the next byte), and those of a
token the new parser must wait for. A request with such a method pipelined right behind one
whose head or body began in an earlier read is still refused (400): its start is not known.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

import httptools

__all__ = ["MethodRecovery", "new_parser", "request_start", "restart"]

_TOKEN = re.compile(rb"[\r\n]*([!#$%&'*+\-.^_`|~0-9A-Za-z]+)(?: |(\Z))")
"""Leading empty lines (llhttp skips them), the method token, then a space or the end."""


def new_parser(callbacks: Any) -> httptools.HttpRequestParser:
    """A request parser calling ``callbacks``, with the leniencies every parser here shares."""
    parser = httptools.HttpRequestParser(callbacks)
    with contextlib.suppress(AttributeError):  # httptools < 0.6.3 has no leniencies
        # answer the first request of a pipeline whose later bytes follow a close
        parser.set_dangerous_leniencies(lenient_data_after_close=True)
    return parser


class _Completions:
    """Scratch parser callbacks: count the requests completed."""

    def __init__(self) -> None:
        self.count = 0

    def on_message_complete(self) -> None:
        self.count += 1


def _completions(data: bytes) -> int:
    counter = _Completions()
    with contextlib.suppress(httptools.HttpParserError):
        new_parser(counter).feed_data(data)
    return counter.count


def request_start(data: bytes, completed: int) -> int:
    """Where in ``data`` (which starts between requests) the request after the first
    ``completed`` ones starts: the shortest prefix in which a parser completes them all.

    A galloping then binary search: about ``2 log2(offset)`` scratch parses of at most twice
    the offset, so a pipeline of such requests costs near-linear time, not quadratic.
    """
    if completed == 0:
        return 0
    low, high = 0, 64
    while high < len(data) and _completions(data[:high]) < completed:
        low, high = high, 2 * high
    high = min(high, len(data))
    while low + 1 < high:  # invariant: data[:low] completes fewer, data[:high] enough
        middle = (low + high) // 2
        if _completions(data[:middle]) >= completed:
            high = middle
        else:
            low = middle
    return high


def restart(data: bytes) -> tuple[bytes, str | None] | None:
    """How to parse again after llhttp failed on a method in ``data`` (which started between
    requests), after the requests it completed from it (a scratch parser counts them: it fails
    at the same byte).

    ``(bytes, method)``: a new parser parses ``bytes``, in which ``GET`` stands for the
    request's ``method``. ``(rest, None)``: ``data`` ends inside the method token: parse
    ``rest`` and the next bytes together. None: no method token and a space (a ``400``).
    """
    rest = data[request_start(data, _completions(data)) :]
    match = _TOKEN.match(rest)
    if match is None:
        return None
    if match.group(2) is not None:
        return rest, None
    return b"GET" + rest[match.end(1) :], match.group(1).decode("ascii")


class MethodRecovery:
    """One connection's state for methods llhttp does not know."""

    __slots__ = ("begun", "method", "restarted", "unfed")

    def __init__(self) -> None:
        self.begun = b""  # what the parser has of a request still inside its method token
        self.unfed = b""  # a method token not complete yet, for a new parser with what follows
        self.method: str | None = None  # the real method of the request being parsed again
        self.restarted = False  # a new parser starts on a request that began (its deadline runs)

    def keep(self, data: bytes, idle: bool) -> None:
        """The parser stopped inside a method token after ``data`` (``idle`` before it)."""
        self.begun = data[request_start(data, _completions(data)) :] if idle else self.begun + data

    def failed(self, data: bytes, idle: bool) -> bytes | None:
        """llhttp failed on a method in ``data``: the bytes a new parser must parse (``b""``:
        none until more come), or None for a 400 (no method token, or its start is unknown)."""
        start = data if idle else self.begun + data if self.begun else b""
        self.begun = b""
        again = restart(start) if start else None
        if again is None:
            return None
        data, self.method = again
        if self.method is None:
            self.unfed = data
            return b""
        return data

    def take(self, data: bytes) -> bytes:
        """``data`` after the unfinished method token kept for it."""
        data, self.unfed = self.unfed + data, b""
        return data
