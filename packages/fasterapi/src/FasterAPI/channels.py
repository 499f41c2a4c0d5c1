"""``FasterAPI.channels``: re-exports of ``fasterapi_extras.channels`` (publish/subscribe across
workers and hosts; Redis needs ``fasterapi-extras[redis]``)."""

from fasterapi_extras.channels import (
    MAX_CHANNEL_NAME_LENGTH,
    Channels,
    ChannelsBackend,
    ChannelsError,
    ChannelsUnavailableError,
    MemoryBackend,
    Message,
    OverflowPolicy,
    RedisBackend,
    SlowSubscriberError,
    Subscription,
    validate_channel_name,
)

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
