"""Incoming WebSocket frames: fed to ``websockets`` one at a time, made into ASGI messages.

:class:`FrameFeeder` hands the parser one frame at a time (the frame headers of RFC 6455 §5.2
tell where each ends) and holds the frames after a complete message until the application has
taken it: the echo of a message then goes out before the close for a protocol error in the
frames after it, whatever TCP segments they shared (Autobahn's strict order, cases 3.*, 4.*,
5.15), and a flood of tiny frames is parsed one frame at a time, not a read's worth at once.

:class:`MessageAssembler`: a message in one frame (nearly all) is handed on as it is. A
fragmented one is gathered into
one ``bytearray``, so that its memory is its size, however many fragments it came in (a list
of pieces took a worker from 32 to 315 MiB for 4 MiB sent as 2 million 2-byte fragments);
its fragments are counted against ``ws_max_fragments`` (1009 past it); and a text message's
UTF-8 is checked fragment by fragment, so that invalid text fails the connection (1007) when
its fragment arrives (Autobahn 6.4.1, 6.4.2), not once the message is complete.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable

from websockets.frames import Frame, Opcode

from ._types import Message

__all__ = ["FrameFeeder", "MessageAssembler", "MessageError", "frame_size"]

_UTF8 = codecs.getincrementaldecoder("utf-8")


class MessageError(Exception):
    """A message the connection must be failed for, with the close code and reason."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def _message(text: bool, data: bytes | bytearray) -> Message:
    if text:
        try:
            return {"type": "websocket.receive", "text": data.decode("utf-8")}
        except UnicodeDecodeError:
            raise MessageError(1007, "invalid UTF-8 in a text message") from None
    return {"type": "websocket.receive", "bytes": bytes(data)}


class MessageAssembler:
    """The data frames of one connection, in order; :meth:`add` returns each whole message."""

    __slots__ = ("buffer", "decoder", "fragments", "max_fragments", "text")

    def __init__(self, max_fragments: int) -> None:
        self.max_fragments = max_fragments
        self.buffer = bytearray()
        self.fragments = 0
        self.text = False
        self.decoder: codecs.IncrementalDecoder | None = None

    def add(self, frame: Frame) -> Message | None:
        """The message ``frame`` (text, binary or continuation) completes, else None.

        :class:`MessageError` when the message must fail the connection.
        """
        data = frame.data
        if frame.opcode is not Opcode.CONT:
            self.text = frame.opcode is Opcode.TEXT
            if frame.fin:
                return _message(self.text, bytes(data))
            self.fragments = 0
            self.decoder = _UTF8() if self.text else None
        self.fragments += 1
        if self.fragments > self.max_fragments:
            self.buffer = bytearray()
            raise MessageError(1009, f"message in more than {self.max_fragments} fragments")
        decoder = self.decoder
        if decoder is not None:
            try:
                decoder.decode(data, frame.fin)  # validation only: the text is decoded once whole
            except UnicodeDecodeError:
                self.buffer = bytearray()
                raise MessageError(1007, "invalid UTF-8 in a text message") from None
        self.buffer += data
        if not frame.fin:
            return None
        buffer, self.buffer = self.buffer, bytearray()
        self.decoder = None
        return _message(self.text, buffer)


def frame_size(data: bytes, start: int) -> int | None:
    """The size (header, mask key, payload) of the frame starting at ``data[start]``; None
    while its header is not all there."""
    available = len(data) - start
    if available < 2:
        return None
    second = data[start + 1]
    length = second & 0x7F
    head = 6 if second & 0x80 else 2
    if length == 126:
        if available < 4:
            return None
        length = int.from_bytes(data[start + 2 : start + 4], "big")
        head += 2
    elif length == 127:
        if available < 10:
            return None
        length = int.from_bytes(data[start + 2 : start + 10], "big")
        head += 8
    return head + length


class FrameFeeder:
    """The bytes received, cut at frame ends and fed on while the connection does not hold."""

    __slots__ = ("held", "left")

    def __init__(self) -> None:
        self.held = b""  # bytes not fed yet: a partial header, or frames held
        self.left = 0  # bytes of the frame being fed still to come (0: at a frame header)

    def feed(self, data: bytes, receive: Callable[[bytes], None], hold: Callable[[], bool]) -> None:
        """Pass ``data`` (after what was held) to ``receive``, frame by frame, until ``hold()``."""
        if self.held:
            data = self.held + data
            self.held = b""
        position, end = 0, len(data)  # a 16 MiB frame comes as 64 reads of 256 KiB
        while position < end and not hold():
            if self.left == 0:
                size = frame_size(data, position)
                if size is None:
                    break
                self.left = size
            stop = min(end, position + self.left)
            self.left -= stop - position
            receive(data[position:stop])  # PERF: a whole read (one frame) is not copied
            position = stop
        if position < end:
            self.held = data[position:]

    def release(self) -> bytes:
        """Everything held (the connection ends: no frame is held back any more)."""
        held, self.held = self.held, b""
        return held
