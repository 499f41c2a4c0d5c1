"""Message: what a subscriber receives; the wire encoding of published data (msgspec).

On the wire a payload is one tag byte then the data: ``s`` UTF-8 text, ``b`` raw bytes, ``j``
JSON (msgspec). A payload without a known tag (published to Redis by another program) is
delivered as ``bytes``, unchanged.
"""

from __future__ import annotations

from typing import Any

import msgspec

__all__ = ["Message", "decode_payload", "encode_payload"]

_TEXT, _BYTES, _JSON = b"s"[0], b"b"[0], b"j"[0]
_encode_json = msgspec.json.Encoder().encode
_decode_json = msgspec.json.Decoder().decode


class Message(msgspec.Struct, frozen=True):
    """One published message: its ``channel`` and its ``data`` (a ``str`` or ``bytes`` as
    published; any other value was sent as JSON and arrives decoded: dicts, lists, numbers...)."""

    channel: str
    data: Any


def encode_payload(data: object) -> bytes:
    """The wire form of ``data``; ``TypeError`` when it is neither text, bytes nor JSON-able."""
    if isinstance(data, str):
        return b"s" + data.encode("utf-8")
    if isinstance(data, (bytes, bytearray, memoryview)):
        return b"b" + bytes(data)
    try:
        return b"j" + _encode_json(data)
    except (TypeError, msgspec.EncodeError) as exc:
        raise TypeError(
            f"cannot publish a {type(data).__name__}: publish str, bytes or a JSON-able value"
        ) from exc


def decode_payload(channel: str, payload: bytes) -> Message:
    """The :class:`Message` for a payload received on ``channel``."""
    tag = payload[0] if payload else None
    if tag == _TEXT:
        try:
            return Message(channel, payload[1:].decode("utf-8"))
        except UnicodeDecodeError:
            pass
    elif tag == _BYTES:
        return Message(channel, payload[1:])
    elif tag == _JSON:
        try:
            return Message(channel, _decode_json(payload[1:]))
        except msgspec.DecodeError:
            pass
    return Message(channel, payload)
