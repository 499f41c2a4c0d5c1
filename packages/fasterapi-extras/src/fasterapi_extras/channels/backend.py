"""ChannelsBackend: what a transport (memory, Redis) provides to the Channels facade."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

__all__ = ["ChannelsBackend", "Deliver", "Fail"]

#: Called by a backend for each payload received on a subscribed channel.
Deliver = Callable[[str, bytes], None]
#: Called by a backend when it lost its server for good (subscriptions end with the error).
Fail = Callable[[BaseException], None]


class ChannelsBackend(Protocol):
    """A publish/subscribe transport. ``deliver`` must not block; ``subscribe`` returns once a
    message published afterwards is guaranteed to be delivered."""

    async def connect(self, deliver: Deliver, fail: Fail) -> None:
        """Open the connection; messages of subscribed channels go to ``deliver``."""
        ...

    async def close(self) -> None:
        """Close the connection; nothing is delivered afterwards."""
        ...

    async def publish(self, channel: str, payload: bytes) -> None:
        """Send ``payload`` to every subscriber of ``channel`` (on any process or host), and
        keep it in the channel's history when the backend keeps one."""
        ...

    async def history(self, channel: str, limit: int) -> list[bytes]:
        """The last ``limit`` payloads kept for ``channel``, oldest first."""
        ...

    async def subscribe(self, channels: Iterable[str]) -> None:
        """Start receiving ``channels``."""
        ...

    async def unsubscribe(self, channels: Iterable[str]) -> None:
        """Stop receiving ``channels``."""
        ...
