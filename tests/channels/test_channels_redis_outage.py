"""A Redis outage: a killed redis-server ends subscriptions with ChannelsUnavailableError after
``reconnect_timeout``, publish fails at once, a restart within the window is survived. Every
wait is bounded, so a hang fails the test instead of blocking the run."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from redis_process import RedisProcess, free_port

from FasterAPI.channels import Channels, ChannelsError, ChannelsUnavailableError

pytestmark = pytest.mark.anyio


@pytest.fixture
def server(restartable_redis: RedisProcess) -> RedisProcess:
    return restartable_redis


async def test_killed_redis_ends_the_subscription_with_a_clear_error(
    server: RedisProcess,
) -> None:
    async with (
        Channels(server.url, reconnect_timeout=0.5) as channels,
        channels.subscribe("room:1", "room:2") as subscription,
    ):
        await channels.publish("room:1", "before")
        async with asyncio.timeout(5):
            assert (await subscription.get()).data == "before"
        server.kill()
        started = time.monotonic()
        with pytest.raises(ChannelsUnavailableError) as caught:
            async with asyncio.timeout(10):
                async for _ in subscription:
                    pass
        waited = time.monotonic() - started
        assert 0.4 < waited < 5, waited
        assert str(caught.value).startswith(
            f"lost the connection to Redis at {server.url} and could not reconnect "
            "within 0.5 s (ConnectionError: "
        )
        assert subscription.ended


async def test_publish_and_history_during_an_outage_fail_at_once(server: RedisProcess) -> None:
    async with Channels(server.url, history=5) as channels:
        await channels.publish("room:1", "fine")
        server.kill()
        started = time.monotonic()
        with pytest.raises(ChannelsUnavailableError, match=r"cannot publish to channel 'room:1': "):
            async with asyncio.timeout(10):
                await channels.publish("room:1", "lost")
        assert time.monotonic() - started < 3
        with pytest.raises(ChannelsUnavailableError, match=r"cannot read the history of channel"):
            async with asyncio.timeout(10):
                await channels.history("room:1")
        assert time.monotonic() - started < 3
        assert issubclass(ChannelsUnavailableError, ChannelsError)
        assert issubclass(ChannelsError, RuntimeError)  # FasterAPIError


async def test_subscribing_while_redis_is_down_fails_and_recovers(server: RedisProcess) -> None:
    async with Channels(server.url, reconnect_timeout=0.3) as channels:
        server.kill()
        with pytest.raises(ChannelsUnavailableError):
            async with asyncio.timeout(10):
                async with channels.subscribe("room:1") as subscription:
                    async for _ in subscription:  # ends with the error after reconnect_timeout
                        pass
        with pytest.raises(ChannelsUnavailableError, match="is unavailable"):
            async with asyncio.timeout(10), channels.subscribe("room:1"):
                pass
        server.start()  # same port: the next subscribe connects again
        async with channels.subscribe("room:1") as subscription:
            await channels.publish("room:1", "back")
            async with asyncio.timeout(5):
                assert (await subscription.get()).data == "back"


async def test_connecting_to_a_missing_server_is_a_clear_error(tmp_path: Path) -> None:
    url = f"redis://127.0.0.1:{free_port()}/0"
    channels = Channels(url)
    started = time.monotonic()
    with pytest.raises(ChannelsUnavailableError, match=f"Redis at {url} is unavailable"):
        async with asyncio.timeout(10):
            await channels.connect()
    assert time.monotonic() - started < 5
    assert not channels.connected


async def test_a_restart_within_reconnect_timeout_is_survived(server: RedisProcess) -> None:
    async with (
        Channels(server.url, reconnect_timeout=10) as channels,
        channels.subscribe("room:1") as subscription,
    ):
        server.kill()
        await asyncio.sleep(0.3)  # the subscriber is retrying with backoff
        server.start()
        async with asyncio.timeout(10):
            while True:  # until the subscriber connection is back
                await channels.publish("room:1", "after restart")
                try:
                    async with asyncio.timeout(0.2):
                        message = await subscription.get()
                        break
                except TimeoutError:
                    continue
        assert message.data == "after restart"
        assert not subscription.ended
