"""Channels through the public API on both backends (memory, a real redis-server): round trips,
several channels per subscription, fan-out, name rules, message size, overflow policies."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
import redis

from FasterAPI.channels import (
    Channels,
    ChannelsError,
    Message,
    SlowSubscriberError,
    Subscription,
)

pytestmark = pytest.mark.anyio

TIMEOUT = 5.0


@pytest.fixture(params=["memory", "redis"])
def url(request: pytest.FixtureRequest) -> str:
    if request.param == "memory":
        return "memory://"
    redis_url: str = request.getfixturevalue("redis_url")
    return redis_url


@pytest.fixture
async def channels(url: str) -> AsyncIterator[Channels]:
    async with Channels(url) as connected:
        yield connected


async def receive(subscription: Subscription, count: int) -> list[Message]:
    async with asyncio.timeout(TIMEOUT):
        return [await subscription.get() for _ in range(count)]


async def wait_until(condition: Any) -> None:
    async with asyncio.timeout(TIMEOUT):
        while not condition():  # noqa: ASYNC110 (polls a plain attribute)
            await asyncio.sleep(0.01)


async def test_str_bytes_and_json_values_round_trip(channels: Channels) -> None:
    values: list[Any] = [
        "text é ✓",
        "",
        b"\x00\xffraw",
        b"",
        {"user": "alice", "n": [1, 2.5, None, True]},
        [1, "two"],
        42,
        None,
    ]
    async with channels.subscribe("room:1") as subscription:
        for value in values:
            await channels.publish("room:1", value)
        received = await receive(subscription, len(values))
    assert received == [Message("room:1", value) for value in values]
    assert [type(m.data) for m in received[:4]] == [str, str, bytes, bytes]


async def test_one_subscription_to_several_channels(channels: Channels) -> None:
    async with channels.subscribe("room:1", "room:2", "news") as subscription:
        assert subscription.channels == ("room:1", "room:2", "news")
        await channels.publish("room:2", "a")
        await channels.publish("elsewhere", "not subscribed")
        await channels.publish("news", "b")
        await channels.publish("room:1", "c")
        received = await receive(subscription, 3)
    assert [(m.channel, m.data) for m in received] == [
        ("room:2", "a"),
        ("news", "b"),
        ("room:1", "c"),
    ]


async def test_every_subscriber_gets_each_message_and_leaving_stops_only_one(
    channels: Channels,
) -> None:
    async with channels.subscribe("room:1") as first:
        async with channels.subscribe("room:1") as second:
            await channels.publish("room:1", "both")
            assert [m.data for m in await receive(first, 1)] == ["both"]
            assert [m.data for m in await receive(second, 1)] == ["both"]
        assert second.ended
        await channels.publish("room:1", "first only")
        assert [m.data for m in await receive(first, 1)] == ["first only"]
        with pytest.raises(StopAsyncIteration):
            await second.get()


async def test_resubscribing_after_everyone_left_works(channels: Channels) -> None:
    for round_number in range(3):
        async with channels.subscribe("room:1") as subscription:
            await channels.publish("room:1", round_number)
            assert [m.data for m in await receive(subscription, 1)] == [round_number]


async def test_closing_channels_ends_the_iteration(url: str) -> None:
    channels = Channels(url)
    await channels.connect()
    received: list[object] = []
    async with channels.subscribe("room:1") as subscription:

        async def consume() -> None:
            async for message in subscription:
                received.append(message.data)

        consumer = asyncio.create_task(consume())
        await channels.publish("room:1", "before close")
        await wait_until(lambda: received)
        await channels.close()
        async with asyncio.timeout(TIMEOUT):
            await consumer  # the async for ended by itself
    assert received == ["before close"]
    assert not channels.connected


@pytest.mark.parametrize(
    "name",
    ["", "room 1", "room*", "room?", "r[1]", "tab\tname", "é", "x" * 257, "new\nline"],
)
async def test_invalid_channel_names_are_refused(channels: Channels, name: str) -> None:
    with pytest.raises(ValueError, match="channel name"):
        await channels.publish(name, "x")
    with pytest.raises(ValueError, match="channel name"):
        channels.subscribe("ok", name)


async def test_a_channel_name_must_be_a_str(channels: Channels) -> None:
    with pytest.raises(ValueError, match="must be a str, not int"):
        await channels.publish(1, "x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least one channel"):
        channels.subscribe()


async def test_longest_valid_name_and_all_allowed_characters(channels: Channels) -> None:
    names = ["x" * 256, "aZ0_.:@/+=-"]
    async with channels.subscribe(*names) as subscription:
        for name in names:
            await channels.publish(name, name)
        assert [m.data for m in await receive(subscription, 2)] == names


async def test_oversized_message_is_refused_before_sending(url: str) -> None:
    async with (
        Channels(url, max_message_size=100) as channels,
        channels.subscribe("room:1") as subscription,
    ):
        await channels.publish("room:1", b"x" * 99)  # tag byte + 99 = 100: fits
        with pytest.raises(ValueError, match=r"101 bytes .* exceeds max_message_size \(100"):
            await channels.publish("room:1", b"x" * 100)
        with pytest.raises(ValueError, match="exceeds max_message_size"):
            await channels.publish("room:1", {"text": "y" * 200})
        await channels.publish("room:1", "end")
        assert [m.data for m in await receive(subscription, 2)] == [b"x" * 99, "end"]


async def test_a_value_that_is_not_json_able_is_a_type_error(channels: Channels) -> None:
    with pytest.raises(TypeError, match="cannot publish a object: publish str, bytes or a JSON"):
        await channels.publish("room:1", object())


async def test_drop_oldest_keeps_the_newest_messages(channels: Channels) -> None:
    async with channels.subscribe("room:1", queue_size=3) as subscription:
        for number in range(10):
            await channels.publish("room:1", number)
        await wait_until(lambda: subscription.dropped == 7)
        assert [m.data for m in await receive(subscription, 3)] == [7, 8, 9]
        await channels.publish("room:1", "more")
        assert [m.data for m in await receive(subscription, 1)] == ["more"]


async def test_disconnect_policy_ends_only_the_slow_subscriber(channels: Channels) -> None:
    async with (
        channels.subscribe("room:1", queue_size=2, overflow="disconnect") as slow,
        channels.subscribe("room:1", queue_size=100) as fast,
    ):
        for number in range(3):
            await channels.publish("room:1", number)
        assert [m.data for m in await receive(fast, 3)] == [0, 1, 2]
        assert slow.ended
        assert [m.data for m in await receive(slow, 2)] == [0, 1]  # what was queued
        with pytest.raises(SlowSubscriberError, match="fell 2 messages behind"):
            await slow.get()
        await channels.publish("room:1", "still flowing")
        assert [m.data for m in await receive(fast, 1)] == ["still flowing"]
    assert issubclass(SlowSubscriberError, ChannelsError)


async def test_channels_defaults_apply_to_subscriptions(url: str) -> None:
    async with (
        Channels(url, queue_size=1, overflow="disconnect") as channels,
        channels.subscribe("room:1") as subscription,
    ):
        assert (subscription.queue_size, subscription.overflow) == (1, "disconnect")
        await channels.publish("room:1", 1)
        await channels.publish("room:1", 2)
        await wait_until(lambda: subscription.ended)
        assert [m.data for m in await receive(subscription, 1)] == [1]
        with pytest.raises(SlowSubscriberError):
            await subscription.get()


def test_bad_options_are_value_errors() -> None:
    with pytest.raises(ValueError, match="unsupported channels URL 'kafka://x'"):
        Channels("kafka://x")
    with pytest.raises(ValueError, match="queue_size must be a positive int, got 0"):
        Channels(queue_size=0)
    with pytest.raises(ValueError, match="overflow must be one of"):
        Channels(overflow="block")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_message_size must be positive"):
        Channels(max_message_size=0)
    with pytest.raises(ValueError, match="queue_size must be a positive int"):
        Channels().subscribe("room:1", queue_size=-1)


async def test_publish_or_subscribe_before_connect_is_a_clear_error() -> None:
    channels = Channels()
    with pytest.raises(RuntimeError, match="not connected: use `async with channels:`"):
        await channels.publish("room:1", "x")
    with pytest.raises(RuntimeError, match="not connected"):
        async with channels.subscribe("room:1"):
            pass
    async with channels:
        with pytest.raises(RuntimeError, match="already connected"):
            await channels.connect()


async def test_a_payload_published_by_another_redis_client_arrives_as_bytes(redis_url: str) -> None:
    async with Channels(redis_url) as channels, channels.subscribe("room:1") as subscription:
        redis.Redis.from_url(redis_url).publish("room:1", b"raw from redis-cli")
        redis.Redis.from_url(redis_url).publish("room:1", b"j{not json")
        assert [m.data for m in await receive(subscription, 2)] == [
            b"raw from redis-cli",
            b"j{not json",
        ]


async def test_history_keeps_the_last_messages_of_each_channel(url: str) -> None:
    async with Channels(url, history=3) as channels:
        for number in range(5):
            await channels.publish("room:1", number)  # nobody subscribed: still kept
        await channels.publish("room:2", b"other")
        assert await channels.history("room:1") == [Message("room:1", n) for n in (2, 3, 4)]
        assert [m.data for m in await channels.history("room:1", limit=2)] == [3, 4]
        assert [m.data for m in await channels.history("room:2")] == [b"other"]
        assert await channels.history("empty") == []
        assert await channels.history("room:1", limit=0) == []
        with pytest.raises(ValueError, match="invalid channel name"):
            await channels.history("no room")


async def test_without_history_nothing_is_kept(channels: Channels) -> None:
    await channels.publish("room:1", "gone")
    assert await channels.history("room:1") == []


async def test_history_is_shared_by_every_channels_on_one_redis(redis_url: str) -> None:
    async with (
        Channels(redis_url, history=10) as worker_a,
        Channels(redis_url, history=10) as worker_b,
        worker_b.subscribe("room:1") as subscription,
    ):
        await worker_a.publish("room:1", {"n": 1})
        await worker_a.publish("room:1", "two")
        live = await receive(subscription, 2)
        assert await worker_b.history("room:1") == live
        assert [m.data for m in live] == [{"n": 1}, "two"]


def test_history_must_be_a_count() -> None:
    with pytest.raises(ValueError, match="history must be an int >= 0, got -1"):
        Channels(history=-1)


async def test_concurrent_subscribers_joining_and_leaving_all_receive(channels: Channels) -> None:
    """Many subscriptions entered and left at the same time, on shared and own channels: each
    active one receives exactly the messages of its channels published while it listens."""

    async def member(number: int) -> list[object]:
        own = f"member:{number}"
        async with channels.subscribe("shared", own) as subscription:
            await channels.publish(own, number)
            received = [m.data for m in await receive(subscription, 1)]
        for _ in range(3):  # leave and join again: unsubscribe/subscribe races
            async with channels.subscribe(own) as subscription:
                await channels.publish(own, -number)
                received += [m.data for m in await receive(subscription, 1)]
        return received

    results = await asyncio.gather(*(member(n) for n in range(1, 31)))
    assert results == [[n, -n, -n, -n] for n in range(1, 31)]
    async with channels.subscribe("shared") as subscription:
        await channels.publish("shared", "last")
        assert [m.data for m in await receive(subscription, 1)] == ["last"]
