"""Cross-process: two separate Python processes exchange messages through a real redis-server."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SUBSCRIBER = textwrap.dedent(
    """
    import asyncio, sys
    from FasterAPI.channels import Channels

    async def main():
        async with Channels(sys.argv[1]) as channels:
            async with channels.subscribe("room:1", "room:2") as subscription:
                print("ready", flush=True)
                async with asyncio.timeout(20):
                    for _ in range(4):
                        message = await subscription.get()
                        print(message.channel, type(message.data).__name__, repr(message.data))
            await channels.publish("replies", "done from pid-subscriber")

    asyncio.run(main())
    """
)

PUBLISHER = textwrap.dedent(
    """
    import asyncio, sys
    from FasterAPI.channels import Channels

    async def main():
        async with Channels(sys.argv[1]) as channels:
            async with channels.subscribe("replies") as replies:
                await channels.publish("room:1", "héllo")
                await channels.publish("elsewhere", "nobody listens")
                await channels.publish("room:2", b"\\x00bytes")
                await channels.publish("room:1", {"user": "bob", "n": [1, 2]})
                await channels.publish("room:2", 3.5)
                async with asyncio.timeout(20):
                    print("reply", (await replies.get()).data)

    asyncio.run(main())
    """
)


def test_two_processes_exchange_messages_through_redis(redis_url: str) -> None:
    subscriber = subprocess.Popen(
        [sys.executable, "-c", SUBSCRIBER, redis_url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert subscriber.stdout is not None
        assert subscriber.stdout.readline() == "ready\n"
        publisher = subprocess.run(
            [sys.executable, "-c", PUBLISHER, redis_url],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert (publisher.returncode, publisher.stderr) == (0, "")
        output, errors = subscriber.communicate(timeout=60)
    finally:
        subscriber.kill()
        subscriber.wait()
    assert (subscriber.returncode, errors) == (0, "")
    assert output.splitlines() == [
        "room:1 str 'héllo'",
        "room:2 bytes b'\\x00bytes'",
        "room:1 dict {'user': 'bob', 'n': [1, 2]}",
        "room:2 float 3.5",
    ]
    assert publisher.stdout == "reply done from pid-subscriber\n"
