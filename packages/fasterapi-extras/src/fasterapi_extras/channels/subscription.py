"""Subscription: one subscriber's bounded queue of messages and its overflow policy.

A subscription never holds more than ``queue_size`` messages. When a message arrives and the
queue is full, the ``overflow`` policy decides:

- ``"drop_oldest"`` (default): the oldest queued message is discarded (``dropped`` counts them);
  the subscriber goes on with the most recent messages.
- ``"disconnect"``: the subscription is unsubscribed; its iteration yields the messages already
  queued, then raises :class:`~fasterapi_extras.channels.SlowSubscriberError`.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Literal

from fasterapi_extras.channels.errors import SlowSubscriberError
from fasterapi_extras.channels.message import Message

__all__ = ["OverflowPolicy", "Subscription"]

OverflowPolicy = Literal["drop_oldest", "disconnect"]
_POLICIES = ("drop_oldest", "disconnect")


class Subscription:
    """The messages of one or more channels, as an async iterator of
    :class:`~fasterapi_extras.channels.Message` (``async for message in subscription``).

    The iteration ends when the subscription's ``async with`` block exits or the
    :class:`~fasterapi_extras.channels.Channels` is closed; it raises
    :class:`~fasterapi_extras.channels.ChannelsUnavailableError` when the backend was lost for
    good, and :class:`~fasterapi_extras.channels.SlowSubscriberError` (policy ``"disconnect"``).
    """

    def __init__(
        self, channels: tuple[str, ...], queue_size: int, overflow: OverflowPolicy
    ) -> None:
        if not isinstance(queue_size, int) or queue_size < 1:
            raise ValueError(f"queue_size must be a positive int, got {queue_size!r}")
        if overflow not in _POLICIES:
            raise ValueError(f"overflow must be one of {_POLICIES}, got {overflow!r}")
        self.channels = channels
        self.queue_size = queue_size
        self.overflow: OverflowPolicy = overflow
        #: How many messages were discarded by the ``"drop_oldest"`` policy.
        self.dropped = 0
        self._queue: deque[Message] = deque()
        self._ready = asyncio.Event()
        self._ended = False
        self._error: BaseException | None = None

    @property
    def ended(self) -> bool:
        """True once no more messages will be queued (closed, failed or disconnected)."""
        return self._ended

    def push(self, message: Message) -> bool:
        """Queue ``message`` (called by the Channels); False when this subscription was just
        disconnected by its overflow policy and must be unsubscribed."""
        if self._ended:
            return True
        if len(self._queue) >= self.queue_size:
            if self.overflow == "disconnect":
                self.end(
                    SlowSubscriberError(
                        f"subscriber of {', '.join(self.channels)} fell {self.queue_size} "
                        "messages behind and was disconnected (overflow='disconnect')"
                    )
                )
                return False
            self._queue.popleft()
            self.dropped += 1
        self._queue.append(message)
        self._ready.set()
        return True

    def end(self, error: BaseException | None = None) -> None:
        """No more messages: the iteration ends after the queued ones (raising ``error`` if set)."""
        if not self._ended:
            self._ended = True
            self._error = error
            self._ready.set()

    async def get(self) -> Message:
        """The next message, waiting for one; ``StopAsyncIteration`` once the subscription ended."""
        while not self._queue:
            if self._ended:
                if self._error is not None:
                    raise self._error
                raise StopAsyncIteration
            self._ready.clear()
            await self._ready.wait()
        return self._queue.popleft()

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> Message:
        return await self.get()
