"""MemoryBackend: publish/subscribe inside one process (``Channels("memory://")``)."""

from __future__ import annotations

from collections.abc import Iterable

from fasterapi_extras.channels.backend import Deliver, Fail

__all__ = ["MemoryBackend"]


class MemoryBackend:
    """Delivers published messages to the subscribers of the same ``Channels`` object: for tests
    and single-process apps (it does not reach other workers; use Redis for that)."""

    def __init__(self) -> None:
        self._deliver: Deliver | None = None
        self._channels: set[str] = set()

    async def connect(self, deliver: Deliver, fail: Fail) -> None:
        """Start delivering to ``deliver`` (``fail`` is never called: memory cannot go away)."""
        self._deliver = deliver

    async def close(self) -> None:
        """Stop delivering."""
        self._deliver = None
        self._channels.clear()

    async def publish(self, channel: str, payload: bytes) -> None:
        """Deliver ``payload`` at once when ``channel`` has subscribers."""
        if self._deliver is not None and channel in self._channels:
            self._deliver(channel, payload)

    async def subscribe(self, channels: Iterable[str]) -> None:
        """Start delivering ``channels``."""
        self._channels.update(channels)

    async def unsubscribe(self, channels: Iterable[str]) -> None:
        """Stop delivering ``channels``."""
        self._channels.difference_update(channels)
