"""Channels: publish/subscribe that reaches subscribers on every worker and host.

``Channels("redis://127.0.0.1:6379/0")`` (or ``"memory://"`` for one process); ``async with
channels:`` connects; ``await channels.publish("room:1", data)``; ``async with
channels.subscribe("room:1") as subscription: async for message in subscription: ...``.
Redis needs ``fasterapi-extras[redis]``.
"""

from fasterapi_extras.channels.backend import ChannelsBackend
from fasterapi_extras.channels.errors import (
    ChannelsError,
    ChannelsUnavailableError,
    SlowSubscriberError,
)
from fasterapi_extras.channels.facade import Channels
from fasterapi_extras.channels.memory import MemoryBackend
from fasterapi_extras.channels.message import Message
from fasterapi_extras.channels.names import MAX_CHANNEL_NAME_LENGTH, validate_channel_name
from fasterapi_extras.channels.redis_backend import RedisBackend
from fasterapi_extras.channels.subscription import OverflowPolicy, Subscription

__all__ = [
    "MAX_CHANNEL_NAME_LENGTH",
    "Channels",
    "ChannelsBackend",
    "ChannelsError",
    "ChannelsUnavailableError",
    "MemoryBackend",
    "Message",
    "OverflowPolicy",
    "RedisBackend",
    "SlowSubscriberError",
    "Subscription",
    "validate_channel_name",
]
