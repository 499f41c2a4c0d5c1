"""MemoryBackend: publish/subscribe inside one process (``Channels("memory://")``)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from fasterapi_extras.channels.backend import Deliver, Fail

__all__ = ["MemoryBackend"]


class MemoryBackend:
    """Delivers published messages to the subscribers of the same ``Channels`` object: for tests
    and single-process apps (it does not reach other workers; use Redis for that). With
    ``history=N`` the last N messages of each channel are kept for ``history()``."""

    def __init__(self, history: int = 0) -> None:
        self.history_size = history
        self._deliver: Deliver | None = None
        self._channels: set[str] = set()
        self._history: dict[str, deque[bytes]] = {}

    async def connect(self, deliver: Deliver, fail: Fail) -> None:
        """Start delivering to ``deliver`` (``fail`` is never called: memory cannot go away)."""
        self._deliver = deliver

    async def close(self) -> None:
        """Stop delivering."""
        self._deliver = None
        self._channels.clear()

    async def publish(self, channel: str, payload: bytes) -> None:
        """Deliver ``payload`` at once when ``channel`` has subscribers."""
        if self.history_size:
            kept = self._history.setdefault(channel, deque(maxlen=self.history_size))
            kept.append(payload)
        if self._deliver is not None and channel in self._channels:
            self._deliver(channel, payload)

    async def history(self, channel: str, limit: int) -> list[bytes]:
        """The last ``limit`` payloads of ``channel``, oldest first."""
        kept = self._history.get(channel, ())
        return list(kept)[-limit:] if limit > 0 else []

    async def subscribe(self, channels: Iterable[str]) -> None:
        """Start delivering ``channels``."""
        self._channels.update(channels)

    async def unsubscribe(self, channels: Iterable[str]) -> None:
        """Stop delivering ``channels``."""
        self._channels.difference_update(channels)
