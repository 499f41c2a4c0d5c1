"""The errors of channels: an unreachable backend and a subscriber dropped for being slow."""

from __future__ import annotations

from fasterapi_core.exceptions import FasterAPIError

__all__ = ["ChannelsError", "ChannelsUnavailableError", "SlowSubscriberError"]


class ChannelsError(FasterAPIError):
    """Base class of the errors raised by :class:`~fasterapi_extras.channels.Channels`."""


class ChannelsUnavailableError(ChannelsError):
    """The backend (Redis) cannot be reached: raised by ``publish``, by entering ``subscribe``,
    and by a subscription's iteration once reconnecting has failed for ``reconnect_timeout``."""


class SlowSubscriberError(ChannelsError):
    """A subscription with ``overflow="disconnect"`` fell ``queue_size`` messages behind: it was
    unsubscribed, and its iteration raises this after the messages already queued."""
