"""Bytes read from a request, written in JSON responses as FastAPI writes bytes.

FastAPI writes ``bytes`` in a response as their UTF-8 text (``jsonable_encoder`` decodes them;
pydantic's ``ser_json_bytes`` is ``"utf8"``); msgspec, which encodes FasterAPI's responses,
writes them in base64 and has no option to do otherwise. Finding bytes in every response
would cost a walk of the data, so FasterAPI marks the bytes it hands to the application
instead: an uploaded file's content (``UploadFile.read()``, a ``bytes`` ``File()``), a ``bytes``
body, form, query or header parameter (its default too, when the request has none) are
:class:`ReceivedBytes`, a ``bytes`` subclass msgspec does not encode itself, so that it asks
:func:`~fasterapi_core.encoding.enc_hook`, which writes their text. Responses without them
are encoded exactly as before, at no cost.

- Valid UTF-8 (what FastAPI can answer): written as the text, as FastAPI writes it.
- Not valid UTF-8 (FastAPI answers 500, its ``UnicodeDecodeError``): written in base64, as
  msgspec and pydantic's ``ser_json_bytes="base64"`` write bytes, rather than failing.
- Bytes the application makes itself (``b"..."``, a database blob) are plain ``bytes``: base64,
  a documented difference (typed responses, ``response_model`` or a return annotation
  declaring ``bytes``, are written as FastAPI writes them in every case).
"""

from __future__ import annotations

import binascii

__all__ = ["ReceivedBytes", "received_bytes_text"]


class ReceivedBytes(bytes):
    """``bytes`` read from the request (see the module docstring); equal to, and usable as,
    the same plain ``bytes``."""

    __slots__ = ()


def received_bytes_text(value: bytes) -> str:
    """The JSON text of ``value``: its UTF-8 text as FastAPI writes it, or its base64 when it
    is not valid UTF-8 (FastAPI answers 500 there)."""
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return binascii.b2a_base64(value, newline=False).decode("ascii")
