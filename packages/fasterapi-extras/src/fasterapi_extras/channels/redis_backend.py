"""RedisBackend: publish/subscribe through Redis, reaching every worker and host that uses the
same Redis server (requires ``fasterapi-extras[redis]``).

Outages. ``publish`` raises :class:`ChannelsUnavailableError` at once (bounded by
``publish_timeout``). The subscriber connection, once lost, is re-established with backoff
(0.05 s doubling to 1 s) for up to ``reconnect_timeout`` seconds; the subscriptions carry on
and only the messages published while Redis was away are lost (pub/sub keeps no history). When
reconnecting fails for that long, every subscription's iteration raises
:class:`ChannelsUnavailableError`; a later ``subscribe`` tries to connect again.

History. With ``history=N`` each message is also appended to a Redis stream (key
``history_prefix + channel``, capped at N entries) in the same transaction as the PUBLISH;
``history()`` reads the last entries back, so a client joining late can catch up.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Iterable
from typing import Any

from fasterapi_extras._optional import require
from fasterapi_extras.channels.backend import Deliver, Fail
from fasterapi_extras.channels.errors import ChannelsUnavailableError

__all__ = ["RedisBackend"]

_MAX_BACKOFF = 1.0


class RedisBackend:
    """Redis pub/sub transport: one connection publishes, one dedicated connection subscribes
    (see the module docstring for what happens when Redis goes away)."""

    def __init__(
        self,
        url: str = "redis://localhost:6379/0",
        *,
        reconnect_timeout: float = 10.0,
        connect_timeout: float = 2.0,
        publish_timeout: float = 2.0,
        history: int = 0,
        history_prefix: str = "fasterapi:channels:history:",
    ) -> None:
        require("redis.asyncio", "redis")  # a missing extra fails here, when the app is built
        self.url = url
        self.reconnect_timeout = reconnect_timeout
        self.connect_timeout = connect_timeout
        self.publish_timeout = publish_timeout
        self.history_size = history
        self.history_prefix = history_prefix
        # Any: the redis stubs lag behind redis-py (``aclose``), which is imported lazily
        self._client: Any = None
        self._pubsub: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._deliver: Deliver | None = None
        self._fail: Fail | None = None
        self._wanted: set[str] = set()
        self._confirmed: set[str] = set()
        self._progress = asyncio.Event()
        self._failure: ChannelsUnavailableError | None = None
        # a private channel keeps the subscriber connection subscribed (and open) at all times
        self._control = f"fasterapi-channels:{uuid.uuid4().hex}"

    async def connect(self, deliver: Deliver, fail: Fail) -> None:
        """Connect to Redis (``ChannelsUnavailableError`` when it does not answer)."""
        redis_asyncio: Any = require("redis.asyncio", "redis")
        retry: Any = require("redis.asyncio.retry", "redis")
        backoff: Any = require("redis.backoff", "redis")
        self._deliver, self._fail = deliver, fail
        self._progress = asyncio.Event()  # bound to this connection's event loop
        self._client = redis_asyncio.Redis.from_url(
            self.url,
            socket_connect_timeout=self.connect_timeout,
            socket_timeout=self.publish_timeout,
            retry=retry.Retry(backoff.NoBackoff(), 1),
        )
        try:
            await self._start_reader()
        except ChannelsUnavailableError:
            await self.close()
            raise

    async def close(self) -> None:
        """Stop the subscriber and close both connections."""
        reader, self._reader = self._reader, None
        if reader is not None:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader
        await self._discard(self._pubsub)
        self._pubsub = None
        client, self._client = self._client, None
        if client is not None:
            with contextlib.suppress(Exception):
                await client.aclose()
        self._wanted.clear()
        self._confirmed.clear()

    async def publish(self, channel: str, payload: bytes) -> None:
        """PUBLISH ``payload``; ``ChannelsUnavailableError`` when Redis cannot take it."""
        if self._client is None:
            raise RuntimeError("the Redis channels backend is not connected")
        try:
            async with asyncio.timeout(2 * (self.publish_timeout + self.connect_timeout)):
                if self.history_size:
                    async with self._client.pipeline(transaction=True) as pipe:
                        key = self.history_prefix + channel
                        pipe.xadd(key, {"d": payload}, maxlen=self.history_size, approximate=False)
                        pipe.publish(channel, payload)
                        await pipe.execute()
                else:
                    await self._client.publish(channel, payload)
        except (OSError, TimeoutError, self._redis_error()) as exc:
            raise ChannelsUnavailableError(
                f"cannot publish to channel {channel!r}: Redis at {self.url} is unavailable "
                f"({type(exc).__name__}: {exc})"
            ) from exc

    async def history(self, channel: str, limit: int) -> list[bytes]:
        """The last ``limit`` payloads of the channel's stream, oldest first."""
        if self._client is None:
            raise RuntimeError("the Redis channels backend is not connected")
        if limit <= 0 or not self.history_size:
            return []
        try:
            async with asyncio.timeout(2 * (self.publish_timeout + self.connect_timeout)):
                entries = await self._client.xrevrange(self.history_prefix + channel, count=limit)
        except (OSError, TimeoutError, self._redis_error()) as exc:
            raise ChannelsUnavailableError(
                f"cannot read the history of channel {channel!r}: Redis at {self.url} is "
                f"unavailable ({type(exc).__name__}: {exc})"
            ) from exc
        return [fields[b"d"] for _, fields in reversed(entries)]

    async def subscribe(self, channels: Iterable[str]) -> None:
        """SUBSCRIBE and wait for Redis to confirm (bounded by the reconnect timeout)."""
        new = [channel for channel in channels if channel not in self._wanted]
        if not new:
            return
        if self._reader is None or self._reader.done():
            await self._start_reader()
        self._wanted.update(new)
        if self._pubsub is not None:
            with contextlib.suppress(OSError, self._redis_error()):
                await self._pubsub.subscribe(*new)  # on failure the reader reconnects
        try:
            await self._confirmation(new)
        except ChannelsUnavailableError:
            self._wanted.difference_update(new)
            raise

    async def unsubscribe(self, channels: Iterable[str]) -> None:
        """UNSUBSCRIBE (errors are ignored: a lost connection has no subscriptions anyway)."""
        gone = [channel for channel in channels if channel in self._wanted]
        self._wanted.difference_update(gone)
        self._confirmed.difference_update(gone)
        if gone and self._pubsub is not None:
            with contextlib.suppress(OSError, self._redis_error()):
                await self._pubsub.unsubscribe(*gone)

    # -- the subscriber connection ---------------------------------------------------------------

    @staticmethod
    def _redis_error() -> type[Exception]:
        exceptions: Any = require("redis.exceptions", "redis")
        error: type[Exception] = exceptions.RedisError
        return error

    async def _start_reader(self) -> None:
        assert self._client is not None
        self._failure = None
        pubsub = self._client.pubsub()
        try:
            async with asyncio.timeout(self.connect_timeout + self.publish_timeout):
                await pubsub.subscribe(self._control, *self._wanted)
        except (OSError, TimeoutError, self._redis_error()) as exc:
            await self._discard(pubsub)
            raise ChannelsUnavailableError(
                f"Redis at {self.url} is unavailable ({type(exc).__name__}: {exc})"
            ) from exc
        self._pubsub = pubsub
        self._reader = asyncio.get_running_loop().create_task(self._read())

    async def _confirmation(self, channels: list[str]) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.reconnect_timeout + self.connect_timeout
        while not self._confirmed.issuperset(channels):
            if self._failure is not None:
                raise self._failure
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise ChannelsUnavailableError(
                    f"Redis at {self.url} did not confirm the subscription to "
                    f"{', '.join(channels)} in time"
                )
            progress = self._progress
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(remaining):
                    await progress.wait()

    def _wake(self) -> None:
        self._progress.set()
        self._progress = asyncio.Event()

    async def _read(self) -> None:
        redis_error = self._redis_error()
        while True:
            pubsub = self._pubsub
            assert pubsub is not None
            try:
                message = await pubsub.get_message(timeout=1.0)
            except (OSError, TimeoutError, redis_error) as exc:
                if not await self._reconnect(exc):
                    return
                continue
            if message is not None:
                self._handle(message)

    def _handle(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        channel = message["channel"]
        if isinstance(channel, bytes):
            channel = channel.decode("utf-8", "replace")
        if kind == "message":
            if channel in self._wanted and self._deliver is not None:
                self._deliver(channel, message["data"])
        elif kind == "subscribe":
            if channel in self._wanted:
                self._confirmed.add(channel)
            self._wake()
        elif kind == "unsubscribe":
            self._confirmed.discard(channel)

    async def _reconnect(self, error: BaseException) -> bool:
        """Re-open the subscriber connection with backoff; False when it failed for good."""
        assert self._client is not None
        self._confirmed.clear()
        await self._discard(self._pubsub)
        self._pubsub = None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.reconnect_timeout
        delay = 0.05
        while (remaining := deadline - loop.time()) > 0:
            await asyncio.sleep(min(delay, remaining))
            delay = min(delay * 2, _MAX_BACKOFF)
            pubsub = self._client.pubsub()
            try:
                async with asyncio.timeout(self.connect_timeout + self.publish_timeout):
                    await pubsub.subscribe(self._control, *self._wanted)
            except (OSError, TimeoutError, self._redis_error()) as exc:
                error = exc
                await self._discard(pubsub)
                continue
            self._pubsub = pubsub
            return True
        self._failure = ChannelsUnavailableError(
            f"lost the connection to Redis at {self.url} and could not reconnect within "
            f"{self.reconnect_timeout:g} s ({type(error).__name__}: {error})"
        )
        self._wanted.clear()
        self._wake()
        if self._fail is not None:
            self._fail(self._failure)
        return False

    @staticmethod
    async def _discard(pubsub: Any) -> None:
        if pubsub is not None:
            with contextlib.suppress(Exception):
                await pubsub.aclose()
