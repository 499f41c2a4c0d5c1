"""Channels: publish/subscribe for an app, across its workers and hosts with Redis.

``Channels(url)`` picks the backend from the URL: ``memory://`` (one process) or ``redis://``,
``rediss://``, ``unix://`` (every process that uses the same Redis). Use it as an async context
manager (in a lifespan); ``publish`` sends, ``subscribe`` is an async context manager giving a
:class:`Subscription`. Each received message is decoded once and queued for every subscription
of its channel; a slow subscription never blocks the others (see ``Subscription`` for the
overflow policies). Closing the ``Channels`` ends every subscription's iteration.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from types import TracebackType
from typing import Any

from fasterapi_extras.channels.backend import ChannelsBackend
from fasterapi_extras.channels.errors import ChannelsError
from fasterapi_extras.channels.memory import MemoryBackend
from fasterapi_extras.channels.message import Message, decode_payload, encode_payload
from fasterapi_extras.channels.names import validate_channel_name
from fasterapi_extras.channels.redis_backend import RedisBackend
from fasterapi_extras.channels.subscription import OverflowPolicy, Subscription

__all__ = ["Channels"]

logger = logging.getLogger("fasterapi.channels")

_REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def backend_from_url(url: str, reconnect_timeout: float, history: int) -> ChannelsBackend:
    """The backend a URL names; ``ValueError`` for an unknown scheme."""
    if url == "memory://":
        return MemoryBackend(history=history)
    if url.startswith(_REDIS_SCHEMES):
        return RedisBackend(url, reconnect_timeout=reconnect_timeout, history=history)
    raise ValueError(f"unsupported channels URL {url!r}: use memory:// or redis://host:port/db")


class Channels:
    """Publish/subscribe hub: ``publish(channel, data)`` reaches every ``subscribe(channel)``.

    ``max_message_size`` bounds an encoded message (bytes; larger → ``ValueError`` before
    sending). ``queue_size`` and ``overflow`` are the defaults of each subscription's bounded
    queue. ``reconnect_timeout`` is how long a Redis subscriber connection is re-tried before
    the subscriptions end with :class:`ChannelsUnavailableError`. ``history`` keeps the last N
    messages of each channel (a Redis stream per channel) for :meth:`history`. ``backend``
    replaces the URL (and the options that configure the backend it names).
    """

    def __init__(
        self,
        url: str = "memory://",
        *,
        backend: ChannelsBackend | None = None,
        max_message_size: int = 1024 * 1024,
        queue_size: int = 256,
        overflow: OverflowPolicy = "drop_oldest",
        reconnect_timeout: float = 10.0,
        history: int = 0,
    ) -> None:
        Subscription((), queue_size, overflow)  # validates both now
        if max_message_size < 1:
            raise ValueError(f"max_message_size must be positive, got {max_message_size!r}")
        if not isinstance(history, int) or history < 0:
            raise ValueError(f"history must be an int >= 0, got {history!r}")
        self.url = url
        self.backend = (
            backend if backend is not None else backend_from_url(url, reconnect_timeout, history)
        )
        self.max_message_size = max_message_size
        self.queue_size = queue_size
        self.overflow: OverflowPolicy = overflow
        self._connected = False
        self._subscribers: dict[str, set[Subscription]] = {}
        self._backend_channels: set[str] = set()
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def connected(self) -> bool:
        """True between ``connect()`` and ``close()``."""
        return self._connected

    async def connect(self) -> None:
        """Connect the backend (``ChannelsUnavailableError`` when Redis does not answer)."""
        if self._connected:
            raise RuntimeError("Channels is already connected")
        self._lock = asyncio.Lock()  # bound to this connection's event loop
        await self.backend.connect(self._deliver, self._backend_failed)
        self._connected = True

    async def close(self) -> None:
        """End every subscription (their iteration stops) and close the backend."""
        if not self._connected:
            return
        self._connected = False
        for subscription in self._all_subscriptions():
            subscription.end()
        self._subscribers.clear()
        self._backend_channels.clear()
        for task in list(self._tasks):
            task.cancel()
        await self.backend.close()

    async def __aenter__(self) -> Channels:
        await self.connect()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    def encode(self, channel: str, data: object) -> bytes:
        """Check ``channel`` and ``data`` and return the payload ``publish`` would send."""
        validate_channel_name(channel)
        payload = encode_payload(data)
        if len(payload) > self.max_message_size:
            raise ValueError(
                f"message of {len(payload)} bytes for channel {channel!r} exceeds "
                f"max_message_size ({self.max_message_size} bytes)"
            )
        return payload

    async def publish(self, channel: str, data: object) -> None:
        """Send ``data`` (``str``, ``bytes`` or a JSON-able value) to the subscribers of
        ``channel`` on every process. ``ValueError`` for a bad name or an oversized message,
        ``ChannelsUnavailableError`` when the backend cannot take it."""
        payload = self.encode(channel, data)
        self._check_connected()
        await self.backend.publish(channel, payload)

    async def history(self, channel: str, limit: int = 100) -> list[Message]:
        """The last ``limit`` messages published to ``channel`` (oldest first), when the
        ``Channels`` keeps a ``history``; an empty list otherwise. To catch up without a gap,
        subscribe first, then read the history (a message may then appear in both)."""
        validate_channel_name(channel)
        self._check_connected()
        payloads = await self.backend.history(channel, limit)
        return [decode_payload(channel, payload) for payload in payloads]

    def subscribe(
        self,
        *channels: str,
        queue_size: int | None = None,
        overflow: OverflowPolicy | None = None,
    ) -> contextlib.AbstractAsyncContextManager[Subscription]:
        """Receive the messages of one or more ``channels`` published from now on:
        ``async with channels.subscribe("room:1", "room:2") as subscription: ...``.
        Names are checked here (``ValueError``); leaving the block unsubscribes."""
        if not channels:
            raise ValueError("subscribe() needs at least one channel name")
        names = tuple(dict.fromkeys(validate_channel_name(name) for name in channels))
        subscription = Subscription(
            names,
            self.queue_size if queue_size is None else queue_size,
            self.overflow if overflow is None else overflow,
        )
        return self._subscribed(subscription)

    @contextlib.asynccontextmanager
    async def _subscribed(self, subscription: Subscription) -> AsyncIterator[Subscription]:
        self._check_connected()
        for name in subscription.channels:
            self._subscribers.setdefault(name, set()).add(subscription)
        try:
            await self._sync_backend()
        except BaseException:
            await self._leave(subscription)
            raise
        try:
            yield subscription
        finally:
            await self._leave(subscription)

    # -- bookkeeping -------------------------------------------------------------------------

    def _check_connected(self) -> None:
        if not self._connected:
            raise RuntimeError(
                "Channels is not connected: use `async with channels:` (e.g. in the lifespan)"
            )

    def _all_subscriptions(self) -> set[Subscription]:
        return {s for subscriptions in self._subscribers.values() for s in subscriptions}

    def _remove(self, subscription: Subscription) -> None:
        for name in subscription.channels:
            subscribers = self._subscribers.get(name)
            if subscribers is not None:
                subscribers.discard(subscription)
                if not subscribers:
                    del self._subscribers[name]

    async def _leave(self, subscription: Subscription) -> None:
        self._remove(subscription)
        subscription.end()
        if self._connected:
            with contextlib.suppress(ChannelsError):
                await self._sync_backend()

    async def _sync_backend(self) -> None:
        """Make the backend's subscribed channels those that have subscribers."""
        async with self._lock:
            wanted = set(self._subscribers)
            gone = self._backend_channels - wanted
            if gone:
                self._backend_channels -= gone
                await self.backend.unsubscribe(gone)
            new = wanted - self._backend_channels
            if new:
                await self.backend.subscribe(new)
                self._backend_channels |= new

    def _deliver(self, channel: str, payload: bytes) -> None:
        subscribers = self._subscribers.get(channel)
        if not subscribers:
            return
        message = decode_payload(channel, payload)  # PERF: decoded once for all subscribers
        disconnected = [s for s in subscribers if not s.push(message)]
        if disconnected:
            for subscription in disconnected:
                self._remove(subscription)
            self._spawn(self._sync_quietly())

    async def _sync_quietly(self) -> None:
        try:
            await self._sync_backend()
        except ChannelsError as exc:
            logger.warning("channels: could not update the subscriptions: %s", exc)

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _backend_failed(self, error: BaseException) -> None:
        for subscription in self._all_subscriptions():
            subscription.end(error)
        self._subscribers.clear()
        self._backend_channels.clear()
