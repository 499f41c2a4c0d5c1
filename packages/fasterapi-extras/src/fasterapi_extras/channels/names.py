"""Channel name rules: what a channel may be called (checked before anything is sent)."""

from __future__ import annotations

import re

__all__ = ["MAX_CHANNEL_NAME_LENGTH", "validate_channel_name"]

MAX_CHANNEL_NAME_LENGTH = 256
_NAME = re.compile(r"[A-Za-z0-9_.:@/+=-]+")


def validate_channel_name(name: object) -> str:
    """Return ``name`` if it is a valid channel name, else raise ``ValueError``.

    A name is a ``str`` of 1 to 256 characters among ASCII letters, digits and ``_ . : @ / + = -``
    (``"room:1"``, ``"chat/lobby"``, ``"user@example.com"``). Spaces, control characters and the
    Redis pattern characters ``* ? [ ]`` are refused, so a name always means one channel.
    """
    if not isinstance(name, str):
        raise ValueError(f"a channel name must be a str, not {type(name).__name__}")
    if not 0 < len(name) <= MAX_CHANNEL_NAME_LENGTH:
        raise ValueError(
            f"a channel name has 1 to {MAX_CHANNEL_NAME_LENGTH} characters, got {len(name)}"
        )
    if _NAME.fullmatch(name) is None:
        raise ValueError(
            f"invalid channel name {name!r}: use ASCII letters, digits and _ . : @ / + = -"
        )
    return name
